package io.github.ostree4j.ostree.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Orders observed in commits made by {@code ostree commit --bootable} (ostree 2022.7, GLib 2.74). */
class GHashTableOrderTest {

  @Test
  void fourKeys() {
    assertEquals(
        List.of("ostree.linux", "version", "ostree.bootable", "ostree.ref-binding"),
        GHashTableOrder.order(List.of("version", "ostree.ref-binding", "ostree.linux", "ostree.bootable")));
  }

  @Test
  void eightKeysWithResize() {
    assertEquals(
        List.of("x.y", "b", "a", "ostree.bootable", "zz", "version", "ostree.ref-binding", "ostree.linux"),
        GHashTableOrder.order(List.of("a", "b", "zz", "version", "x.y", "ostree.ref-binding",
            "ostree.linux", "ostree.bootable")));
  }
}
