package io.github.ostree4j.build.internal;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** Removal of the module's own scratch trees. */
final class FileTrees {

  private FileTrees() {}

  /**
   * Deletes a tree, symlinks deleted and not followed; a missing tree is fine. Directories
   * without owner rwx (a RUN step's {@code chmod 000 dir}) are made accessible first. It never
   * descends into another file system: a directory that is a mount point (an overlay left
   * mounted, a bind mount) stops the deletion with an error instead of deleting through it.
   */
  static void deleteRecursively(Path root) throws IOException {
    FileMeta top = FileMeta.readIfExists(root);
    if (top == null) {
      return;
    }
    if (!top.isDir()) {
      Files.delete(root);
      return;
    }
    long dev = top.dev();
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) throws IOException {
        FileMeta m = FileMeta.read(d);
        if (m.dev() != dev) {
          throw new IOException("not deleting " + root + ": " + d + " is a mount point");
        }
        if ((m.mode() & 0700) != 0700) {
          Files.setAttribute(d, "unix:mode", m.perms() | 0700, LinkOption.NOFOLLOW_LINKS);
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
        Files.deleteIfExists(f);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path f, IOException e) throws IOException {
        if (e instanceof java.nio.file.NoSuchFileException) {
          return FileVisitResult.CONTINUE;
        }
        throw e;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
        if (e != null) {
          throw e;
        }
        Files.deleteIfExists(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  /** Whether something (a dangling symlink included) is at {@code p}. */
  static boolean exists(Path p) {
    return Files.exists(p, LinkOption.NOFOLLOW_LINKS);
  }
}
