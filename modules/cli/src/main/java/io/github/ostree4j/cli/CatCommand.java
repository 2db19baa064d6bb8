package io.github.ostree4j.cli;

import io.github.ostree4j.ostree.ContentObject;
import io.github.ostree4j.ostree.OstreeException;
import io.github.ostree4j.ostree.OstreeRepo;
import io.github.ostree4j.ostree.RepoFile;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code ostree4j cat}: write file contents from a commit to stdout. */
@Command(name = "cat", description = "Concatenate contents of files.")
final class CatCommand implements Callable<Integer> {

  @Mixin RepoOption repo;

  @Parameters(index = "0", paramLabel = "COMMIT")
  String rev;

  @Parameters(index = "1..*", arity = "1..*", paramLabel = "PATH")
  List<String> paths;

  /** Where file bytes go; standard output unless a test replaces it. */
  static OutputStream sink = System.out;

  @Override
  public Integer call() throws Exception {
    OstreeRepo r = repo.open();
    RepoFile root = RepoFile.root(r, r.readCommit(r.resolveRev(rev)));
    OutputStream out = sink;
    for (String p : paths) {
      RepoFile f = root.resolve(p);
      if (f.isDirectory()) {
        throw new OstreeException("Is a directory: " + f.path());
      }
      try (ContentObject o = r.openContent(f.contentChecksum())) {
        o.payload().transferTo(out);
      }
    }
    out.flush();
    return 0;
  }
}
