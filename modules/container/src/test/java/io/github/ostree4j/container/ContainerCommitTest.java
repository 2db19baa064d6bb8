package io.github.ostree4j.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code container commit} on hand-made container roots. */
class ContainerCommitTest {

  @TempDir Path root;

  private void ostreeContainer() throws Exception {
    Files.createDirectories(root.resolve("sysroot/ostree/repo"));
    Files.writeString(root.resolve("sysroot/ostree/repo/config"),
        "[core]\nrepo_version=1\nmode=bare-split-xattrs\n");
  }

  private Path file(String rel) throws Exception {
    Path p = root.resolve(rel);
    Files.createDirectories(p.getParent());
    return Files.writeString(p, "x");
  }

  @Test
  void emptiesRunTmpVarTmpAndVarCacheKeepingTheDirectories() throws Exception {
    ostreeContainer();
    file("run/a/b");
    file("tmp/t");
    file("var/tmp/vt");
    file("var/cache/apt/pkgcache.bin");
    file("var/lib/keep");
    file("usr/bin/keep");
    long n = new ContainerCommit(root, Map.of("container", "oci")).run();
    assertEquals(6, n); // run/a/b, run/a, tmp/t, var/tmp/vt, var/cache/apt/pkgcache.bin, var/cache/apt
    for (String d : ContainerCommit.CLEANED) {
      assertTrue(Files.isDirectory(root.resolve(d)), d);
      try (var s = Files.list(root.resolve(d))) {
        assertEquals(0, s.count(), d);
      }
    }
    assertTrue(Files.exists(root.resolve("var/lib/keep")));
    assertTrue(Files.exists(root.resolve("usr/bin/keep")));
  }

  @Test
  void refusesWithoutAnOstreeRepository() throws Exception {
    file("tmp/t");
    ContainerCommit.NotAnOstreeContainerException e = assertThrows(
        ContainerCommit.NotAnOstreeContainerException.class,
        () -> new ContainerCommit(root, Map.of("container", "oci")).run());
    assertTrue(e.getMessage().startsWith("not an ostree container"), e.getMessage());
    assertTrue(Files.exists(root.resolve("tmp/t")));
  }

  @Test
  void olderConfigLocationIsAccepted() throws Exception {
    Files.createDirectories(root.resolve("sysroot"));
    Files.writeString(root.resolve("sysroot/config"), "[core]\nmode=bare-split-xattrs\n");
    assertTrue(new ContainerCommit(root, Map.of()).isOstreeContainer());
  }

  @Test
  void refusesOnABootedHost() throws Exception {
    ostreeContainer();
    file("run/ostree-booted");
    file("tmp/t");
    assertThrows(ContainerCommit.NotAnOstreeContainerException.class,
        () -> new ContainerCommit(root, Map.of("INVOCATION_ID", "x")).run());
    assertTrue(Files.exists(root.resolve("tmp/t")));
    assertFalse(Files.exists(root.resolve("run/.containerenv")));
  }
}
