package io.github.ostree4j.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.testing.CmdResult;
import io.github.ostree4j.testing.OstreeCli;
import io.github.ostree4j.testing.Peers;
import io.github.ostree4j.testing.TreeComparator;
import io.github.ostree4j.testing.WorkDirs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Deployments written by {@link Deployer} against the same deployments written by the real
 * {@code ostree admin deploy} (2022.7): same boot entries, links, GC anchor refs, origins, boot
 * files and deployment trees, and the same {@code ostree admin status}.
 */
class SysrootConformanceIT {

  private Path work;
  private Path src;
  private Path theirs;
  private Path ours;

  @BeforeEach
  void setUp() throws IOException {
    Peers.require("ostree");
    Peers.requireRoot("sysroot repositories are in mode bare");
    work = WorkDirs.newDir("sysroot-conformance");
    src = work.resolve("src");
    OstreeCli.init(src, "archive");
    theirs = Files.createDirectories(work.resolve("theirs"));
    OstreeCli.run("admin", "init-fs", theirs.toString());
    OstreeCli.run("admin", "os-init", "--sysroot=" + theirs, "testos");
    ours = work.resolve("ours");
    Sysroot.initFs(ours).osInit("testos");
  }

  @AfterEach
  void tearDown() {
    if (theirs != null) {
      OsTrees.unlock(theirs);
    }
  }

  private String commit(String version, String kernel) {
    Path t = OsTrees.tree(work.resolve("tree-" + version), version, kernel);
    return OsTrees.commit(src, "testos/stable", version, t);
  }

  private void pullBoth() {
    for (Path s : List.of(theirs, ours)) {
      OstreeCli.run("--repo=" + s.resolve("ostree/repo"), "pull-local", src.toString(), "testos/stable");
    }
  }

  private DeployResult deployOurs(String commit, List<String> kargs) throws IOException {
    DeployRequest.Builder b = DeployRequest.builder("testos", Checksum.parse(commit))
        .origin(Origins.forRefspec("testos/stable"));
    if (kargs != null) {
      b.kernelArgs(kargs);
    }
    return new Deployer(Sysroot.open(ours)).deploy(b.build());
  }

  @Test
  void deployUpgradeAndUndeployMatchOstree() throws Exception {
    String v1 = commit("1.0", "A");
    pullBoth();
    OstreeCli.run("admin", "deploy", "--sysroot=" + theirs, "--os=testos", "--karg=root=LABEL=MOO",
        "--karg=quiet", "testos/stable");
    DeployResult r1 = deployOurs(v1, List.of("root=LABEL=MOO", "quiet"));
    assertEquals(v1, r1.deployment().commit().hex());
    assertSameLayout();

    // local /etc changes on both machines
    for (Path s : List.of(theirs, ours)) {
      Path etc = s.resolve("ostree/deploy/testos/deploy/" + v1 + ".0/etc");
      Files.writeString(etc.resolve("aconfigfile"), "edited\n");
      Files.writeString(etc.resolve("localfile"), "local\n");
      Files.delete(etc.resolve("app/app.conf"));
    }
    String v2 = commit("2.0", "A");
    pullBoth();
    CmdResult d2 = OstreeCli.run("admin", "deploy", "--sysroot=" + theirs, "--os=testos", "testos/stable");
    DeployResult r2 = deployOurs(v2, null);
    assertTrue(d2.stdout().contains(r2.etc().summary()), d2.stdout() + " vs " + r2.etc().summary());
    assertEquals("Copying /etc changes: 1 modified, 1 removed, 1 added", r2.etc().summary());
    assertSameLayout();
    assertEquals("edited\n", Files.readString(ours.resolve("ostree/deploy/testos/deploy/" + v2 + ".0/etc/aconfigfile")));

    // a new kernel: a second boot checksum directory; v1 leaves the rotation
    String v3 = commit("3.0", "B");
    pullBoth();
    OstreeCli.run("admin", "deploy", "--sysroot=" + theirs, "--os=testos", "testos/stable");
    DeployResult r3 = deployOurs(v3, null);
    assertEquals(List.of("ostree/deploy/testos/deploy/" + v1 + ".0"), r3.removed());
    assertSameLayout();

    // the same commit again: serial 1
    OstreeCli.run("admin", "deploy", "--sysroot=" + theirs, "--os=testos", "testos/stable");
    DeployResult r4 = deployOurs(v3, null);
    assertEquals(1, r4.deployment().deploySerial());
    assertSameLayout();

    OstreeCli.run("admin", "undeploy", "--sysroot=" + theirs, "0");
    new Deployer(Sysroot.open(ours)).undeploy(0);
    assertSameLayout();
  }

