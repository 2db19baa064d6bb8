package io.github.ostree4j.container.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Source package names from {@code SOURCERPM} values as rpm stores them. */
class RpmDatabaseTest {

  @Test
  void sourceNameDropsVersionReleaseAndSuffix() {
    assertEquals("glibc", RpmDatabase.sourceName("glibc-2.36-9.fc37.src.rpm", "glibc-common"));
    assertEquals("linux-firmware", RpmDatabase.sourceName("linux-firmware-20221012-142.fc37.src.rpm", "x"));
    assertEquals("kernel", RpmDatabase.sourceName("kernel-6.0.7-301.fc37.nosrc.rpm", "kernel-core"));
  }

  @Test
  void noSourceMeansThePackageItself() {
    assertEquals("gpg-pubkey", RpmDatabase.sourceName("(none)", "gpg-pubkey"));
    assertEquals("x", RpmDatabase.sourceName("broken.src.rpm", "x"));
  }
}
