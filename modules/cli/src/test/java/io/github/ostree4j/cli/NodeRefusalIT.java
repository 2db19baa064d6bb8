package io.github.ostree4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ostree4j.oci.Platform;
import io.github.ostree4j.testing.Cmd;
import io.github.ostree4j.testing.LocalRegistry;
import io.github.ostree4j.testing.Peers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Updates that must be refused before anything on the node changes, each with a one-line error:
 * a registry that is down, an image without the bootable label, an image without a kernel, an
 * image for another architecture, a disk too small for the download.
 */
class NodeRefusalIT {

  private Path work;
  private Path sysroot;
  private NodeImages images;

  @BeforeEach
  void setUp() {
    Peers.require("ostree");
    Peers.requireRoot("sysroot repositories are in mode bare");
    work = ItFixtures.newDir("node-refusal");
    images = new NodeImages(work);
  }

  private void newSysroot(Path dir) throws IOException {
    sysroot = dir;
    Ostree4j.ok("admin", "init-fs", sysroot.toString());
    Ostree4j.ok("admin", "os-init", "--sysroot=" + sysroot, "testos");
    String img = "oci:" + work.resolve("v1") + ":stable";
    images.bootable("1", img);
    Ostree4j.ok("rebase", "--sysroot=" + sysroot, img);
  }

  /** Runs a node command that must fail; returns its one error line. */
  private String refused(String... args) {
    Ostree4j.Result r = Ostree4j.run(args);
    assertEquals(1, r.exitCode(), r::toString);
    assertEquals(1, r.stderrLines().size(), r::toString);
    return r.stderrLines().get(0);
  }

