package io.github.ostree4j.deploy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class BootEntryTest {

  /** An entry written by ostree admin deploy 2022.7 (docs: ostree-repo-format.md §7.4). */
  private static final String OSTREE_ENTRY = "title TestOS 42 2.0 (ostree:0)\n"
      + "version 2\n"
      + "options root=LABEL=MOO quiet ostree=/ostree/boot.0/testos/7bd0/0\n"
      + "linux /ostree/testos-7bd0/vmlinuz-5.10.0\n"
      + "initrd /ostree/testos-7bd0/initramfs-5.10.0.img\n";

  @Test
  void parsesAndWritesBackInOstreesOrder() {
    BootEntry e = BootEntry.parse(OSTREE_ENTRY);
    assertEquals("TestOS 42 2.0 (ostree:0)", e.get("title").orElseThrow());
    assertEquals("2", e.get("version").orElseThrow());
    assertEquals(OSTREE_ENTRY, e.toText());
    BootEntry built = new BootEntry().set("initrd", "/i").set("linux", "/l").set("options", "o")
        .set("version", "1").set("title", "t").set("extra", "x");
    assertEquals("title t\nversion 1\noptions o\nlinux /l\ninitrd /i\nextra x\n", built.toText());
  }

  @Test
  void kernelArguments() {
    List<String> args = BootEntry.splitArgs("root=LABEL=MOO  quiet ostree=/a rd.x=\"a b\"");
    assertEquals(List.of("root=LABEL=MOO", "quiet", "ostree=/a", "rd.x=\"a b\""), args);
    assertEquals(List.of("root=LABEL=MOO", "quiet", "ostree=/b", "rd.x=\"a b\""),
        BootEntry.replaceArg(args, "ostree=/b"), "replaced in place");
    assertEquals(List.of("quiet", "ostree=/b"), BootEntry.replaceArg(List.of("quiet"), "ostree=/b"));
    assertEquals(List.of("root=LABEL=MOO", "quiet", "rd.x=\"a b\""), BootEntry.removeArg(args, "ostree"));
  }
}
