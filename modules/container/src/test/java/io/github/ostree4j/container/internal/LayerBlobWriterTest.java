package io.github.ostree4j.container.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.github.ostree4j.oci.Compression;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerBlobWriterTest {

  @TempDir Path tmp;

  /** Compressible but not trivial content, above the multi-threaded zstd threshold. */
  private static final int SIZE = (int) LayerBlobWriter.ZSTD_MULTITHREAD_BYTES + (3 << 20);

  private static final byte[] DATA = data();

  private static byte[] data() {
    byte[] words = "ostree layer content with some repetition and some noise ".getBytes();
    byte[] b = new byte[SIZE];
    Random r = new Random(42);
    for (int i = 0; i < SIZE; i++) {
      b[i] = (i % 7 == 0) ? (byte) r.nextInt(256) : words[i % words.length];
    }
    return b;
  }

  private static byte[] zstd(int workers) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream z = Compression.ZSTD.compress(bytes, 3, workers)) {
      z.write(DATA);
    }
    return bytes.toByteArray();
  }

  @Test
  void largeZstdLayersUseTheMultiThreadedModeWhoseOutputDoesNotDependOnTheWorkerCount()
      throws Exception {
    byte[] one = zstd(1);
    byte[] three = zstd(3);
    byte[] single = zstd(0);
    assertArrayEquals(one, three, "multi-threaded zstd output is the same for 1 and 3 workers");
    assertFalse(Arrays.equals(one, single), "the single-threaded mode gives other bytes");

    LayerBlob large = LayerBlobWriter.write(tmp.resolve("large"), Compression.ZSTD, 3, SIZE,
        out -> out.write(DATA));
    assertArrayEquals(one, Files.readAllBytes(large.file()), "a large layer: multi-threaded mode");
    LayerBlob small = LayerBlobWriter.write(tmp.resolve("small"), Compression.ZSTD, 3, 1 << 20,
        out -> out.write(DATA));
    assertArrayEquals(single, Files.readAllBytes(small.file()), "a small layer: the caller's thread");
    try (InputStream in = Compression.ZSTD.decompress(Files.newInputStream(large.file()))) {
      assertArrayEquals(DATA, in.readAllBytes());
    }
    assertEquals(large.diffId(), small.diffId(), "same content, same diff ID");
  }
}
