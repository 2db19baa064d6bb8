package io.github.ostree4j.oci.internal;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes files the crash-safe way: into a hidden temporary file in the target's directory, flushed
 * to disk, then renamed over the target in one step. Readers see the old file or the new one, never
 * a partial one.
 */
public final class AtomicFiles {

  /** Permissions of files written here (before the umask-free chmod): {@code rw-r--r--}. */
  public static final Set<PosixFilePermission> FILE_PERMISSIONS = PosixFilePermissions.fromString("rw-r--r--");

  /** What writes the content; the stream it gets must not be closed by it (closing is harmless). */
  @FunctionalInterface
  public interface Writer<T> {
    /** Writes the content and returns a result. */
    T write(OutputStream out) throws IOException;
  }

  private AtomicFiles() {}

  /** Writes {@code bytes} to {@code target} atomically. */
  public static void write(Path target, byte[] bytes) throws IOException {
    write(target, out -> {
      out.write(bytes);
      return null;
    });
  }

  /**
   * Writes {@code target} atomically with what {@code writer} produces; if the writer fails, the
   * temporary file is removed and {@code target} is left as it was.
   */
  public static <T> T write(Path target, Writer<T> writer) throws IOException {
    Path tmp = createTemp(target);
    boolean done = false;
    try {
      T result;
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        OutputStream os = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
        result = writer.write(nonClosing(os));
        os.flush();
        ch.force(false);
      }
      commit(tmp, target);
      done = true;
      return result;
    } finally {
      if (!done) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  /** A new empty hidden temporary file next to {@code target}, readable by all. */
  public static Path createTemp(Path target) throws IOException {
    Path dir = parentOf(target);
    Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".tmp-", "");
    try {
      Files.setPosixFilePermissions(tmp, FILE_PERMISSIONS);
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: keep the default
    }
    return tmp;
  }

  /** A new empty hidden temporary file {@code .tmp-*} in {@code dir}, readable by all. */
  public static Path createTempIn(Path dir) throws IOException {
    Path tmp = Files.createTempFile(dir, ".tmp-", "");
    try {
      Files.setPosixFilePermissions(tmp, FILE_PERMISSIONS);
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: keep the default
    }
    return tmp;
  }

  /** Renames {@code tmp} over {@code target} atomically. */
  public static void commit(Path tmp, Path target) throws IOException {
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("cannot rename " + tmp.getFileName() + " to " + target
          + ": the file system does not support atomic renames", e);
    }
  }

  /** Flushes a directory's entries (after renames into it); ignored where unsupported. */
  public static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // best effort: some file systems cannot open or sync directories
    }
  }

  /** A stream whose {@link OutputStream#close()} only flushes. */
  public static OutputStream nonClosing(OutputStream out) {
    return new FilterOutputStream(out) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        out.flush();
      }
    };
  }

  private static Path parentOf(Path target) {
    Path parent = target.toAbsolutePath().getParent();
    if (parent == null) {
      throw new IllegalArgumentException("no parent directory: " + target);
    }
    return parent;
  }
}