  private void assertSameLayout() throws IOException {
    assertEquals(OstreeCli.run("admin", "status", "--sysroot=" + theirs).stdout(),
        OstreeCli.run("admin", "status", "--sysroot=" + ours).stdout(), "ostree admin status");
    assertEquals(OsTrees.ostreeStatus(ours), OsTrees.ourStatus(ours));
    assertEquals(links(theirs), links(ours), "symlinks under boot/ and ostree/boot.*");
    assertEquals(files(theirs.resolve("boot")), files(ours.resolve("boot")), "files under boot/");
    assertEquals(anchorRefs(theirs), anchorRefs(ours), "GC anchor refs");
    Map<String, String> deployTheirs = files(theirs.resolve("ostree/deploy/testos/deploy"), 1);
    assertEquals(deployTheirs, files(ours.resolve("ostree/deploy/testos/deploy"), 1),
        "deployment directories and origin files");
    for (String name : deployTheirs.keySet()) {
      if (!name.endsWith(".origin")) {
        TreeComparator.assertEqualTrees(theirs.resolve("ostree/deploy/testos/deploy/" + name),
            ours.resolve("ostree/deploy/testos/deploy/" + name),
            TreeComparator.Options.defaults().ignoreRootMetadata().compareHardlinks());
      }
    }
    for (Path s : List.of(theirs, ours)) {
      OsTrees.assertEntriesPointAtFiles(s);
      OsTrees.assertFsckClean(s);
    }
  }

  private static Map<String, String> anchorRefs(Path sysroot) {
    Map<String, String> out = new TreeMap<>();
    for (String line : OstreeCli.run("refs", "--repo=" + sysroot.resolve("ostree/repo")).stdoutLines()) {
      if (line.matches("ostree/[0-9]+/[0-9]+/[0-9]+")) {
        out.put(line, OstreeCli.run("rev-parse", "--repo=" + sysroot.resolve("ostree/repo"), line)
            .stdout().strip());
      }
    }
    return out;
  }

  /** Every symlink below boot/ and ostree/boot.* with its target. */
  private static Map<String, String> links(Path sysroot) throws IOException {
    Map<String, String> out = new TreeMap<>();
    List<Path> roots = new ArrayList<>(List.of(sysroot.resolve("boot")));
    try (Stream<Path> s = Files.list(sysroot.resolve("ostree"))) {
      s.filter(p -> p.getFileName().toString().startsWith("boot.")).forEach(roots::add);
    }
    for (Path r : roots) {
      if (Files.isSymbolicLink(r)) {
        out.put(sysroot.relativize(r).toString(), Files.readSymbolicLink(r).toString());
        continue;
      }
      try (Stream<Path> s = Files.walk(r)) {
        for (Path p : (Iterable<Path>) s::iterator) {
          if (Files.isSymbolicLink(p)) {
            out.put(sysroot.relativize(p).toString(), Files.readSymbolicLink(p).toString());
          }
        }
      }
    }
    return out;
  }

  private static Map<String, String> files(Path dir) throws IOException {
    return files(dir, Integer.MAX_VALUE);
  }

  /** Regular files (with content) and directories (as "dir") below {@code dir}, not following links. */
  private static Map<String, String> files(Path dir, int depth) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir, depth)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (p.equals(dir)) {
          continue;
        }
        String rel = dir.relativize(p).toString();
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          out.put(rel, Files.readString(p, StandardCharsets.UTF_8));
        } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          out.put(rel, "dir");
        }
      }
    }
    return out;
  }
}
