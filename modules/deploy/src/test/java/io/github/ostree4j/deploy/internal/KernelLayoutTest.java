package io.github.ostree4j.deploy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelLayoutTest {

  @TempDir Path tmp;

  @Test
  void bootChecksumIsOverKernelThenInitramfs() throws Exception {
    Path mods = Files.createDirectories(tmp.resolve("usr/lib/modules/5.10.0"));
    Files.writeString(mods.resolve("vmlinuz"), "kernel\n");
    Files.writeString(mods.resolve("initramfs.img"), "initrd\n");
    KernelLayout k = KernelLayout.find(tmp).orElseThrow();
    // ostree 2022.7 deployed this pair as boot/ostree/testos-ff6d61…899/ (echo kernel; echo initrd)
    assertEquals("ff6d610a0f0d84602d9e2878eb3a16a850f2d31faa2f14108006723892a17899", k.bootcsum());
    assertEquals("vmlinuz-5.10.0", k.kernelName());
    assertEquals("initramfs-5.10.0.img", k.initramfsName());
    assertEquals(2, k.files().size());
  }

  @Test
  void symlinkedKernelsAndEmptyModuleDirectoriesAreNotKernels() throws Exception {
    Path a = Files.createDirectories(tmp.resolve("usr/lib/modules/a"));
    Files.createSymbolicLink(a.resolve("vmlinuz"), Path.of("/etc/passwd"));
    Files.createDirectories(tmp.resolve("usr/lib/modules/b"));
    assertFalse(KernelLayout.find(tmp).isPresent());
    Path c = Files.createDirectories(tmp.resolve("usr/lib/modules/c"));
    Files.writeString(c.resolve("vmlinuz"), "k");
    KernelLayout k = KernelLayout.find(tmp).orElseThrow();
    assertEquals("c", k.kernelVersion());
    assertNull(k.initramfs());
    assertTrue(k.bootcsum().matches("[0-9a-f]{64}"));
  }

  @Test
  void aSymlinkedModulesDirectoryIsNotFollowed() throws Exception {
    Path outside = Files.createDirectories(tmp.resolve("host/lib/modules/6.0"));
    Files.writeString(outside.resolve("vmlinuz"), "the host's kernel");
    Path root = Files.createDirectories(tmp.resolve("root/usr"));
    Files.createSymbolicLink(root.resolve("lib"), tmp.resolve("host/lib"));
    assertFalse(KernelLayout.find(tmp.resolve("root")).isPresent());
  }
}
