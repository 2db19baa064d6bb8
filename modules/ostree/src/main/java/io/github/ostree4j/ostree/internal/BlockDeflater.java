package io.github.ostree4j.ostree.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.zip.Deflater;

/**
 * Raw DEFLATE of one payload, compressed in independent blocks that run in parallel (the
 * technique of pigz): each block is primed with the previous 32 KiB of input as dictionary and
 * ends with a sync flush, the last with the final block, so the concatenation is one valid raw
 * deflate stream whose ratio is close to single-stream compression.
 *
 * <p>The first block is compressed on the calling thread; if it does not shrink, the rest of the
 * payload is written as stored blocks (level 0), which every inflater reads and which costs no
 * CPU. Blocks are submitted to a shared fork-join pool; at most a small window of blocks is in
 * memory at once.
 */
public final class BlockDeflater {

  /** Input bytes per block. */
  public static final int BLOCK = 256 * 1024;

  private static final int DICT = 32 * 1024;
  private static final ForkJoinPool POOL = newPool();
  private static final ThreadLocal<Deflater[]> DEFLATERS = ThreadLocal.withInitial(() -> new Deflater[10]);
  private static final ThreadLocal<byte[]> OUT = ThreadLocal.withInitial(() -> new byte[BLOCK + BLOCK / 8 + 1024]);

  private final int level;
  private final WritableByteChannel out;
  private final ArrayDeque<ForkJoinTask<byte[]>> window = new ArrayDeque<>();
  private final int maxWindow;
  private byte[] previous;
  private boolean first = true;
  private boolean stored;

  /** A deflater writing compressed bytes to {@code out} at the given zlib level. */
  public BlockDeflater(WritableByteChannel out, int level) {
    this.out = out;
    this.level = level;
    this.maxWindow = 2 * POOL.getParallelism();
  }

  private static ForkJoinPool newPool() {
    // One worker more than there are cores: workers also wait on file creation and renames.
    int n = Integer.getInteger("ostree4j.threads", Runtime.getRuntime().availableProcessors() + 1);
    n = Math.max(2, n);
    return new ForkJoinPool(n, pool -> {
      var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
      t.setDaemon(true);
      t.setName("ostree4j-deflate-" + t.getPoolIndex());
      return t;
    }, null, false);
  }

  /** The shared pool used for block compression (also usable for other CPU-bound object work). */
  public static ForkJoinPool pool() {
    return POOL;
  }

  /**
   * Adds the next block of input ({@link #BLOCK} bytes except for the last); {@code last} marks
   * the end of the payload. The array must not be modified afterwards.
   *
   * @throws IOException if writing fails
   */
  public void add(byte[] block, int length, boolean last) throws IOException {
    byte[] in = length == block.length ? block : Arrays.copyOf(block, length);
    byte[] dict = previous;
    previous = length >= DICT ? Arrays.copyOfRange(in, length - DICT, length)
        : concatTail(previous, in);
    if (first) {
      first = false;
      if (isAlreadyCompressed(in, length)) {
        stored = true;
        write(compress(in, null, last, 0));
        return;
      }
      byte[] c = compress(in, null, last, level);
      if (!last && c.length >= in.length - in.length / 50) {
        stored = true;
      }
      write(c);
      return;
    }
    if (stored) {
      write(compress(in, null, last, 0));
      return;
    }
    if (ForkJoinTask.inForkJoinPool() && ForkJoinTask.getPool() == POOL) {
      window.add(ForkJoinTask.adapt(() -> compress(in, dict, last, level)).fork());
    } else {
      window.add(POOL.submit(() -> compress(in, dict, last, level)));
    }
    while (window.size() >= maxWindow) {
      write(window.poll().join());
    }
  }

  /**
   * Writes every pending block; call after the block marked last.
   *
   * @throws IOException if writing fails
   */
  public void finish() throws IOException {
    while (!window.isEmpty()) {
      write(window.poll().join());
    }
  }

  /**
   * Whether the payload starts like data that deflate cannot shrink: gzip, xz, zstd, bzip2,
   * Debian packages, PNG, JPEG. Checked from the magic bytes only.
   */
  static boolean isAlreadyCompressed(byte[] b, int len) {
    return startsWith(b, len, 0x1f, 0x8b)
        || startsWith(b, len, 0xfd, '7', 'z', 'X', 'Z', 0x00)
        || startsWith(b, len, 0x28, 0xb5, 0x2f, 0xfd)
        || startsWith(b, len, 'B', 'Z', 'h')
        || startsWith(b, len, 0x89, 'P', 'N', 'G')
        || startsWith(b, len, 0xff, 0xd8, 0xff)
        || startsWith(b, len, '!', '<', 'a', 'r', 'c', 'h', '>', '\n', 'd', 'e', 'b', 'i', 'a', 'n');
  }

  private static boolean startsWith(byte[] b, int len, int... magic) {
    if (len < magic.length) {
      return false;
    }
    for (int i = 0; i < magic.length; i++) {
      if ((b[i] & 0xFF) != magic[i]) {
        return false;
      }
    }
    return true;
  }

  /** Compresses an empty payload (the two bytes {@code 03 00} at zlib's default settings). */
  public static byte[] empty(int level) {
    return compress(new byte[0], null, true, level);
  }

  private static byte[] concatTail(byte[] prev, byte[] in) {
    if (prev == null) {
      return in.clone();
    }
    byte[] joined = new byte[Math.min(DICT, prev.length + in.length)];
    int fromPrev = joined.length - in.length;
    System.arraycopy(prev, prev.length - fromPrev, joined, 0, fromPrev);
    System.arraycopy(in, 0, joined, fromPrev, in.length);
    return joined;
  }

  private void write(byte[] c) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(c);
    while (b.hasRemaining()) {
      out.write(b);
    }
  }

  static byte[] compress(byte[] in, byte[] dict, boolean last, int level) {
    Deflater[] cache = DEFLATERS.get();
    Deflater d = cache[level];
    if (d == null) {
      d = new Deflater(level, true);
      cache[level] = d;
    } else {
      d.reset();
    }
    if (dict != null) {
      d.setDictionary(dict);
    }
    d.setInput(in);
    byte[] buf = OUT.get();
    ByteArrayBuilder result = new ByteArrayBuilder(in.length / 2 + 64);
    if (last) {
      d.finish();
      while (!d.finished()) {
        int n = d.deflate(buf, 0, buf.length, Deflater.NO_FLUSH);
        result.append(buf, n);
      }
    } else {
      int n;
      do {
        n = d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
        result.append(buf, n);
      } while (n == buf.length || !d.needsInput());
    }
    return result.toByteArray();
  }

  /** Minimal growable byte array. */
  private static final class ByteArrayBuilder {
    private byte[] data;
    private int size;

    ByteArrayBuilder(int capacity) {
      data = new byte[Math.max(64, capacity)];
    }

    void append(byte[] b, int n) {
      if (size + n > data.length) {
        data = Arrays.copyOf(data, Math.max(data.length * 2, size + n));
      }
      System.arraycopy(b, 0, data, size, n);
      size += n;
    }

    byte[] toByteArray() {
      return Arrays.copyOf(data, size);
    }
  }
}
