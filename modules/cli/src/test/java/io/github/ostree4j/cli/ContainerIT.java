package io.github.ostree4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ostree4j.testing.CmdResult;
import io.github.ostree4j.testing.LocalRegistry;
import io.github.ostree4j.testing.OstreeCli;
import io.github.ostree4j.testing.Peers;
import io.github.ostree4j.testing.SharedTestData;
import io.github.ostree4j.testing.TreeComparator;
import io.github.ostree4j.testing.TreeCorpus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code ostree4j container …} end to end, checked with the real ostree CLI, skopeo, umoci,
 * docker-registry and the genuine ostree-ext fixture images.
 */
class ContainerIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern MERGE = Pattern.compile("Merge commit: ([0-9a-f]{64})");
  private static final Pattern BASE = Pattern.compile("Base commit: ([0-9a-f]{64})");

  @TempDir Path tmp;

  static List<String> corpusCases() {
    return TreeCorpus.names(false);
  }

  private String commitTree(Path repo, String mode, Path tree, String... extra) {
    Ostree4j.init(repo, mode);
    List<String> opts = new ArrayList<>(List.of("-b", "os", "--timestamp=2020-01-01T00:00:00Z"));
    opts.addAll(List.of(extra));
    return Ostree4j.commit(repo, opts, tree);
  }

  /** Encapsulate then unencapsulate into a fresh repository gives the same commit; ostree fsck is clean. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("corpusCases")
  void roundTripOfEveryCorpusTree(String name) throws Exception {
    Peers.require("ostree");
    Path tree = ItFixtures.corpus(name);
    Path repo = tmp.resolve("repo");
    String commit = commitTree(repo, "bare-user", tree);
    Ostree4j.ok("container", "encapsulate", "--repo=" + repo, "os", "oci:" + tmp.resolve("img") + ":v1");
    Path back = tmp.resolve("back");
    Ostree4j.init(back, "archive");
    String out = Ostree4j.ok("container", "unencapsulate", "-q", "--repo=" + back,
        "oci:" + tmp.resolve("img") + ":v1").stdout().strip();
    assertEquals(commit, out);
    CmdResult fsck = OstreeCli.run("fsck", "--repo=" + back);
    assertTrue(fsck.stdout().contains("no errors found"), fsck.stdout() + fsck.stderr());
  }

  /** The Debian rootfs, chunked by its packages, zstd, through an oci-archive: and back. */
  @Test
  void roundTripOfTheDebianRootfsChunkedByPackage() throws Exception {
    Peers.require("ostree");
    Path rootfs = ItFixtures.minbase();
    Path repo = tmp.resolve("repo");
    String commit = commitTree(repo, "bare-user", rootfs, "--owner-uid=0", "--owner-gid=0");
    Path archive = tmp.resolve("os.ociarchive");
    Ostree4j.ok("container", "encapsulate", "--repo=" + repo, "--compression=zstd", "os",
        "oci-archive:" + archive + ":v1");
    ImagePeers peers = new ImagePeers(tmp);
    JsonNode manifest = JSON.readTree(peers.skopeo("inspect", "--raw", "oci-archive:" + archive + ":v1").stdout());
    JsonNode layers = manifest.get("layers");
    assertTrue(layers.size() > 10, "chunked into many layers: " + layers.size());
    assertTrue(layers.size() <= 65, "at most 64 component layers + the commit layer");
    Set<String> components = new HashSet<>();
    for (int i = 1; i < layers.size(); i++) {
      assertEquals("application/vnd.oci.image.layer.v1.tar+zstd", layers.get(i).get("mediaType").asText());
      String c = layers.get(i).path("annotations").path("ostree.components").asText(null);
      assertTrue(c != null, "layer " + i + " has ostree.components");
      components.addAll(List.of(c.split(",")));
    }
    for (String pkg : List.of("libc6", "bash", "coreutils", "dpkg")) {
      assertTrue(components.contains(pkg), pkg + " is a component: " + components);
    }
    // the container view (all layers applied) has every file of the tree, also the paths of
    // shared content that a component layer leaves to layer 0
    Path layout = tmp.resolve("layout");
    // umoci 0.4 reads only gzip layers: skopeo recompresses
    peers.skopeo("copy", "--dest-compress-format", "gzip", "oci-archive:" + archive + ":v1", "oci:" + layout + ":v1");
    Path bundle = tmp.resolve("bundle");
    peers.umoci("unpack", "--image", layout + ":v1", bundle.toString());
    // (owners: the commit was made with --owner-uid=0 --owner-gid=0)
    TreeComparator.assertEqualTrees(rootfs, bundle.resolve("rootfs"), TreeComparator.Options.defaults()
        .ignoreOwners().ignoreXattrs().ignoreRootMetadata().exclude(p -> p.equals("sysroot") || p.startsWith("sysroot/")
            || p.equals("var/tmp")));
    Path back = tmp.resolve("back");
    Ostree4j.init(back, "archive");
    assertEquals(commit, Ostree4j.ok("container", "unencapsulate", "-q", "--repo=" + back,
        "oci-archive:" + archive + ":v1").stdout().strip());
    CmdResult fsck = OstreeCli.run("fsck", "--repo=" + back);
    assertTrue(fsck.stdout().contains("no errors found"), fsck.stdout() + fsck.stderr());
  }

  /** Same commit, same options: same manifest digest. */
  @Test
  void encapsulationIsReproducible() throws Exception {
    Path repo = tmp.resolve("repo");
    commitTree(repo, "bare-user", osTree(tmp.resolve("tree")), "--bootable");
    String a = Ostree4j.ok("container", "encapsulate", "--repo=" + repo, "os", "oci:" + tmp.resolve("a") + ":v1").stdout().strip();
    String b = Ostree4j.ok("container", "encapsulate", "--repo=" + repo, "os", "oci:" + tmp.resolve("b") + ":v1").stdout().strip();
    assertTrue(a.startsWith("sha256:"), a);
    assertEquals(a, b);
  }

  /**
   * skopeo sees the ostree labels, and umoci's unpacked root filesystem equals ostree's checkout
   * of the commit (with usr/etc as etc, plus the repository under sysroot and var/tmp).
   */
  @Test
  void imagesAreRealContainerImages() throws Exception {
    Peers.require("ostree");
    Peers.requireRoot("umoci unpack keeps owners only as root");
    Path repo = tmp.resolve("repo");
    String commit = commitTree(repo, "bare-user", osTree(tmp.resolve("tree")), "--bootable",
        "--add-metadata-string=version=42.1");
    Path img = tmp.resolve("img");
    Ostree4j.ok("container", "encapsulate", "--repo=" + repo, "os", "oci:" + img + ":v1");
    ImagePeers peers = new ImagePeers(tmp);
    JsonNode labels = JSON.readTree(peers.skopeo("inspect", "oci:" + img + ":v1").stdout()).get("Labels");
    assertEquals(commit, labels.get("ostree.commit").asText());
    assertEquals("42.1", labels.get("org.opencontainers.image.version").asText());
    assertEquals("true", labels.get("ostree.bootable").asText());
    assertEquals("1", labels.get("containers.bootc").asText());
    assertEquals("6.1.0-test", labels.get("ostree.linux").asText());
    assertTrue(labels.get("ostree.final-diffid").asText().startsWith("sha256:"));

    Path bundle = tmp.resolve("bundle");
    peers.umoci("unpack", "--image", img + ":v1", bundle.toString());
    Path rootfs = bundle.resolve("rootfs");
    Path checkout = tmp.resolve("checkout");
    OstreeCli.run("checkout", "--repo=" + repo, "-U", commit, checkout.toString()).checkSuccess();
    // the image shows usr/etc as etc
    Files.move(checkout.resolve("usr/etc"), checkout.resolve("etc"));
    assertTrue(Files.isDirectory(rootfs.resolve("sysroot/ostree/repo/objects")));
    assertTrue(Files.isDirectory(rootfs.resolve("var/tmp")));
    TreeComparator.assertEqualTrees(checkout, rootfs, TreeComparator.Options.defaults()
        .ignoreOwners().ignoreXattrs().ignoreRootMetadata().exclude(p -> p.equals("sysroot")
            || p.startsWith("sysroot/") || p.equals("var") || p.startsWith("var/")));
  }

  /** Push to a real registry, read by skopeo, layered pull back with ostree-unverified-registry:. */
  @Test
  void registryPushAndLayeredPull() throws Exception {
    Peers.require("ostree");
    try (LocalRegistry registry = LocalRegistry.start()) {
      Path repo = tmp.resolve("repo");
      String commit = commitTree(repo, "bare-user", osTree(tmp.resolve("tree")), "--bootable");
      String image = registry.host() + "/os/test:stable";
      String digest = Ostree4j.ok("container", "encapsulate", "--repo=" + repo,
          "--tls-verify=false", "os", "docker://" + image).stdout().strip();
      ImagePeers peers = new ImagePeers(tmp);
      assertEquals(digest, peers.rawDigest("docker://" + image));

      Path node = tmp.resolve("node");
      Ostree4j.init(node, "bare-user");
      String out = Ostree4j.ok("container", "image", "pull", "--repo=" + node, "--tls-verify=false",
          "ostree-unverified-registry:" + image).stdout();
      assertTrue(out.contains("layers already present: 0"), out);
      assertEquals(commit, group(BASE, out));
      String merge = group(MERGE, out);
      CmdResult parent = OstreeCli.run("rev-parse", "--repo=" + node, merge + "^");
      assertEquals(commit, parent.stdout().strip());
      CmdResult meta = OstreeCli.run("show", "--repo=" + node, "--print-metadata-key=ostree.manifest-digest", merge);
      assertEquals("'" + digest + "'", meta.stdout().strip());
      List<String> images = List.of(Ostree4j.ok("container", "image", "list", "--repo=" + node).stdout().strip().split("\n"));
      assertEquals(List.of("docker://" + image), images);
      // again: nothing fetched
      String again = Ostree4j.ok("container", "image", "pull", "--repo=" + node, "--tls-verify=false",
          "ostree-unverified-registry:" + image).stdout();
      assertTrue(again.contains("already present"), again);
      String check = Ostree4j.ok("container", "image", "pull", "--repo=" + node, "--tls-verify=false",
          "--check=-", "ostree-unverified-registry:" + image).stdout();
      assertEquals("up to date " + digest, check.strip());
      CmdResult fsck = OstreeCli.run("fsck", "--repo=" + node);
      assertTrue(fsck.stdout().contains("no errors found"), fsck.stdout() + fsck.stderr());
    }
  }

  /** The genuine ostree-ext fixtures: base commit 3cb6170b…, merge commits with the derived files. */
  @Test
  void upstreamFixturesImport() throws Exception {
    Peers.require("ostree");
    Path fixtures = SharedTestData.require("ostree-ext-fixtures");
    Path repo = tmp.resolve("repo");
    Ostree4j.init(repo, "bare-user");
    String[] merges = new String[2];
    String[] files = {"anewfile", "anewfile2"};
    String[] archives = {"exampleos-derive.ociarchive", "exampleos-derive-v2.ociarchive"};
    for (int i = 0; i < 2; i++) {
      String out = Ostree4j.ok("container", "image", "pull", "--repo=" + repo,
          "oci-archive:" + fixtures.resolve(archives[i])).stdout();
      assertEquals("3cb6170b6945065c2475bc16d7bebcc84f96b4c677811a6751e479b89f8c3770", group(BASE, out));
      merges[i] = group(MERGE, out);
      CmdResult ls = OstreeCli.run("ls", "--repo=" + repo, "-R", merges[i], "/usr/share");
      assertTrue(ls.stdout().contains("/usr/share/" + files[i] + "\n"), ls.stdout());
      assertFalse(ls.stdout().contains("/usr/share/" + files[1 - i] + "\n"), ls.stdout());
      CmdResult bash = OstreeCli.run("ls", "--repo=" + repo, merges[i], "/usr/bin/bash");
      assertTrue(bash.exitCode() == 0, bash.stderr());
    }
    // the second pull reused the base layer
    assertNotEquals(merges[0], merges[1]);
    // unencapsulate refuses images with derived layers
    Path other = tmp.resolve("other");
    Ostree4j.init(other, "archive");
    Ostree4j.Result r = Ostree4j.run("container", "unencapsulate", "--repo=" + other,
        "oci-archive:" + fixtures.resolve(archives[0]));
    assertEquals(1, r.exitCode());
    assertTrue(r.stderr().contains("non-ostree layers"), r.stderr());
    // remove one image, prune: its derived layer ref goes, the shared base stays
    Ostree4j.ok("container", "image", "remove", "--repo=" + repo, "oci-archive:" + fixtures.resolve(archives[0]));
    String pruned = Ostree4j.ok("container", "image", "prune", "--repo=" + repo).stdout();
    assertEquals("Removed layers: 1", pruned.strip());
    CmdResult refs = OstreeCli.run("refs", "--repo=" + repo);
    assertTrue(refs.stdout().contains("ostree/container/blob/sha256_3A_ee02768e"), refs.stdout());
    assertFalse(refs.stdout().contains("ostree/container/blob/sha256_3A_d203cef7"), refs.stdout());
    CmdResult fsck = OstreeCli.run("fsck", "--repo=" + repo);
    assertTrue(fsck.stdout().contains("no errors found"), fsck.stdout() + fsck.stderr());
  }

  /**
   * The same layers compressed differently (other blob digests, same diff IDs) are not fetched
   * again: the second pull reuses the first image's layers.
   */
  @Test
  void layersWithTheSameDiffIdAreReused() throws Exception {
    Peers.require("ostree");
    Path repo = tmp.resolve("repo");
    String commit = commitTree(repo, "bare-user", osTree(tmp.resolve("tree")));
    Path gz = tmp.resolve("gz");
    Path zst = tmp.resolve("zst");
    Ostree4j.ok("container", "encapsulate", "--repo=" + repo, "os", "oci:" + gz + ":v1");
    Ostree4j.ok("copy", "-q", "--dest-compress-format", "zstd", "oci:" + gz + ":v1", "oci:" + zst + ":v1");
    Path node = tmp.resolve("node");
    Ostree4j.init(node, "bare-user");
    String first = Ostree4j.ok("container", "image", "pull", "--repo=" + node, "oci:" + gz + ":v1").stdout();
    int layers = JSON.readTree(new ImagePeers(tmp).skopeo("inspect", "--raw", "oci:" + zst + ":v1").stdout())
        .get("layers").size();
    assertTrue(first.contains("layers already present: 0; layers needed: " + layers), first);
    assertTrue(first.contains("Fetched " + layers + " layers"), first);
    String second = Ostree4j.ok("container", "image", "pull", "--repo=" + node, "oci:" + zst + ":v1").stdout();
    assertTrue(second.contains("layers already present: " + layers + "; layers needed: 0"), second);
    assertTrue(second.contains("Fetched 0 layers (0 B)"), second);
    assertEquals(commit, group(BASE, second));
    CmdResult fsck = OstreeCli.run("fsck", "--repo=" + node);
    assertTrue(fsck.stdout().contains("no errors found"), fsck.stdout() + fsck.stderr());
  }

  /** An image that is not an ostree image (made by umoci) pulls onto an empty tree, all of it kept. */
  @Test
  void nonOstreeImagePullsOntoAnEmptyTree() throws Exception {
    Peers.require("ostree");
    Path img = tmp.resolve("plain");
    ImagePeers peers = new ImagePeers(tmp);
    peers.umociImage(img, "v1", 2, 4096, 7);
    Path node = tmp.resolve("node");
    Ostree4j.init(node, "bare-user");
    String out = Ostree4j.ok("container", "image", "pull", "--repo=" + node, "oci:" + img + ":v1").stdout();
    assertFalse(out.contains("Base commit"), out);
    String merge = group(MERGE, out);
    Path bundle = tmp.resolve("bundle");
    peers.umoci("unpack", "--image", img + ":v1", bundle.toString());
    Path checkout = tmp.resolve("checkout");
    OstreeCli.run("checkout", "--repo=" + node, "-U", merge, checkout.toString()).checkSuccess();
    TreeComparator.assertEqualTrees(bundle.resolve("rootfs"), checkout, TreeComparator.Options.defaults()
        .ignoreOwners().ignoreXattrs().ignoreRootMetadata());
    CmdResult parent = OstreeCli.tryRun("rev-parse", "--repo=" + node, merge + "^");
    assertNotEquals(0, parent.exitCode(), "a merge without a base has no parent");
  }

  /** A corrupted layer blob in a layout: the pull fails naming the digest, and stores no image. */
  @Test
  void corruptLayerIsRefusedAndNothingIsTagged() throws Exception {
    Peers.require("ostree");
    Path repo = tmp.resolve("repo");
    commitTree(repo, "bare-user", osTree(tmp.resolve("tree")));
    Path img = tmp.resolve("img");
    Ostree4j.ok("container", "encapsulate", "--repo=" + repo, "--max-layers=0", "os", "oci:" + img + ":v1");
    JsonNode index = JSON.readTree(img.resolve("index.json").toFile());
    String manifestDigest = index.get("manifests").get(0).get("digest").asText();
    JsonNode manifest = JSON.readTree(img.resolve("blobs/sha256/" + manifestDigest.substring(7)).toFile());
    String layer = manifest.get("layers").get(0).get("digest").asText();
    Path blob = img.resolve("blobs/sha256/" + layer.substring(7));
    byte[] b = Files.readAllBytes(blob);
    b[b.length / 2] ^= 0x55;
    Files.write(blob, b);
    Path node = tmp.resolve("node");
    Ostree4j.init(node, "bare-user");
    Ostree4j.Result r = Ostree4j.run("container", "image", "pull", "--repo=" + node, "oci:" + img + ":v1");
    assertEquals(1, r.exitCode(), r.toString());
    assertTrue(r.stderr().contains(layer.substring(7, 19)), r.stderr());
    assertEquals("", Ostree4j.ok("container", "image", "list", "--repo=" + node).stdout());
    CmdResult refs = OstreeCli.run("refs", "--repo=" + node);
    assertEquals("", refs.stdout().strip());
    CmdResult fsck = OstreeCli.run("fsck", "--repo=" + node);
    assertEquals(0, fsck.exitCode(), fsck.stdout() + fsck.stderr());
  }

  /**
   * An image derived with buildah from an encapsulated one (files added under /usr and /etc, a
   * file and a directory removed, a directory replaced, so the layer carries whiteouts) pulls as a
   * merge commit whose checkout is buildah's root filesystem.
   */
  @Test
  void buildahDerivedImagePullsAsMergeCommit() throws Exception {
    Peers.require("ostree");
    Path buildah = Peers.require("buildah");
    Path busybox = Peers.require("busybox");
    Peers.requireRoot("buildah with vfs storage runs as root here");
    Path tree = osTree(tmp.resolve("tree"));
    Files.copy(busybox, tree.resolve("usr/bin/busybox"));
    Files.createSymbolicLink(tree.resolve("usr/bin/sh"), Path.of("busybox"));
    Files.createDirectories(tree.resolve("usr/share/old"));
    Files.writeString(tree.resolve("usr/share/old/a"), "a\n");
    Files.writeString(tree.resolve("usr/share/replaced"), "a file that becomes a directory\n");
    Path repo = tmp.resolve("repo");
    String base = commitTree(repo, "bare-user", tree, "--bootable");
    Path img = tmp.resolve("img");
    Ostree4j.ok("container", "encapsulate", "--repo=" + repo, "os", "oci:" + img + ":v1");

    List<String> b = List.of(buildah.toString(), "--root", tmp.resolve("storage").toString(),
        "--runroot", tmp.resolve("run").toString(), "--storage-driver", "vfs");
    String ctr = bud(b, "from", "--pull-never", "oci:" + img + ":v1").strip();
    Path added = Files.writeString(tmp.resolve("added.txt"), "added by buildah\n");
    bud(b, "copy", ctr, added.toString(), "/usr/share/added.txt");
    bud(b, "copy", ctr, added.toString(), "/etc/added.conf");
    bud(b, "run", "--isolation", "chroot", ctr, "--", "/usr/bin/sh", "-c",
        "/usr/bin/busybox rm /usr/bin/hi && /usr/bin/busybox rm -r /usr/share/old"
            + " && /usr/bin/busybox rm /usr/share/replaced && /usr/bin/busybox mkdir /usr/share/replaced"
            + " && echo inside > /usr/share/replaced/f");
    Path derived = tmp.resolve("derived");
    bud(b, "commit", "--format", "oci", ctr, "oci:" + derived + ":v2");

    Path node = tmp.resolve("node");
    Ostree4j.init(node, "bare-user");
    String out = Ostree4j.ok("container", "image", "pull", "--repo=" + node, "oci:" + derived + ":v2").stdout();
    assertEquals(base, group(BASE, out));
    String merge = group(MERGE, out);

    Path checkout = tmp.resolve("checkout");
    OstreeCli.run("checkout", "--repo=" + node, "-U", merge, checkout.toString()).checkSuccess();
    assertFalse(Files.exists(checkout.resolve("usr/bin/hi"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
    assertFalse(Files.exists(checkout.resolve("usr/share/old")));
    assertEquals("inside\n", Files.readString(checkout.resolve("usr/share/replaced/f")));
    assertEquals("added by buildah\n", Files.readString(checkout.resolve("usr/etc/added.conf")));
    // no whiteout file survives
    try (var walk = Files.walk(checkout)) {
      assertTrue(walk.noneMatch(p -> p.getFileName().toString().startsWith(".wh.")));
    }
    // buildah's own view of the final image
    Path bundle = tmp.resolve("bundle");
    new ImagePeers(tmp).umoci("unpack", "--image", derived + ":v2", bundle.toString());
    Path rootfs = bundle.resolve("rootfs");
    Files.move(checkout.resolve("usr/etc"), checkout.resolve("etc"));
    TreeComparator.assertEqualTrees(rootfs, checkout, TreeComparator.Options.defaults()
        .ignoreOwners().ignoreXattrs().ignoreRootMetadata().exclude(p -> p.equals("sysroot")
            || p.startsWith("sysroot/") || p.equals("var") || p.startsWith("var/")
            || p.equals("etc/hostname") || p.equals("etc/resolv.conf") || p.equals("etc/hosts")));
    CmdResult fsck = OstreeCli.run("fsck", "--repo=" + node);
    assertTrue(fsck.stdout().contains("no errors found"), fsck.stdout() + fsck.stderr());
  }

  private static String bud(List<String> base, String... args) {
    List<String> cmd = new ArrayList<>(base);
    cmd.addAll(List.of(args));
    return io.github.ostree4j.testing.Cmd.of(cmd.toArray(String[]::new)).run().checkSuccess().stdout();
  }

  /** A small bootable OS tree: a kernel, usr/etc, binaries, a symlink, an empty file. */
  static Path osTree(Path t) throws Exception {
    Files.createDirectories(t.resolve("usr/bin"));
    Files.createDirectories(t.resolve("usr/etc/app"));
    Files.createDirectories(t.resolve("usr/lib/modules/6.1.0-test"));
    Files.createDirectories(t.resolve("usr/share/doc/app"));
    Files.writeString(t.resolve("usr/bin/hello"), "#!/bin/sh\necho hello\n");
    t.resolve("usr/bin/hello").toFile().setExecutable(true, false);
    Files.createSymbolicLink(t.resolve("usr/bin/hi"), Path.of("hello"));
    Files.writeString(t.resolve("usr/etc/app/app.conf"), "key=value\n");
    Files.writeString(t.resolve("usr/lib/modules/6.1.0-test/vmlinuz"), "not really a kernel\n");
    Files.writeString(t.resolve("usr/share/doc/app/README"), "x".repeat(100_000));
    Files.write(t.resolve("usr/share/doc/app/empty"), new byte[0]);
    return t;
  }

  private static String group(Pattern p, String text) {
    Matcher m = p.matcher(text);
    assertTrue(m.find(), "no " + p + " in:\n" + text);
    return m.group(1);
  }
}
