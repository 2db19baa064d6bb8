package io.github.ostree4j.build.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a copied root looked like before the step ran: for every path its {@code lstat} result,
 * the change time included. The kernel updates the change time on every write, chmod, chown,
 * link, rename, xattr or time change, and user space cannot set it, so an entry whose inode and
 * change time are the same afterwards was not touched.
 */
final class Baseline {

  /** One recorded entry. */
  static final class Node {
    FileMeta meta;
    final SortedMap<String, Node> children = new TreeMap<>();

    Node(FileMeta meta) {
      this.meta = meta;
    }
  }

  private Baseline() {}

  /** Records a tree. */
  static Node record(Path dir) throws IOException {
    Node n = new Node(FileMeta.read(dir));
    fill(dir, n);
    return n;
  }

  private static void fill(Path dir, Node node) throws IOException {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        FileMeta m = FileMeta.read(p);
        Node child = new Node(m);
        node.children.put(p.getFileName().toString(), child);
        if (m.isDir()) {
          fill(p, child);
        }
      }
    }
  }

  /** The node at a relative path, or null. */
  static Node find(Node root, String rel) {
    Node n = root;
    for (String c : rel.split("/")) {
      if (c.isEmpty()) {
        continue;
      }
      n = n.children.get(c);
      if (n == null) {
        return null;
      }
    }
    return n;
  }

  /** Whether an entry's recorded state differs from {@code now} (same inode assumed). */
  static boolean changed(FileMeta before, FileMeta now) {
    return !before.ctime().equals(now.ctime())
        || !before.mtime().equals(now.mtime())
        || before.mode() != now.mode()
        || before.uid() != now.uid()
        || before.gid() != now.gid()
        || before.size() != now.size();
  }
}
