package io.github.ostree4j.container;

import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.ostree.Commit;
import io.github.ostree4j.ostree.ContentObject;
import io.github.ostree4j.ostree.DirMeta;
import io.github.ostree4j.ostree.DirTree;
import io.github.ostree4j.ostree.OstreeRepo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * A commit's tree as a sorted map from path to a short description: {@code "d 755 0:0"},
 * {@code "f 644 0:0 content"}, {@code "l -> target"}; the root is {@code "."}.
 */
final class TreeListing {

  private TreeListing() {}

  static Map<String, String> of(OstreeRepo repo, Checksum commit) throws IOException {
    Commit c = repo.readCommit(commit);
    Map<String, String> out = new TreeMap<>();
    walk(repo, c.rootTree(), c.rootMeta(), "", out);
    return out;
  }

  /** Only the paths, without the root. */
  static java.util.Set<String> paths(OstreeRepo repo, Checksum commit) throws IOException {
    Map<String, String> m = new TreeMap<>(of(repo, commit));
    m.remove(".");
    return m.keySet();
  }

  private static void walk(OstreeRepo repo, Checksum tree, Checksum meta, String path, Map<String, String> out)
      throws IOException {
    DirMeta dm = repo.readDirMeta(meta);
    out.put(path.isEmpty() ? "." : path, String.format("d %o %d:%d", dm.mode() & 07777, dm.uid(), dm.gid()));
    DirTree dt = repo.readDirTree(tree);
    String prefix = path.isEmpty() ? "" : path + "/";
    for (DirTree.FileEntry f : dt.files()) {
      out.put(prefix + f.name(), describe(repo, f.checksum()));
    }
    for (DirTree.DirEntry d : dt.dirs()) {
      walk(repo, d.tree(), d.meta(), prefix + d.name(), out);
    }
  }

  static String describe(OstreeRepo repo, Checksum file) throws IOException {
    try (ContentObject o = repo.openContent(file)) {
      if (o.header().isSymlink()) {
        return "l -> " + o.header().symlinkTarget();
      }
      String content = new String(o.payload().readAllBytes(), StandardCharsets.UTF_8);
      return String.format("f %o %d:%d %s", o.header().mode() & 07777, o.header().uid(), o.header().gid(), content);
    }
  }
}
