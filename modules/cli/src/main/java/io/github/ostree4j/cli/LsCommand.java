package io.github.ostree4j.cli;

import io.github.ostree4j.ostree.Commit;
import io.github.ostree4j.ostree.ContentObject;
import io.github.ostree4j.ostree.DirMeta;
import io.github.ostree4j.ostree.FileHeader;
import io.github.ostree4j.ostree.FileMode;
import io.github.ostree4j.ostree.OstreeRepo;
import io.github.ostree4j.ostree.RepoFile;
import io.github.ostree4j.ostree.Xattrs;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ostree4j ls}: list a committed tree with the same columns as {@code ostree ls}. */
@Command(name = "ls", description = "List file paths in a commit.")
final class LsCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin RepoOption repo;

  @Option(names = {"-d", "--dironly"}, description = "Do not recurse into directory arguments.")
  boolean dirOnly;

  @Option(names = {"-R", "--recursive"}, description = "Print directories recursively.")
  boolean recursive;

  @Option(names = {"-C", "--checksum"}, description = "Print checksums.")
  boolean checksum;

  @Option(names = {"-X", "--xattrs"}, description = "Print extended attributes.")
  boolean xattrs;

  @Option(names = "--nul-filenames-only", description = "Print only filenames, NUL separated.")
  boolean nulNames;

  @Parameters(index = "0", paramLabel = "COMMIT")
  String rev;

  @Parameters(index = "1..*", paramLabel = "PATH")
  List<String> paths = new ArrayList<>();

  private OstreeRepo r;
  private PrintWriter out;

  @Override
  public Integer call() throws Exception {
    r = repo.open();
    out = spec.commandLine().getOut();
    Commit commit = r.readCommit(r.resolveRev(rev));
    RepoFile root = RepoFile.root(r, commit);
    if (paths.isEmpty()) {
      paths.add("/");
    }
    for (String p : paths) {
      RepoFile f = root.resolve(p);
      print(f);
      if (f.isDirectory() && !dirOnly) {
        listDir(f, recursive);
      }
    }
    out.flush();
    return 0;
  }

  private void listDir(RepoFile dir, boolean recurse) throws IOException {
    for (RepoFile c : dir.children()) {
      print(c);
      if (c.isDirectory() && recurse) {
        listDir(c, true);
      }
    }
  }

  private void print(RepoFile f) throws IOException {
    if (nulNames) {
      out.print(f.path());
      out.print('\0');
      return;
    }
    StringBuilder sb = new StringBuilder();
    int mode;
    int uid;
    int gid;
    long size;
    Xattrs x;
    String target = null;
    if (f.isDirectory()) {
      DirMeta m = f.dirMeta();
      mode = m.mode();
      uid = m.uid();
      gid = m.gid();
      size = 0;
      x = m.xattrs();
    } else {
      try (ContentObject o = r.openContent(f.contentChecksum())) {
        FileHeader h = o.header();
        mode = h.mode();
        uid = h.uid();
        gid = h.gid();
        size = o.size();
        x = h.xattrs();
        if (h.isSymlink()) {
          target = h.symlinkTarget();
        }
      }
    }
    sb.append(FileMode.typeChar(mode));
    sb.append(String.format("0%04o %d %d %6d ", mode & ~FileMode.S_IFMT, Integer.toUnsignedLong(uid),
        Integer.toUnsignedLong(gid), size));
    if (checksum) {
      if (f.isDirectory()) {
        sb.append(f.treeChecksum().hex()).append(' ').append(f.metaChecksum().hex()).append(' ');
      } else {
        sb.append(f.contentChecksum().hex()).append(' ');
      }
    }
    if (xattrs) {
      sb.append("{ ").append(x.toVariant().print()).append(" } ");
    }
    sb.append(f.path());
    if (target != null) {
      sb.append(" -> ").append(target);
    }
    out.println(sb);
  }
}
