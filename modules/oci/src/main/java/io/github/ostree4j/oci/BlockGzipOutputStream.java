package io.github.ostree4j.oci;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * gzip in independently compressed blocks, so that one large stream is compressed on several
 * threads (the scheme of pigz): the input is cut into 128 KiB blocks, each deflated on its own with
 * the previous 32 KiB as preset dictionary and ended with a sync flush (the last one finishes the
 * stream). The result is one ordinary gzip member that any gzip reader accepts.
 *
 * <p>The output depends only on the input and the level — not on the executor or the number of
 * threads — so it is reproducible. The header carries no name and mtime 0, as {@link
 * Compression#GZIP}'s. At most a few blocks per stream are in flight, so memory stays bounded.
 * Closing the stream finishes it and closes the wrapped stream.
 */
public final class BlockGzipOutputStream extends OutputStream {

  private static final int BLOCK = 128 * 1024;
  private static final int DICT = 32 * 1024;
  private static final int IN_FLIGHT = 4;
  private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

  private final OutputStream out;
  private final int level;
  private final Executor executor;
  private final CRC32 crc = new CRC32();
  private final ArrayDeque<FutureTask<byte[]>> pending = new ArrayDeque<>();
  private byte[] block = new byte[BLOCK];
  private int filled;
  private byte[] dictionary;
  private long total;
  private boolean closed;

  /**
   * Starts a gzip stream.
   *
   * @param out where the compressed bytes go
   * @param level deflate level 0-9
   * @param executor runs the block compressions (any number of threads)
   * @throws IOException when writing the header fails
   */
  public BlockGzipOutputStream(OutputStream out, int level, Executor executor) throws IOException {
    if (level < 0 || level > 9) {
      throw new IllegalArgumentException("gzip level must be 0-9, got " + level);
    }
    this.out = Objects.requireNonNull(out, "out");
    this.level = level;
    this.executor = Objects.requireNonNull(executor, "executor");
    out.write(HEADER);
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (closed) {
      throw new IOException("stream closed");
    }
    while (len > 0) {
      if (filled == BLOCK) {
        submit(false);
      }
      int n = Math.min(len, BLOCK - filled);
      System.arraycopy(b, off, block, filled, n);
      filled += n;
      off += n;
      len -= n;
    }
  }

  /** Hands the current block to the executor (the last one finishes the deflate stream). */
  private void submit(boolean last) throws IOException {
    byte[] data = block;
    int length = filled;
    byte[] dict = dictionary;
    crc.update(data, 0, length);
    total += length;
    FutureTask<byte[]> task = new FutureTask<>(() -> deflate(data, length, dict, last));
    pending.add(task);
    executor.execute(task);
    dictionary = Arrays.copyOfRange(data, Math.max(0, length - DICT), length);
    block = new byte[BLOCK];
    filled = 0;
    while (pending.size() > IN_FLIGHT) {
      out.write(await(pending.removeFirst()));
    }
  }

  private byte[] deflate(byte[] data, int length, byte[] dict, boolean last) {
    Deflater d = new Deflater(level, true);
    try {
      if (dict != null) {
        d.setDictionary(dict);
      }
      d.setInput(data, 0, length);
      java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream(length / 2 + 64);
      byte[] chunk = new byte[64 * 1024];
      if (last) {
        d.finish();
        while (!d.finished()) {
          int n = d.deflate(chunk);
          buf.write(chunk, 0, n);
        }
      } else {
        int n;
        do {
          n = d.deflate(chunk, 0, chunk.length, Deflater.SYNC_FLUSH);
          buf.write(chunk, 0, n);
        } while (n == chunk.length);
      }
      return buf.toByteArray();
    } finally {
      d.end();
    }
  }

  private static byte[] await(FutureTask<byte[]> task) throws IOException {
    try {
      return task.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while compressing");
    } catch (ExecutionException e) {
      throw new IOException("compressing a gzip block failed", e.getCause());
    }
  }

  /** Writes out every finished block; the stream stays open. */
  @Override
  public void flush() throws IOException {
    out.flush();
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      submit(true);
      while (!pending.isEmpty()) {
        out.write(await(pending.removeFirst()));
      }
      long c = crc.getValue();
      out.write(new byte[] {(byte) c, (byte) (c >> 8), (byte) (c >> 16), (byte) (c >> 24),
          (byte) total, (byte) (total >> 8), (byte) (total >> 16), (byte) (total >> 24)});
    } finally {
      for (FutureTask<byte[]> t : pending) {
        t.cancel(true);
      }
      out.close();
    }
  }
}
