package io.github.ostree4j.oci;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class CompressionTest {

  private static byte[] sample(int size) {
    byte[] b = new byte[size];
    Random r = new Random(42);
    for (int i = 0; i < size; i++) {
      b[i] = (byte) ('a' + r.nextInt(12));
    }
    return b;
  }

  private static byte[] compress(Compression c, byte[] data, int level, int workers) throws IOException {
    ByteArrayOutputStream bo = new ByteArrayOutputStream();
    try (OutputStream out = c.compress(bo, level, workers)) {
      out.write(data, 0, 7);
      out.write(data[7]);
      out.write(data, 8, data.length - 8);
    }
    return bo.toByteArray();
  }

  private static byte[] decompress(Compression c, byte[] data) throws IOException {
    try (InputStream in = c.decompress(new ByteArrayInputStream(data))) {
      return in.readAllBytes();
    }
  }

  @Test
  void roundTripsAndDetection() throws IOException {
    byte[] data = sample(300_000);
    for (Compression c : Compression.values()) {
      byte[] z = compress(c, data, c == Compression.NONE ? 0 : c.defaultLevel(), 2);
      assertArrayEquals(data, decompress(c, z), c.id());
      assertEquals(c, Compression.detect(new BufferedInputStream(new ByteArrayInputStream(z))), c.id());
      try (InputStream in = Compression.decompressDetected(new ByteArrayInputStream(z))) {
        assertArrayEquals(data, in.readAllBytes(), c.id());
      }
      if (c != Compression.NONE) {
        assertTrue(z.length < data.length * 6 / 10, c.id() + " compresses");
      }
    }
    assertEquals(Compression.NONE, Compression.detect(new BufferedInputStream(new ByteArrayInputStream(new byte[0]))));
    assertEquals(Compression.NONE, Compression.detect(new BufferedInputStream(new ByteArrayInputStream(new byte[] {0x1f}))));
  }

  @Test
  void detectRewinds() throws IOException {
    byte[] z = compress(Compression.GZIP, sample(1000), 6, 1);
    BufferedInputStream in = new BufferedInputStream(new ByteArrayInputStream(z));
    Compression.detect(in);
    assertArrayEquals(z, in.readAllBytes());
  }

  @Test
  void detectNeedsMark() {
    assertThrows(IllegalArgumentException.class, () -> Compression.detect(new java.io.InputStream() {
      @Override
      public int read() {
        return -1;
      }
    }));
  }

  @Test
  void gzipIsReproducibleWithFixedHeader() throws IOException {
    byte[] data = sample(100_000);
    byte[] a = compress(Compression.GZIP, data, 6, 1);
    byte[] b = compress(Compression.GZIP, data, 6, 8);
    assertArrayEquals(a, b);
    assertArrayEquals(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff}, Arrays.copyOf(a, 10));
    // readable by the JDK's reader, and the deflate stream equals the JDK writer's at the same level
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(a))) {
      assertArrayEquals(data, in.readAllBytes());
    }
    ByteArrayOutputStream jdk = new ByteArrayOutputStream();
    try (GZIPOutputStream g = new GZIPOutputStream(jdk)) {
      g.write(data);
    }
    assertArrayEquals(jdk.toByteArray(), a);
    assertFalse(Arrays.equals(a, compress(Compression.GZIP, data, 1, 1)));
  }

  @Test
  void gzipEmptyInputAndLevelZero() throws IOException {
    assertArrayEquals(new byte[8], decompress(Compression.GZIP, compress(Compression.GZIP, new byte[8], 0, 1)));
    ByteArrayOutputStream bo = new ByteArrayOutputStream();
    Compression.GZIP.compress(bo, 9).close();
    assertArrayEquals(new byte[0], decompress(Compression.GZIP, bo.toByteArray()));
  }

  @Test
  void outputDoesNotDependOnWriteSizes() throws IOException {
    byte[] data = sample(200_000);
    for (Compression c : new Compression[] {Compression.GZIP, Compression.ZSTD}) {
      ByteArrayOutputStream small = new ByteArrayOutputStream();
      try (OutputStream out = c.compress(small)) {
        for (int i = 0; i < data.length; i += 997) {
          out.write(data, i, Math.min(997, data.length - i));
        }
      }
      ByteArrayOutputStream big = new ByteArrayOutputStream();
      try (OutputStream out = c.compress(big)) {
        out.write(data);
      }
      assertArrayEquals(big.toByteArray(), small.toByteArray(), c.id());
    }
  }

  @Test
  void gzipConcatenatedMembers() throws IOException {
    byte[] a = compress(Compression.GZIP, TestImages.utf8("first part, "), 6, 1);
    byte[] b = compress(Compression.GZIP, TestImages.utf8("second part"), 6, 1);
    byte[] both = new byte[a.length + b.length];
    System.arraycopy(a, 0, both, 0, a.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    assertEquals("first part, second part", new String(decompress(Compression.GZIP, both), "UTF-8"));
  }

  @Test
  void zstdIsReproducibleForAnyWorkerCount() throws IOException {
    byte[] data = sample(1_500_000);
    byte[] one = compress(Compression.ZSTD, data, 3, 1);
    byte[] four = compress(Compression.ZSTD, data, 3, 4);
    byte[] none = compress(Compression.ZSTD, data, 3, 0);
    assertArrayEquals(one, four);
    assertArrayEquals(one, none, "workers below 1 are taken as 1");
    assertArrayEquals(data, decompress(Compression.ZSTD, one));
    assertFalse(Arrays.equals(one, compress(Compression.ZSTD, data, 9, 1)));
  }

  @Test
  void zstdMultipleFrames() throws IOException {
    byte[] a = compress(Compression.ZSTD, TestImages.utf8("frame one;"), 3, 1);
    byte[] b = compress(Compression.ZSTD, TestImages.utf8("frame two"), 3, 1);
    byte[] both = new byte[a.length + b.length];
    System.arraycopy(a, 0, both, 0, a.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    assertEquals("frame one;frame two", new String(decompress(Compression.ZSTD, both), "UTF-8"));
  }

  @Test
  void levelsAreChecked() {
    assertThrows(IllegalArgumentException.class, () -> Compression.GZIP.compress(new ByteArrayOutputStream(), 10));
    assertThrows(IllegalArgumentException.class, () -> Compression.ZSTD.compress(new ByteArrayOutputStream(), 23));
    assertThrows(IllegalArgumentException.class, () -> Compression.ZSTD.compress(new ByteArrayOutputStream(), 0));
  }

  @Test
  void corruptInputFails() {
    byte[] junk = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff, 1, 2, 3, 4, 5, 6, 7};
    assertThrows(IOException.class, () -> decompress(Compression.GZIP, junk));
    byte[] zjunk = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 9, 9, 9, 9, 9, 9};
    assertThrows(IOException.class, () -> decompress(Compression.ZSTD, zjunk));
  }

  @Test
  void truncatedInputFails() throws IOException {
    byte[] data = sample(100_000);
    for (Compression c : new Compression[] {Compression.GZIP, Compression.ZSTD}) {
      byte[] z = compress(c, data, c.defaultLevel(), 1);
      byte[] cut = Arrays.copyOf(z, z.length / 2);
      assertThrows(IOException.class, () -> decompress(c, cut), c.id());
    }
  }

  @Test
  void mediaTypes() throws OciFormatException {
    assertEquals(Compression.NONE, Compression.forMediaType(MediaTypes.OCI_LAYER));
    assertEquals(Compression.GZIP, Compression.forMediaType(MediaTypes.OCI_LAYER_GZIP));
    assertEquals(Compression.ZSTD, Compression.forMediaType(MediaTypes.OCI_LAYER_ZSTD));
    assertEquals(Compression.NONE, Compression.forMediaType(MediaTypes.DOCKER_LAYER));
    assertEquals(Compression.GZIP, Compression.forMediaType(MediaTypes.DOCKER_LAYER_GZIP));
    assertEquals(Compression.ZSTD, Compression.forMediaType(MediaTypes.DOCKER_LAYER_ZSTD));
    assertEquals(Compression.GZIP,
        Compression.forMediaType("application/vnd.oci.image.layer.nondistributable.v1.tar+gzip"));
    assertEquals(Compression.GZIP,
        Compression.forMediaType("application/vnd.docker.image.rootfs.foreign.diff.tar.gzip"));
    for (Compression c : Compression.values()) {
      assertEquals(c, Compression.forMediaType(c.ociLayerMediaType()));
      assertEquals(c, Compression.forMediaType(c.dockerLayerMediaType()));
      assertEquals(c, Compression.parse(c.id().toUpperCase(java.util.Locale.ROOT)));
    }
    assertEquals(MediaTypes.OCI_LAYER_GZIP, Compression.GZIP.ociLayerMediaType());
    assertEquals(Compression.NONE, Compression.parse("uncompressed"));
    OciFormatException e = assertThrows(OciFormatException.class,
        () -> Compression.forMediaType(MediaTypes.OCI_CONFIG));
    assertEquals("unsupported layer media type '" + MediaTypes.OCI_CONFIG + "'", e.getMessage());
    assertThrows(OciFormatException.class, () -> Compression.forMediaType(null));
    assertThrows(IllegalArgumentException.class, () -> Compression.parse("xz"));
  }
}