  /** Every path below the sysroot with its type, size or link target. */
  private Map<String, String> snapshot(Predicate<String> include) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(sysroot)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        String rel = sysroot.relativize(p).toString();
        if (!include.test(rel)) {
          continue;
        }
        if (Files.isSymbolicLink(p)) {
          out.put(rel, "-> " + Files.readSymbolicLink(p));
        } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          out.put(rel, "dir");
        } else {
          out.put(rel, Files.size(p) + " bytes");
        }
      }
    }
    return out;
  }

  private Map<String, String> snapshot() throws IOException {
    return snapshot(p -> true);
  }

  @Test
  void registryDown() throws Exception {
    newSysroot(work.resolve("sysroot"));
    try (LocalRegistry registry = LocalRegistry.start()) {
      String tag = registry.host() + "/os/test:stable";
      images.bootable("2", "docker://" + tag, "--tls-verify=false");
      Ostree4j.ok("rebase", "--sysroot=" + sysroot, "--tls-verify=false", "ostree-unverified-registry:" + tag);
      images.bootable("3", "docker://" + tag, "--tls-verify=false");
      registry.stop();
      List<String> before = SysrootChecks.assertConsistent(sysroot);
      Map<String, String> files = snapshot();
      String e = refused("upgrade", "--sysroot=" + sysroot, "--tls-verify=false");
      assertTrue(e.startsWith("error: upgrading: reading the manifest of docker://" + tag + ": "), e);
      e = refused("upgrade", "--check", "--sysroot=" + sysroot, "--tls-verify=false");
      assertTrue(e.startsWith("error: checking for updates: reading the manifest of docker://" + tag), e);
      e = refused("rebase", "--sysroot=" + sysroot, "--tls-verify=false", "docker://" + registry.host() + "/os/other:1");
      assertTrue(e.startsWith("error: rebasing: reading the manifest of docker://"), e);
      assertEquals(files, snapshot());
      assertEquals(before, SysrootChecks.assertConsistent(sysroot));
    }
  }

  @Test
  void imageWithoutBootableLabel() throws Exception {
    newSysroot(work.resolve("sysroot"));
    images.commit(images.tree("plain", true, 4096), "plain", false);
    Path img = work.resolve("plain");
    images.encapsulate("oci:" + img + ":1");
    Map<String, String> files = snapshot();
    String e = refused("rebase", "--sysroot=" + sysroot, "oci:" + img + ":1");
    assertEquals("error: rebasing: oci:" + img + ":1 is not a bootable image: it has neither the"
        + " ostree.bootable nor the containers.bootc label", e);
    assertEquals(files, snapshot());
  }

  @Test
  void imageWithoutKernel() throws Exception {
    newSysroot(work.resolve("sysroot"));
    images.commit(images.tree("nokernel", false, 4096), "nokernel", false);
    Path img = work.resolve("nokernel");
    images.encapsulate("oci:" + img + ":1", "--label=containers.bootc=1");
    Predicate<String> notObjects = p -> !p.startsWith("ostree/repo/objects") && !p.startsWith("ostree/repo/tmp");
    Map<String, String> files = snapshot();
    List<String> before = SysrootChecks.assertConsistent(sysroot);
    String e = refused("rebase", "--sysroot=" + sysroot, "oci:" + img + ":1");
    assertEquals("error: rebasing: oci:" + img + ":1 is not a bootable image: it has no kernel"
        + " (usr/lib/modules/VERSION/vmlinuz)", e);
    // the kernel is only visible in the content: what was downloaded is unreferenced, refs are as before
    assertEquals(snapshot(notObjects), mapFilter(files, notObjects));
    assertEquals(before, SysrootChecks.assertConsistent(sysroot));
    Ostree4j.ok("cleanup", "--sysroot=" + sysroot);
    Predicate<String> objectFiles = p -> !p.startsWith("ostree/repo/tmp")
        && !p.matches("ostree/repo/objects/[0-9a-f]{2}");
    assertEquals(mapFilter(files, objectFiles), snapshot(objectFiles),
        "cleanup removes the downloaded objects");
  }

  @Test
  void imageForAnotherArchitecture() throws Exception {
    newSysroot(work.resolve("sysroot"));
    String other = Platform.current().architecture().equals("amd64") ? "arm64" : "amd64";
    Path img = work.resolve("foreign");
    images.bootable("foreign", "oci:" + img + ":1", "--platform=linux/" + other);
    Map<String, String> files = snapshot();
    String e = refused("rebase", "--sysroot=" + sysroot, "oci:" + img + ":1");
    assertEquals("error: rebasing: oci:" + img + ":1 is built for linux/" + other
        + ", but this machine is linux/" + Platform.current().architecture(), e);
    assertEquals(files, snapshot());
  }

  @Test
  void diskTooSmall() throws Exception {
    Path mnt = Files.createDirectories(work.resolve("tmpfs"));
    Cmd.of("mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", mnt.toString()).run().checkSuccess();
    try {
      newSysroot(mnt.resolve("sysroot"));
      Path img = work.resolve("huge");
      images.commit(images.tree("huge", true, 16 << 20), "huge", true);
      images.encapsulate("oci:" + img + ":1");
      List<String> before = SysrootChecks.assertConsistent(sysroot);
      Map<String, String> files = snapshot();
      String e = refused("rebase", "--sysroot=" + sysroot, "oci:" + img + ":1");
      assertTrue(e.startsWith("error: rebasing: not enough free space in " + sysroot + " for oci:"
          + img + ":1: "), e);
      assertTrue(e.matches(".*: [0-9]+ layers of 32\\.[0-9] MiB need about 64\\.[0-9] MiB plus the 3% reserve"
          + " \\(.*\\), but only .* is free"), e);
      assertEquals(files, snapshot());
      assertEquals(before, SysrootChecks.assertConsistent(sysroot));
    } finally {
      Cmd.of("umount", mnt.toString()).run().checkSuccess();
    }
  }

  private static Map<String, String> mapFilter(Map<String, String> m, Predicate<String> keep) {
    Map<String, String> out = new TreeMap<>();
    m.forEach((k, v) -> {
      if (keep.test(k)) {
        out.put(k, v);
      }
    });
    return out;
  }
}
