package io.github.ostree4j.container;

import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.ostree.CommitOptions;
import io.github.ostree4j.ostree.Committer;
import io.github.ostree4j.ostree.OstreeRepo;
import io.github.ostree4j.ostree.RepoMode;
import io.github.ostree4j.testing.DebianRootfs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;

/**
 * The Debian minbase root filesystem committed once per JVM into a bare-user repository under
 * {@code target/}, shared by the integration tests (read-only).
 */
final class MinbaseCommits {

  private static OstreeRepo repo;
  private static Checksum commit;
  private static Map<Checksum, ChunkObject> objects;
  private static Path work;

  private MinbaseCommits() {}

  /** A fresh directory below this JVM's work directory. */
  static synchronized Path newDir(String name) throws IOException {
    if (work == null) {
      String basedir = System.getProperty("basedir");
      Path base = (basedir != null ? Path.of(basedir, "target") : Path.of("target")).toAbsolutePath()
          .resolve("it-work");
      Files.createDirectories(base);
      work = Files.createTempDirectory(base, ProcessHandle.current().pid() + "-");
      Path w = work;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(w)));
    }
    return Files.createTempDirectory(work, name + "-");
  }

  /** The repository holding the minbase commit. */
  static synchronized OstreeRepo repo() {
    if (repo == null) {
      try {
        Path rootfs = DebianRootfs.minbase();
        repo = OstreeRepo.init(newDir("repo").resolve("repo"), RepoMode.BARE_USER);
        commit = new Committer(repo).commitDirectory(rootfs,
            CommitOptions.builder().branch("minbase").subject("v1").timestamp(0).build());
        objects = ChunkObjects.of(repo, commit);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return repo;
  }

  /** The minbase commit. */
  static synchronized Checksum commit() {
    repo();
    return commit;
  }

  /** Its objects. */
  static synchronized Map<Checksum, ChunkObject> objects() {
    repo();
    return objects;
  }

  static void deleteQuietly(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.delete(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
          Files.delete(dir);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      // best effort
    }
  }
}
