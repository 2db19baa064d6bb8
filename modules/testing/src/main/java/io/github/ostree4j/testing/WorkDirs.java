package io.github.ostree4j.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Work directories of integration tests: one root per test JVM under {@code
 * <module>/target/it-work/<pid>-…}, deleted when the JVM exits; roots of JVMs that are gone are
 * removed on the next run.
 */
public final class WorkDirs {

  private static volatile Path jvmRoot;

  private WorkDirs() {}

  /**
   * The base of all work directories of this module.
   *
   * @return {@code <module>/target/it-work}
   */
  public static Path workBase() {
    String basedir = System.getProperty("basedir");
    Path base = basedir != null ? Path.of(basedir, "target") : Path.of("target");
    return base.toAbsolutePath().resolve("it-work");
  }

  /**
   * This JVM's root work directory, created on first use and deleted at exit.
   *
   * @return the directory
   */
  public static synchronized Path jvmRoot() {
    if (jvmRoot == null) {
      try {
        Path base = workBase();
        Files.createDirectories(base);
        removeStale(base);
        Path root = Files.createTempDirectory(base, ProcessHandle.current().pid() + "-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(root), "it-work-cleanup"));
        jvmRoot = root;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return jvmRoot;
  }

  /**
   * A new, empty directory (mode 0755) below this JVM's work directory.
   *
   * @param prefix the start of its name
   * @return the directory
   */
  public static Path newDir(String prefix) {
    try {
      Path d = Files.createTempDirectory(jvmRoot(), prefix + "-");
      Files.setAttribute(d, "unix:mode", 0755);
      return d;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void removeStale(Path base) throws IOException {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(base)) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        int dash = n.indexOf('-');
        if (dash <= 0) {
          continue;
        }
        try {
          if (ProcessHandle.of(Long.parseLong(n.substring(0, dash))).isEmpty()) {
            deleteQuietly(p);
          }
        } catch (NumberFormatException e) {
          // not ours
        }
      }
    }
  }

  /**
   * Deletes a tree (not following symlinks, making unreadable directories readable first);
   * problems are ignored.
   *
   * @param root the tree
   */
  public static void deleteQuietly(Path root) {
    if (root == null || !Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          try {
            // A checkout may contain directories without write or search permission.
            Files.setAttribute(dir, "unix:mode", 0700);
          } catch (IOException | RuntimeException e) {
            // best effort
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          try {
            Files.delete(file);
          } catch (IOException e) {
            // best effort
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException exc) {
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException exc) {
          try {
            Files.delete(dir);
          } catch (IOException e) {
            // best effort
          }
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      // best effort
    }
  }
}
