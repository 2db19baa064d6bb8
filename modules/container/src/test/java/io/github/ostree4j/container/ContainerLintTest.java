package io.github.ostree4j.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lint checks on hand-made root filesystems. */
class ContainerLintTest {

  @TempDir Path root;

  private void file(String rel, String content) throws Exception {
    Path p = root.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
  }

  private String findings() throws Exception {
    return ContainerLint.check(root).stream().map(Object::toString).collect(Collectors.joining("\n"));
  }

  private void goodRoot() throws Exception {
    file("usr/lib/modules/6.1.0/vmlinuz", "k");
    file("usr/etc/os-release", "ID=test\n");
    file("usr/bin/sh", "x");
    Files.createDirectories(root.resolve("sysroot/ostree/repo"));
    Files.createDirectories(root.resolve("var/tmp"));
    Files.createSymbolicLink(root.resolve("bin"), Path.of("usr/bin"));
  }

  @Test
  void cleanRootPasses() throws Exception {
    goodRoot();
    assertEquals(List.of(), ContainerLint.check(root));
  }

  @Test
  void missingKernelIsAnError() throws Exception {
    goodRoot();
    Files.delete(root.resolve("usr/lib/modules/6.1.0/vmlinuz"));
    List<ContainerLint.Finding> f = ContainerLint.check(root);
    assertEquals(ContainerLint.Level.ERROR, f.get(0).level());
    assertEquals("kernel", f.get(0).check());
  }

  @Test
  void twoKernelsAreAnError() throws Exception {
    goodRoot();
    file("usr/lib/modules/6.2.0/vmlinuz", "k2");
    assertEquals("error: kernel: more than one kernel: 6.1.0, 6.2.0", findings());
  }

  @Test
  void etcAndUsrEtcBothWithContent() throws Exception {
    goodRoot();
    file("etc/passwd", "root:x:0:0::/root:/bin/sh\n");
    assertEquals("error: etc-usretc: both /etc and /usr/etc have content", findings());
  }

  @Test
  void warningsForVarBootAndOtherTopLevelContent() throws Exception {
    goodRoot();
    file("var/lib/app/state", "s");
    file("var/cache/x", "ignored: cache");
    file("boot/grub/grub.cfg", "g");
    file("opt/app/bin/app", "a");
    Files.createDirectories(root.resolve("srv"));
    String f = findings();
    assertTrue(f.contains("warning: var-content: 1 files in /var are only copied on first deployment,"
        + " never updated: /var/lib/app/state"), f);
    assertTrue(f.contains("warning: nonempty-boot: /boot is managed by the node; 1 files there are"
        + " ignored: /boot/grub/grub.cfg"), f);
    assertTrue(f.contains("warning: content-outside-usr: content outside /usr, /etc and /var is"
        + " dropped on import: /opt"), f);
    assertTrue(!f.contains("/srv"), "an empty /srv is fine: " + f);
    assertTrue(!f.contains("error"), f);
  }
}
