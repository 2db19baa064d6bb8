package io.github.ostree4j.build.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Copies the merged view of stacked layers into a real directory: whiteouts and opaque
 * directories applied, owners, permissions (setuid and friends included), symlinks, device nodes,
 * fifos, {@code user.*} xattrs and modification times preserved, and files that share an inode in
 * the view share one in the copy. Sockets are skipped; xattrs outside {@code user.} are not copied
 * (the JDK cannot reach them). Layers are only read.
 */
final class TreeCopier {

  private final StackedTree stack;
  private final Map<List<Long>, Path> copies = new HashMap<>();

  private TreeCopier(StackedTree stack) {
    this.stack = stack;
  }

  /** Copies {@code stack} into {@code target}, an existing empty directory. */
  static void copy(StackedTree stack, Path target) throws IOException {
    TreeCopier c = new TreeCopier(stack);
    StackedTree.Node root = stack.root();
    c.directory(root, target);
    c.finishDirectory(root, target);
  }

  private void directory(StackedTree.Node dir, Path target) throws IOException {
    for (var e : stack.list(dir).entrySet()) {
      StackedTree.Node n = e.getValue();
      FileMeta m = n.meta();
      Path to = target.resolve(e.getKey());
      if (m.isDir()) {
        Files.createDirectory(to);
        ChangeTreeFormat.setCopyId(to, FileMeta.read(to).ino());
        directory(n, to);
        finishDirectory(n, to);
        continue;
      }
      if (m.type() == FileMeta.S_IFSOCK) {
        continue;
      }
      if (m.nlink() > 1) {
        List<Long> key = List.of(m.dev(), m.ino());
        Path first = copies.get(key);
        if (first != null) {
          Files.createLink(to, first);
          continue;
        }
        copies.put(key, to);
      }
      file(n, to);
    }
  }

  private void file(StackedTree.Node n, Path to) throws IOException {
    FileMeta m = n.meta();
    if (m.isRegular()) {
      Files.copy(n.path(), to, LinkOption.NOFOLLOW_LINKS);
      Metadata.setOwnerAndMode(to, m);
      ChangeTreeFormat.setUserXattrs(to, ChangeTreeFormat.userXattrs(n.path(), m));
    } else if (m.isSymlink()) {
      Files.createSymbolicLink(to, Files.readSymbolicLink(n.path()));
      Metadata.setOwnerAndMode(to, m);
    } else {
      SpecialFiles.copyOf(to, m);
      Metadata.setOwnerAndMode(to, m);
    }
    Metadata.setMtime(to, m, m.mtime());
  }

  private void finishDirectory(StackedTree.Node n, Path to) throws IOException {
    FileMeta m = n.meta();
    Metadata.setOwnerAndMode(to, m);
    ChangeTreeFormat.setUserXattrs(to, ChangeTreeFormat.userXattrs(n.path(), m));
    Metadata.setMtime(to, m.mtime());
  }
}
