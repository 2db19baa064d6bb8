package io.github.ostree4j.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ByteSizesTest {

  @Test
  void formatsWithBinaryUnits() {
    assertEquals("0 B", ByteSizes.human(0));
    assertEquals("1023 B", ByteSizes.human(1023));
    assertEquals("1.0 KiB", ByteSizes.human(1024));
    assertEquals("11.3 KiB", ByteSizes.human(11571));
    assertEquals("92.0 MiB", ByteSizes.human(92L << 20));
    assertEquals("1.5 GiB", ByteSizes.human(3L << 29));
    assertEquals("2048.0 TiB", ByteSizes.human(1L << 51));
  }
}
