package io.github.ostree4j.oci;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** Block-parallel gzip: readable by the JDK's gzip reader and by the real gzip, thread-count independent. */
class BlockGzipOutputStreamTest {

  private static byte[] data(int n, long seed) {
    byte[] b = new byte[n];
    Random r = new Random(seed);
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i % 512 < 256 ? r.nextInt(256) : 'a' + r.nextInt(4)); // half noise, half text
    }
    return b;
  }

  private static byte[] compress(byte[] in, int threads, int writeSize) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (BlockGzipOutputStream z = new BlockGzipOutputStream(out, 6, pool)) {
        for (int off = 0; off < in.length; off += writeSize) {
          z.write(in, off, Math.min(writeSize, in.length - off));
        }
      }
      return out.toByteArray();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void roundTripsAcrossBlockBoundaries() throws Exception {
    for (int n : new int[] {0, 1, 131072, 131073, 1_000_000}) {
      byte[] in = data(n, n);
      byte[] gz = compress(in, 3, 7000);
      try (GZIPInputStream r = new GZIPInputStream(new ByteArrayInputStream(gz))) {
        assertArrayEquals(in, r.readAllBytes(), "size " + n);
      }
    }
  }

  @Test
  void outputDoesNotDependOnThreadsOrWriteSizes() throws Exception {
    byte[] in = data(700_000, 42);
    byte[] one = compress(in, 1, 1 << 20);
    assertArrayEquals(one, compress(in, 4, 4096));
    assertArrayEquals(one, compress(in, 2, 131072));
  }

  @Test
  void realGzipAcceptsIt() throws Exception {
    byte[] in = data(400_000, 7);
    java.nio.file.Path f = java.nio.file.Files.createTempFile("block", ".gz");
    try {
      java.nio.file.Files.write(f, compress(in, 2, 10_000));
      Process p = new ProcessBuilder("gzip", "-t", f.toString()).redirectErrorStream(true).start();
      assertEquals(0, p.waitFor(), new String(p.getInputStream().readAllBytes()));
      Process z = new ProcessBuilder("gzip", "-dc", f.toString()).start();
      assertArrayEquals(in, z.getInputStream().readAllBytes());
      assertEquals(0, z.waitFor());
    } finally {
      java.nio.file.Files.deleteIfExists(f);
    }
  }
}
