package io.github.ostree4j.build.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerViewTest {

  @TempDir Path tmp;

  @Test
  void ostreeImagesGetEtcVarTmpAndTheRepositorySkeleton() throws Exception {
    Path t = Files.createDirectories(tmp.resolve("t"));
    Files.createDirectories(t.resolve("usr/etc"));
    Files.writeString(t.resolve("usr/etc/os-release"), "ID=test\n");
    ContainerView.apply(t, true);
    assertEquals("ID=test\n", Files.readString(t.resolve("etc/os-release")));
    assertFalse(Files.exists(t.resolve("usr/etc")));
    assertEquals(01777, FileAttrs.lstat(t.resolve("var/tmp")).permissions());
    assertTrue(Files.isDirectory(t.resolve("sysroot/ostree/repo/objects/ff")));
    assertTrue(Files.isDirectory(t.resolve("sysroot/ostree/repo/refs/heads")));
    assertTrue(ContainerView.isOstreeContainer(t));
    assertEquals(ContainerView.REPO_CONFIG,
        Files.readString(t.resolve("sysroot/ostree/repo/config")));
  }

  @Test
  void otherImagesOnlyGetEtcBack() throws Exception {
    Path t = Files.createDirectories(tmp.resolve("t"));
    Files.createDirectories(t.resolve("usr/etc"));
    ContainerView.apply(t, false);
    assertTrue(Files.isDirectory(t.resolve("etc")));
    assertFalse(Files.exists(t.resolve("usr")), "usr only held etc");
    assertFalse(Files.exists(t.resolve("var")));
    assertFalse(ContainerView.isOstreeContainer(t));
  }
}
