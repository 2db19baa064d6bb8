package io.github.ostree4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ostree4j.testing.LocalRegistry;
import io.github.ostree4j.testing.OstreeCli;
import io.github.ostree4j.testing.Peers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The node commands end to end on a scratch sysroot, checked with the real ostree CLI after every
 * step: rebase onto an image in a real registry, upgrade when a new build is pushed under the same
 * tag (downloading only the changed layer), download-only, rollback, cleanup, and offline rebases
 * from {@code oci-archive:} and {@code oci:}.
 */
class NodeIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern BLOB_GET =
      Pattern.compile("\"GET /v2/[^ ]+/blobs/(sha256:[0-9a-f]{64}) HTTP/[0-9.]+\" 200 ([0-9]+)");

  private Path work;
  private Path sysroot;
  private NodeImages images;

  @BeforeEach
  void setUp() {
    Peers.require("ostree");
    Peers.requireRoot("sysroot repositories are in mode bare");
    work = ItFixtures.newDir("node");
    sysroot = work.resolve("sysroot");
    Ostree4j.ok("admin", "init-fs", sysroot.toString());
    assertEquals("ostree/deploy/testos initialized as OSTree root",
        Ostree4j.ok("admin", "os-init", "--sysroot=" + sysroot, "testos").stdout().strip());
    images = new NodeImages(work);
  }

  private Ostree4j.Result node(String... args) {
    return nodeRun(args).checkSuccess();
  }

  /** A node command on the scratch sysroot, whatever its exit status. */
  private Ostree4j.Result nodeRun(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = args[0];
    all[1] = "--sysroot=" + sysroot;
    System.arraycopy(args, 1, all, 2, args.length - 1);
    return Ostree4j.run(all);
  }

  private JsonNode status() throws Exception {
    return JSON.readTree(node("status", "--json").stdout());
  }

  private Path deployment(String entry) {
    return sysroot.resolve("ostree/deploy/" + entry.replace(' ', '/').replaceFirst("/", "/deploy/"));
  }

  @Test
  void rebaseUpgradeRollbackFromARegistry() throws Exception {
    try (LocalRegistry registry = LocalRegistry.start()) {
      String tag = registry.host() + "/os/test:stable";
      String v1 = images.bootable("1", "docker://" + tag, "--tls-verify=false");

      String out = node("rebase", "--tls-verify=false", "ostree-unverified-registry:" + tag).stdout();
      assertTrue(out.contains("Deployed ostree-unverified-registry:" + tag + " (" + v1 + ")"), out);
      List<String> d1 = SysrootChecks.assertConsistent(sysroot);
      assertEquals(1, d1.size());
      assertEquals("[origin]\ncontainer-image-reference=ostree-unverified-registry:" + tag + "\n",
          Files.readString(deployment(d1.get(0)).resolveSibling(deployment(d1.get(0)).getFileName() + ".origin")));
      JsonNode st = status();
      assertEquals(tag, st.at("/spec/image/image").asText());
      assertEquals("registry", st.at("/spec/image/transport").asText());
      assertEquals(v1, st.at("/status/booted/image/imageDigest").asText());
      assertEquals("1", st.at("/status/booted/image/version").asText());
      assertEquals(d1.get(0).split(" ")[1].split("\\.")[0], st.at("/status/booted/ostree/checksum").asText());
      assertTrue(st.at("/status/rollback").isNull());

      Ostree4j.Result check = nodeRun("upgrade", "--check", "--tls-verify=false");
      assertEquals(77, check.exitCode(), "rpm-ostree's exit status for --check without an update: " + check);
      assertEquals("No update available.", check.stdout().strip());
      assertEquals("", check.stderr());
      assertTrue(node("upgrade", "--tls-verify=false").stdout().contains("No update available."));

      // local /etc changes before the upgrade
      Path etc = deployment(d1.get(0)).resolve("etc");
      Files.writeString(etc.resolve("aconfigfile"), "edited locally\n");
      Files.writeString(etc.resolve("local.conf"), "added locally\n");
      Files.delete(etc.resolve("untouched"));

      // v2 under the same tag: one changed component layer
      String v2 = images.bootable("2", "docker://" + tag, "--tls-verify=false");
      JsonNode manifest1 = manifestOf(registry, v1);
      JsonNode manifest2 = manifestOf(registry, v2);
      List<String> changed = changedLayers(manifest1, manifest2);
      assertEquals(2, changed.size(), "one component layer and the commit layer changed: " + changed);
      check = nodeRun("upgrade", "--check", "--tls-verify=false");
      assertEquals(0, check.exitCode(), "--check with an update available: " + check);
      assertTrue(check.stdout().contains("Update available: ostree-unverified-registry:" + tag + " " + v2));
      int logMark = registry.logLines().size();
      out = node("upgrade", "--tls-verify=false").stdout();
      assertTrue(out.contains("Copying /etc changes: 1 modified, 1 removed, 1 added"), out);
      Map<String, Long> fetched = blobsFetched(registry, logMark, manifest2);
      long changedComponent = sizeOf(manifest2, changed.get(0));
      java.util.Set<String> expected = new java.util.HashSet<>(changed);
      expected.add(manifest2.at("/config/digest").asText());
      assertEquals(expected, fetched.keySet(),
          "only the changed layers and the config are fetched");
      assertEquals(1, requests(registry, logMark, "GET /v2/os/test/manifests/stable "),
          "the manifest is read once: the pull imports the manifest the update checked");
      assertEquals(1, requests(registry, logMark, "GET /v2/os/test/blobs/" + manifest2.at("/config/digest").asText() + " "),
          "the config is read once");
      long total = fetched.values().stream().mapToLong(Long::longValue).sum();
      System.out.println("one-layer upgrade: fetched " + total + " bytes in " + fetched.size()
          + " blobs for a changed component layer of " + changedComponent + " bytes ("
          + manifest2.get("layers").size() + " layers)");
      assertTrue(total <= 1.1 * changedComponent, total + " bytes fetched for a changed layer of "
          + changedComponent);

      List<String> d2 = SysrootChecks.assertConsistent(sysroot);
      assertEquals(List.of(d2.get(0), d1.get(0)), d2);
      Path etc2 = deployment(d2.get(0)).resolve("etc");
      assertEquals("edited locally\n", Files.readString(etc2.resolve("aconfigfile")));
      assertEquals("added locally\n", Files.readString(etc2.resolve("local.conf")));
      assertFalse(Files.exists(etc2.resolve("untouched")));
      assertEquals("key=2\n", Files.readString(etc2.resolve("app/app.conf")), "untouched files follow the image");
      st = status();
      assertEquals(v2, st.at("/status/booted/image/imageDigest").asText());
      assertEquals("2", st.at("/status/booted/image/version").asText());
      assertEquals(v1, st.at("/status/rollback/image/imageDigest").asText());
      assertEquals(77, nodeRun("upgrade", "--check", "--tls-verify=false").exitCode(),
          "nothing newer than the deployed v2");

      // v3: downloaded first, deployed later without fetching again
      String v3 = images.bootable("3", "docker://" + tag, "--tls-verify=false");
      assertTrue(node("upgrade", "--download-only", "--tls-verify=false").stdout().contains("Downloaded"));
      assertEquals(d2, SysrootChecks.assertConsistent(sysroot), "download-only deploys nothing");
      st = status();
      assertEquals(v3, st.at("/status/booted/cachedUpdate/imageDigest").asText());
      assertTrue(node("status").stdout().contains("Downloaded: " + v3));
      logMark = registry.logLines().size();
      node("upgrade", "--tls-verify=false");
      JsonNode manifest3 = manifestOf(registry, v3);
      assertEquals(java.util.Set.of(manifest3.at("/config/digest").asText()),
          blobsFetched(registry, logMark, manifest3).keySet(), "nothing but the config fetched again");
      List<String> d3 = SysrootChecks.assertConsistent(sysroot);
      assertEquals(List.of(d3.get(0), d2.get(0)), d3);
      assertFalse(Files.exists(deployment(d1.get(0))), "v1 left the rotation");

      // rollback and back
      assertTrue(node("rollback").stdout().contains("Moving testos " + d2.get(0).split(" ")[1]));
      assertEquals(List.of(d2.get(0), d3.get(0)), SysrootChecks.assertConsistent(sysroot));
      assertEquals(v2, status().at("/status/booted/image/imageDigest").asText());
      node("rollback");
      assertEquals(d3, SysrootChecks.assertConsistent(sysroot));

      node("cleanup");
      SysrootChecks.assertConsistent(sysroot);
      String refs = OstreeCli.run("refs", "--repo=" + sysroot.resolve("ostree/repo")).stdout();
      assertEquals(1, refs.lines().filter(l -> l.startsWith("ostree/container/image/")).count(), refs);
    }
  }

  @Test
  void offlineRebaseFromOciArchiveAndOciDirectory() throws Exception {
    Path archive = work.resolve("usb/os.ociarchive");
    Files.createDirectories(archive.getParent());
    String v1 = images.bootable("1", "oci-archive:" + archive + ":stable");
    String out = node("rebase", "oci-archive:" + archive + ":stable").stdout();
    assertTrue(out.contains("Deployed ostree-unverified-image:oci-archive:" + archive + ":stable (" + v1 + ")"), out);
    List<String> d1 = SysrootChecks.assertConsistent(sysroot);
    JsonNode st = status();
    assertEquals("oci-archive", st.at("/spec/image/transport").asText());
    assertEquals(archive + ":stable", st.at("/spec/image/image").asText());

    // a type change on the machine: the directory etc/app replaced by a file
    Path etc = deployment(d1.get(0)).resolve("etc");
    Files.delete(etc.resolve("app/app.conf"));
    Files.delete(etc.resolve("app"));
    Files.writeString(etc.resolve("app"), "not a directory any more\n");

    Path dir = work.resolve("usb/os-layout");
    String v2 = images.bootable("2", "oci:" + dir + ":stable");
    out = node("switch", "ostree-unverified-image:oci:" + dir + ":stable").stdout();
    String conflict = "app: changed locally from a directory to a file; kept the image's version";
    assertTrue(out.contains("Copying /etc changes: 1 modified, 0 removed, 0 added"), out);
    assertTrue(out.contains("warning: /etc conflict: " + conflict), out);
    assertTrue(node("status").stdout().contains("/etc conflict: " + conflict));
    assertEquals("app", status().at("/status/booted/etcConflicts/0/path").asText());
    List<String> d2 = SysrootChecks.assertConsistent(sysroot);
    assertEquals(List.of(d2.get(0), d1.get(0)), d2);
    assertEquals(v2, status().at("/status/booted/image/imageDigest").asText());
    assertTrue(node("upgrade").stdout().contains("No update available."), "a plain upgrade exits 0");
    assertEquals(77, nodeRun("update", "--check").exitCode(), "--check from an oci: layout, no update");
    assertTrue(node("rebase", "oci:" + dir + ":stable").stdout().contains("already deployed"));
  }

  private static JsonNode manifestOf(LocalRegistry registry, String digest) throws Exception {
    return JSON.readTree(Ostree4j.ok("inspect", "--raw", "--tls-verify=false",
        "docker://" + registry.host() + "/os/test@" + digest).stdout());
  }

  private static List<String> changedLayers(JsonNode a, JsonNode b) {
    List<String> old = a.findValuesAsText("digest");
    List<String> out = new java.util.ArrayList<>();
    for (JsonNode l : b.get("layers")) {
      if (!old.contains(l.get("digest").asText())) {
        out.add(l.get("digest").asText());
      }
    }
    out.sort((x, y) -> Long.compare(sizeOf(b, y), sizeOf(b, x))); // biggest first
    return out;
  }

  private static long sizeOf(JsonNode manifest, String digest) {
    for (JsonNode l : manifest.get("layers")) {
      if (l.get("digest").asText().equals(digest)) {
        return l.get("size").asLong();
      }
    }
    throw new AssertionError(digest + " is not a layer");
  }

  /** How many access-log lines since line {@code from} contain {@code request}. */
  private static long requests(LocalRegistry registry, int from, String request) {
    List<String> lines = registry.logLines();
    return lines.subList(from, lines.size()).stream().filter(l -> l.contains("\"" + request)).count();
  }

  /** Blob digests fetched (HTTP 200) since log line {@code from}, with the bytes sent. */
  private static Map<String, Long> blobsFetched(LocalRegistry registry, int from, JsonNode manifest) {
    String config = manifest.at("/config/digest").asText();
    registry.awaitLogLine(l -> l.contains(config), Duration.ofSeconds(5));
    try {
      Thread.sleep(300); // access-log lines arrive just after their responses
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Map<String, Long> out = new HashMap<>();
    List<String> lines = registry.logLines();
    for (String l : lines.subList(from, lines.size())) {
      Matcher m = BLOB_GET.matcher(l);
      if (m.find()) {
        out.merge(m.group(1), Long.parseLong(m.group(2)), Long::sum);
      }
    }
    return out;
  }
}
