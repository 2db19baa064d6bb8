package io.github.ostree4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Only the cache bookkeeping; building the tree is left to the integration tests. */
class DebianRootfsTest {

  @TempDir Path tmp;
  private final String saved = System.getProperty(DebianRootfs.CACHE_PROPERTY);

  @AfterEach
  void restore() {
    if (saved == null) {
      System.clearProperty(DebianRootfs.CACHE_PROPERTY);
    } else {
      System.setProperty(DebianRootfs.CACHE_PROPERTY, saved);
    }
  }

  @Test
  void cacheDirComesFromTheSystemProperty() {
    System.setProperty(DebianRootfs.CACHE_PROPERTY, tmp.toString());
    assertEquals(tmp.toAbsolutePath(), DebianRootfs.cacheDir());
  }

  @Test
  void incompleteTreeIsNotUsedAndCompleteOneIs() throws IOException {
    System.setProperty(DebianRootfs.CACHE_PROPERTY, tmp.toString());
    Path entry = tmp.resolve("minbase-bookworm");
    Path rootfs = Files.createDirectories(entry.resolve("rootfs/etc"));
    assertTrue(DebianRootfs.cachedMinbase().isEmpty(), "no marker yet");
    Files.writeString(entry.resolve(DebianRootfs.MARKER), "suite=bookworm\n");
    assertEquals(entry.resolve("rootfs"), DebianRootfs.cachedMinbase().orElseThrow());
    assertEquals(entry.resolve("rootfs"), DebianRootfs.minbase());
    assertTrue(Files.isDirectory(rootfs));
  }
}
