package io.github.ostree4j.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.testing.OstreeCli;
import io.github.ostree4j.testing.Peers;
import io.github.ostree4j.testing.WorkDirs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One sysroot changed in turns by the real ostree and by ostree4j, and a sysroot full of what an
 * interrupted change leaves behind: after every step both tools list the same deployments, the
 * boot entries point at existing files and the repository is clean.
 */
class SysrootInteropIT {

  private Path work;
  private Path src;
  private Path sysroot;

  @BeforeEach
  void setUp() throws IOException {
    Peers.require("ostree");
    Peers.requireRoot("sysroot repositories are in mode bare");
    work = WorkDirs.newDir("sysroot-interop");
    src = work.resolve("src");
    OstreeCli.init(src, "archive");
    sysroot = work.resolve("sysroot");
    Sysroot.initFs(sysroot).osInit("testos");
  }

  @AfterEach
  void tearDown() {
    if (sysroot != null) {
      OsTrees.unlock(sysroot);
    }
  }

  private String pull(String version, String kernel) {
    Path t = OsTrees.tree(work.resolve("tree-" + version), version, kernel);
    String c = OsTrees.commit(src, "testos/stable", version, t);
    OstreeCli.run("--repo=" + sysroot.resolve("ostree/repo"), "pull-local", src.toString(), "testos/stable");
    return c;
  }

  private DeployResult ours(String commit) throws IOException {
    return new Deployer(Sysroot.open(sysroot)).deploy(DeployRequest.builder("testos",
        Checksum.parse(commit)).origin(Origins.forRefspec("testos/stable")).build());
  }

  private void theirs() {
    OstreeCli.run("admin", "deploy", "--sysroot=" + sysroot, "--os=testos", "testos/stable");
  }

  private void assertAgree(String... expectedCommits) throws IOException {
    List<String> status = OsTrees.ostreeStatus(sysroot);
    assertEquals(status, OsTrees.ourStatus(sysroot));
    assertEquals(expectedCommits.length, status.size(), status.toString());
    for (int i = 0; i < expectedCommits.length; i++) {
      assertTrue(status.get(i).contains(expectedCommits[i]), i + ": " + status);
    }
    OsTrees.assertEntriesPointAtFiles(sysroot);
    OsTrees.assertFsckClean(sysroot);
  }

  @Test
  void ostreeAndOstree4jTakeTurns() throws Exception {
    String v1 = pull("1", "A");
    theirs();
    assertAgree(v1);
    Files.writeString(sysroot.resolve("ostree/deploy/testos/deploy/" + v1 + ".0/etc/localfile"), "mine\n");

    String v2 = pull("2", "A");
    assertEquals("Copying /etc changes: 0 modified, 0 removed, 1 added", ours(v2).etc().summary());
    assertAgree(v2, v1);

    String v3 = pull("3", "B");
    theirs();
    assertAgree(v3, v2);
    assertEquals("mine\n", Files.readString(sysroot.resolve("ostree/deploy/testos/deploy/" + v3 + ".0/etc/localfile")));

    String v4 = pull("4", "B");
    ours(v4);
    assertAgree(v4, v3);
    String v5 = pull("5", "C");
    DeployResult r5 = ours(v5); // removes v3, which ostree made immutable
    assertEquals(List.of("ostree/deploy/testos/deploy/" + v3 + ".0"), r5.removed());
    assertFalse(Files.exists(sysroot.resolve("ostree/deploy/testos/deploy/" + v3 + ".0")));
    assertAgree(v5, v4);

    new Deployer(Sysroot.open(sysroot)).rollback();
    assertAgree(v4, v5);
    new Deployer(Sysroot.open(sysroot)).rollback();
    assertAgree(v5, v4);

    String v6 = pull("6", "C");
    theirs();
    assertAgree(v6, v5);
  }

  @Test
  void leftoversOfAnInterruptedChangeAreRemovedByTheNextOne() throws Exception {
    String v1 = pull("1", "A");
    ours(v1);
    Sysroot s = Sysroot.open(sysroot);
    int other = s.bootVersion() == 0 ? 1 : 0;
    String v2 = pull("2", "B");
    // what a kill at various points of a deployment of v2 leaves behind
    Path half = Files.createDirectories(sysroot.resolve("ostree/deploy/testos/deploy/" + v2 + ".0/usr/lib"));
    Files.writeString(half.resolve("partial"), "x");
    Files.writeString(sysroot.resolve("ostree/deploy/testos/deploy/" + v2 + ".0.origin"), "[origin]\n");
    Path otherEntries = Files.createDirectories(sysroot.resolve("boot/loader." + other + "/entries"));
    Files.writeString(otherEntries.resolve("ostree-1-testos.conf"), "title half\n");
    Files.createSymbolicLink(sysroot.resolve("boot/loader.tmp"), Path.of("loader." + other));
    Files.createDirectories(sysroot.resolve("ostree/boot." + other + ".1/testos"));
    Files.createSymbolicLink(sysroot.resolve("ostree/boot." + other), Path.of("boot." + other + ".1"));
    Path unusedBoot = Files.createDirectories(sysroot.resolve("boot/ostree/testos-" + "e".repeat(64)));
    Files.writeString(unusedBoot.resolve("vmlinuz-" + OsTrees.KVER), "half");
    Path usedBoot = sysroot.resolve("boot/ostree/testos-" + s.deployments().get(0).bootcsum());
    Files.writeString(usedBoot.resolve(".initramfs-x.img.tmp"), "half");
    OstreeCli.run("--repo=" + sysroot.resolve("ostree/repo"), "refs", "--create=ostree/" + other + "/1/0", v2);

    // the previous state is still what both tools see
    assertEquals(OsTrees.ostreeStatus(sysroot), OsTrees.ourStatus(sysroot));
    assertEquals(1, OsTrees.ourStatus(sysroot).size());

    DeployResult r = ours(v2);
    assertEquals(0, r.deployment().deploySerial(), "the half-written directory was removed first");
    assertAgree(v2, v1);
    assertFalse(Files.exists(unusedBoot));
    assertFalse(Files.exists(usedBoot.resolve(".initramfs-x.img.tmp")));
    assertFalse(Files.exists(sysroot.resolve("boot/loader.tmp"), LinkOption.NOFOLLOW_LINKS));
    assertFalse(Files.exists(sysroot.resolve("ostree/deploy/testos/deploy/" + v2 + ".0/usr/lib/partial")));
    String refs = OstreeCli.run("refs", "--repo=" + sysroot.resolve("ostree/repo")).stdout();
    Sysroot after = Sysroot.open(sysroot);
    String prefix = "ostree/" + after.bootVersion() + "/" + after.subBootVersion() + "/";
    assertEquals(List.of(prefix + "0", prefix + "1"), refs.lines().filter(l -> l.startsWith("ostree/")).sorted().toList());
  }
}
