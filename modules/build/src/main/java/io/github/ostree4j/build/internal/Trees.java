package io.github.ostree4j.build.internal;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;

/** Directory-tree chores that never follow symbolic links. */
public final class Trees {

  private Trees() {}

  /**
   * Deletes a file or a tree; directories without owner permissions are made accessible first,
   * symlinks are not followed, a mount point inside stops it with an error. Missing paths are
   * fine.
   *
   * @param p the path
   * @throws IOException when something cannot be deleted
   */
  public static void deleteRecursively(Path p) throws IOException {
    FileTrees.deleteRecursively(p);
  }

  /**
   * Copies a tree (or a file) with modes, owners (when running as root) and times; symbolic
   * links are copied as links.
   *
   * @param from the source
   * @param to the target, which must not exist
   * @throws IOException when copying fails
   */
  public static void copyTree(Path from, Path to) throws IOException {
    Files.walkFileTree(from, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) throws IOException {
        Path t = to.resolve(from.relativize(d).toString());
        Files.copy(d, t, LinkOption.NOFOLLOW_LINKS, StandardCopyOption.COPY_ATTRIBUTES);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
        Path t = from.equals(f) ? to : to.resolve(from.relativize(f).toString());
        if (a.isRegularFile() || a.isSymbolicLink()) {
          Files.copy(f, t, LinkOption.NOFOLLOW_LINKS, StandardCopyOption.COPY_ATTRIBUTES);
          FileAttrs.copyOwner(f, t);
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
        if (e != null) {
          throw e;
        }
        Path t = to.resolve(from.relativize(d).toString());
        FileAttrs.copyOwner(d, t);
        Files.setLastModifiedTime(t, Files.getLastModifiedTime(d, LinkOption.NOFOLLOW_LINKS));
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
