package io.github.ostree4j.container.internal;

import io.github.ostree4j.oci.BlockGzipOutputStream;
import io.github.ostree4j.oci.Compression;
import io.github.ostree4j.oci.DigestingOutputStream;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Writes a layer tar through compression into a file, digesting both sides on the way. */
public final class LayerBlobWriter {

  /** Produces the uncompressed tar. */
  @FunctionalInterface
  public interface TarProducer {
    /**
     * Writes the tar.
     *
     * @param out where to write; do not close it
     * @throws IOException when producing fails
     */
    void writeTo(OutputStream out) throws IOException;
  }

  private LayerBlobWriter() {}

  /**
   * Writes one layer.
   *
   * @param file the file to create (must not exist)
   * @param compression the compression
   * @param level the compression level
   * @param tar the tar producer
   * @return the layer's digests and size
   * @throws IOException when producing or writing fails
   */
  public static LayerBlob write(Path file, Compression compression, int level, TarProducer tar)
      throws IOException {
    return write(file, compression, level, 0, tar);
  }

  /**
   * Layers of at least this many bytes are compressed with zstd's multi-threaded mode: one
   * large layer (a directory of data files) would otherwise keep one core busy while the others
   * wait. The rule depends only on the layer's content, and zstd's multi-threaded output is the
   * same for any number of workers, so a layer's digest does not depend on the machine.
   */
  public static final long ZSTD_MULTITHREAD_BYTES = 64L << 20;

  /**
   * Writes one layer whose content is about {@code contentBytes} long (0 when unknown).
   *
   * @param file the file to create (must not exist)
   * @param compression the compression
   * @param level the compression level
   * @param contentBytes the size of the layer's content, which picks zstd's mode
   * @param tar the tar producer
   * @return the layer's digests and size
   * @throws IOException when producing or writing fails
   */
  public static LayerBlob write(Path file, Compression compression, int level, long contentBytes,
      TarProducer tar) throws IOException {
    DigestingOutputStream compressed;
    DigestingOutputStream plain;
    try (OutputStream fileOut = new BufferedOutputStream(
        Files.newOutputStream(file, StandardOpenOption.CREATE_NEW), 1 << 16)) {
      compressed = new DigestingOutputStream(new NonClosing(fileOut));
      try (OutputStream z = compressor(compression, compressed, level, contentBytes)) {
        // the tar writer flushes now and then; a flush would end a compressed block each time
        plain = new DigestingOutputStream(new BufferedOutputStream(new NoFlush(z), 1 << 16));
        tar.writeTo(plain);
        plain.flush();
      }
    }
    return new LayerBlob(file, compressed.digest(), compressed.size(), plain.digest());
  }

  /**
   * Threads that deflate gzip blocks for all layers: one large layer (a big package, a directory
   * of data files) is then compressed on every core instead of one.
   */
  private static final java.util.concurrent.ExecutorService GZIP_BLOCKS =
      java.util.concurrent.Executors.newFixedThreadPool(
          Math.max(2, Runtime.getRuntime().availableProcessors()), r -> {
            Thread t = new Thread(r, "ostree4j-gzip");
            t.setDaemon(true);
            return t;
          });

  /**
   * gzip in independently deflated blocks (same output for any number of threads); zstd in the
   * calling thread (layers are compressed in parallel already), except for large layers, which
   * use zstd's workers on every core.
   */
  private static OutputStream compressor(Compression c, OutputStream out, int level,
      long contentBytes) throws IOException {
    if (c == Compression.GZIP) {
      return new BlockGzipOutputStream(out, level, GZIP_BLOCKS);
    }
    int workers = c == Compression.ZSTD && contentBytes >= ZSTD_MULTITHREAD_BYTES
        ? Math.max(1, Runtime.getRuntime().availableProcessors()) : 0;
    return c.compress(out, level, workers);
  }

  /** Passes writes on but not flushes: only closing the compressor ends its stream. */
  private static final class NoFlush extends FilterOutputStream {
    NoFlush(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void flush() {
      // deliberately nothing
    }

    @Override
    public void close() {
      // the compressor is closed by its owner
    }
  }

  /** Keeps the compressor's close from closing the file before the digests are read. */
  private static final class NonClosing extends FilterOutputStream {
    NonClosing(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      out.flush();
    }
  }
}
