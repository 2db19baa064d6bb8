package io.github.ostree4j.container.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class EndOfArchiveInputStreamTest {

  private static byte[] through(byte[] in) throws Exception {
    try (EndOfArchiveInputStream s = new EndOfArchiveInputStream(new ByteArrayInputStream(in))) {
      return s.readAllBytes();
    }
  }

  @Test
  void padsToTheRecordBoundaryThenAddsTwoZeroRecords() throws Exception {
    byte[] in = new byte[512 + 3];
    Arrays.fill(in, (byte) 7);
    byte[] out = through(in);
    assertEquals(1024 + 1024, out.length);
    assertArrayEquals(in, Arrays.copyOf(out, in.length));
    for (int i = in.length; i < out.length; i++) {
      assertEquals(0, out[i], "byte " + i);
    }
  }

  @Test
  void alignedStreamGetsOnlyTheEndRecords() throws Exception {
    assertEquals(1024 + 1024, through(new byte[1024]).length);
    assertEquals(1024, through(new byte[0]).length);
  }

  @Test
  void singleByteReadsSeeTheSameBytes() throws Exception {
    byte[] in = {1, 2, 3};
    try (EndOfArchiveInputStream s = new EndOfArchiveInputStream(new ByteArrayInputStream(in))) {
      int n = 0;
      int b;
      while ((b = s.read()) >= 0) {
        assertEquals(n < 3 ? in[n] : 0, b);
        n++;
      }
      assertEquals(512 + 1024, n);
    }
  }
}
