package io.github.ostree4j.transport.internal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** A temporary directory deleted with its content on close. */
public final class TempDir implements Closeable {

  private final Path dir;

  private TempDir(Path dir) {
    this.dir = dir;
  }

  /**
   * Creates one.
   *
   * @param parent where, or null for the system temporary directory
   * @param prefix the name prefix
   * @return the directory
   * @throws IOException when it cannot be created
   */
  public static TempDir create(Path parent, String prefix) throws IOException {
    return new TempDir(parent == null ? Files.createTempDirectory(prefix)
        : Files.createTempDirectory(Files.createDirectories(parent), prefix));
  }

  /**
   * The directory.
   *
   * @return its path
   */
  public Path path() {
    return dir;
  }

  @Override
  public void close() throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
        Files.delete(f);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
        Files.delete(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
