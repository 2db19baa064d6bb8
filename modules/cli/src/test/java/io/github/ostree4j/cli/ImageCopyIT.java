package io.github.ostree4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.ostree4j.oci.Digest;
import io.github.ostree4j.oci.Json;
import io.github.ostree4j.oci.OciLayout;
import io.github.ostree4j.testing.LocalRegistry;
import io.github.ostree4j.transport.CopyEvent;
import io.github.ostree4j.transport.CredentialResolver;
import io.github.ostree4j.transport.ImageCopier;
import io.github.ostree4j.transport.ImageCopyException;
import io.github.ostree4j.transport.ImageReference;
import io.github.ostree4j.transport.TransportOptions;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ostree4j copy} and {@code ostree4j inspect} against a real registry, with images made by
 * umoci and skopeo, and skopeo and umoci reading what we wrote.
 */
class ImageCopyIT {

  @TempDir static Path tmp;
  static LocalRegistry registry;
  static ImagePeers peers;
  /** umoci, 3 gzip layers. */
  static String gzip;
  /** skopeo's zstd copy of it. */
  static String zstd;
  /** skopeo's oci-archive of it. */
  static String ociArchive;
  /** skopeo's docker-archive of it. */
  static String dockerArchive;

  @BeforeAll
  static void setUp() {
    registry = LocalRegistry.start();
    peers = new ImagePeers(tmp);
    Path gz = tmp.resolve("gz");
    peers.umociImage(gz, "v1", 3, 300_000, 1);
    gzip = "oci:" + gz + ":v1";
    zstd = "oci:" + tmp.resolve("zs") + ":v1";
    peers.skopeo("copy", "-q", "--dest-compress-format=zstd", gzip, zstd);
    ociArchive = "oci-archive:" + tmp.resolve("img.ociarchive") + ":v1";
    peers.skopeo("copy", "-q", gzip, ociArchive);
    dockerArchive = "docker-archive:" + tmp.resolve("img.docker.tar") + ":example.com/os:v1";
    peers.skopeo("copy", "-q", gzip, dockerArchive);
  }

  @AfterAll
  static void tearDown() {
    if (registry != null) {
      registry.close();
    }
  }

  static Ostree4j.Result copy(String... args) {
    List<String> a = new ArrayList<>(List.of("copy", "--progress=none"));
    a.addAll(List.of(args));
    return Ostree4j.run(a.toArray(String[]::new));
  }

  String reg(String repoAndTag) {
    return "docker://" + registry.host() + "/" + repoAndTag;
  }

  @Test
  void registryRoundTripsPreserveTheManifestDigest() throws Exception {
    int n = 0;
    for (String src : List.of(gzip, zstd, ociArchive)) {
      n++;
      String dest = reg("rt/img" + n + ":v1");
      Path digestFile = tmp.resolve("digest-" + n);
      copy("--dest-tls-verify=false", "--digestfile", digestFile.toString(), src, dest)
          .checkSuccess();
      String want = peers.rawDigest(src);
      assertEquals(want, peers.rawDigest(dest), src);
      assertEquals(want, Files.readString(digestFile));

      Path back = tmp.resolve("back" + n);
      copy("--src-tls-verify=false", dest, "oci:" + back + ":t").checkSuccess();
      assertEquals(want, peers.rawDigest("oci:" + back + ":t"));
      if (!src.equals(zstd)) { // umoci 0.4 does not read zstd layers
        Path bundle = tmp.resolve("bundle" + n);
        peers.umoci("unpack", "--rootless", "--image", back + ":t", bundle.toString());
        assertEquals("layer 2 seed 1\n",
            Files.readString(bundle.resolve("rootfs/layer2/hello.txt")));
        assertEquals(300_000, Files.size(bundle.resolve("rootfs/layer0/data")));
      }

      Path archive = tmp.resolve("back" + n + ".ociarchive");
      copy("--src-tls-verify=false", dest, "oci-archive:" + archive + ":t").checkSuccess();
      assertEquals(want, peers.rawDigest("oci-archive:" + archive + ":t"));
      // skopeo reads what we pushed
      peers.skopeo("copy", "-q", "--src-tls-verify=false", dest, "oci:" + tmp.resolve("sk" + n) + ":x");
      assertEquals(want, peers.rawDigest("oci:" + tmp.resolve("sk" + n) + ":x"));
    }
  }

  @Test
  void dockerArchivesKeepImageIdAndLayers() throws Exception {
    String dest = reg("da/img:v1");
    copy("--dest-tls-verify=false", dockerArchive, dest).checkSuccess();
    String configOfSource = ImagePeers.sha256(
        peers.skopeo("inspect", "--config", "--raw", dockerArchive).stdout());
    assertEquals(configOfSource, ImagePeers.sha256(peers.skopeo("inspect", "--config", "--raw",
        "--tls-verify=false", dest).stdout()));
    JsonNode m = Json.MAPPER.readTree(peers.skopeo("inspect", "--raw", "--tls-verify=false", dest)
        .stdout());
    assertEquals(3, m.get("layers").size());
    for (JsonNode l : m.get("layers")) {
      assertEquals("application/vnd.docker.image.rootfs.diff.tar.gzip", l.get("mediaType").asText());
    }
    // back into a docker archive: the same archive manifest as skopeo's, byte for byte
    Path out = tmp.resolve("again.docker.tar");
    copy("--src-tls-verify=false", dest, "docker-archive:" + out + ":example.com/os:v1")
        .checkSuccess();
    assertEquals(peers.rawDigest(dockerArchive), peers.rawDigest("docker-archive:" + out));
    // and into a layout, which gets an OCI manifest with the same config
    Path layout = tmp.resolve("da-layout");
    copy(dockerArchive, "oci:" + layout + ":t").checkSuccess();
    assertEquals(configOfSource, ImagePeers.sha256(
        peers.skopeo("inspect", "--config", "--raw", "oci:" + layout + ":t").stdout()));
    peers.umoci("unpack", "--rootless", "--image", layout + ":t", tmp.resolve("da-bundle").toString());
  }

  @Test
  void zstdRecompressionKeepsDiffIdsAndSkopeoReadsIt() throws Exception {
    String dest = reg("zstd/img:v1");
    copy("--dest-tls-verify=false", "--dest-compress-format=zstd", gzip, dest).checkSuccess();
    JsonNode m = Json.MAPPER.readTree(peers.skopeo("inspect", "--raw", "--tls-verify=false", dest)
        .stdout());
    for (JsonNode l : m.get("layers")) {
      assertEquals("application/vnd.oci.image.layer.v1.tar+zstd", l.get("mediaType").asText());
    }
    assertEquals(peers.skopeo("inspect", "--config", "--raw", gzip).stdout(),
        peers.skopeo("inspect", "--config", "--raw", "--tls-verify=false", dest).stdout());
    Path out = tmp.resolve("zstd-out");
    peers.skopeo("copy", "-q", "--src-tls-verify=false", dest, "oci:" + out + ":t");
    // and back to gzip through us, from skopeo's zstd layout
    String gz = reg("zstd/back:v1");
    copy("--dest-tls-verify=false", "--dest-compress-format=gzip", "--dest-compress-level=9",
        "oci:" + out + ":t", gz).checkSuccess();
    Path bundle = tmp.resolve("zstd-bundle");
    peers.skopeo("copy", "-q", "--src-tls-verify=false", gz, "oci:" + tmp.resolve("zstd-gz") + ":t");
    peers.umoci("unpack", "--rootless", "--image", tmp.resolve("zstd-gz") + ":t", bundle.toString());
    assertEquals("layer 1 seed 1\n", Files.readString(bundle.resolve("rootfs/layer1/hello.txt")));
  }

  @Test
  void repushOfAnUnchangedImageUploadsNothing() throws Exception {
    String dest = reg("again/img:v1");
    Path d1 = tmp.resolve("again-1");
    Path d2 = tmp.resolve("again-2");
    copy("--dest-tls-verify=false", "--digestfile", d1.toString(), gzip, dest).checkSuccess();
    // wait until the registry has logged the first push
    assertTrue(registry.awaitLogLine(l -> l.contains("PUT /v2/again/img/manifests/v1"),
        Duration.ofSeconds(10)));
    int mark = registry.logLines().size();
    copy("--dest-tls-verify=false", "--digestfile", d2.toString(), gzip, dest).checkSuccess();
    for (int i = 0; i < 100 && registry.logLines().stream()
        .filter(l -> l.contains("PUT /v2/again/img/manifests/v1")).count() < 2; i++) {
      sleep(50);
    }
    List<String> after = registry.logLines().subList(mark, registry.logLines().size());
    List<String> uploads = after.stream().filter(l -> l.contains("/blobs/uploads/")).toList();
    assertEquals(List.of(), uploads);
    assertTrue(after.stream().filter(l -> l.contains("\"HEAD /v2/again/img/blobs/")).count() >= 4,
        () -> String.join("\n", after));
    assertEquals(Files.readString(d1), Files.readString(d2));

    // another repository of the same registry: blobs are mounted, not uploaded
    int mark2 = registry.logLines().size();
    copy("--src-tls-verify=false", "--dest-tls-verify=false", dest, reg("again/mounted:v1"))
        .checkSuccess();
    assertEquals(peers.rawDigest(dest), peers.rawDigest(reg("again/mounted:v1")));
    assertTrue(registry.awaitLogLine(l -> l.contains("mount="), Duration.ofSeconds(10)),
        () -> String.join("\n", registry.logLines().subList(mark2, registry.logLines().size())));
    List<String> after2 = registry.logLines().subList(mark2, registry.logLines().size());
    assertFalse(after2.stream().anyMatch(l -> l.contains("\"PATCH ")), () -> String.join("\n", after2));
  }

  @Test
  void aCorruptBlobInASourceLayoutFailsNamingItAndTagsNothing() throws Exception {
    Path src = tmp.resolve("corrupt-src");
    copy(gzip, "oci:" + src + ":v1").checkSuccess();
    OciLayout layout = OciLayout.open(src);
    Digest layer = layout.readManifest(layout.findManifest("v1")).layers().get(1).digest();
    try (RandomAccessFile f = new RandomAccessFile(layout.blobPath(layer).toFile(), "rw")) {
      f.seek(100);
      int b = f.read();
      f.seek(100);
      f.write(b ^ 0xff);
    }
    Path dest = tmp.resolve("corrupt-dest");
    Ostree4j.Result r = copy("oci:" + src + ":v1", "oci:" + dest + ":t");
    assertEquals(1, r.exitCode(), r::toString);
    assertEquals(1, r.stderrLines().size(), r::toString);
    assertTrue(r.stderrLines().get(0).startsWith("error: copying blob " + layer
        + ": digest mismatch, got sha256:"), r::toString);
    assertFalse(Files.exists(dest.resolve("index.json"))
        && OciLayout.open(dest).listTags().contains("t"));

    Ostree4j.Result r2 = copy("--dest-tls-verify=false", "oci:" + src + ":v1", reg("corrupt/img:v1"));
    assertEquals(1, r2.exitCode(), r2::toString);
    assertTrue(r2.stderr().contains("copying blob " + layer + ": digest mismatch"), r2::toString);
    assertEquals(404, status("/v2/corrupt/img/manifests/v1"));
  }

  @Test
  void aRegistryOutageNeverLeavesATagOnAPartialImage() throws Exception {
    Path big = tmp.resolve("outage-src");
    peers.umociImage(big, "v1", 4, 2_000_000, 7);
    ImageReference src = ImageReference.parse("oci:" + big + ":v1");
    ImageReference dst = ImageReference.parse(reg("outage/img:v1"));
    TransportOptions fast = TransportOptions.builder().tlsVerify(false)
        .credentials(CredentialResolver.anonymous()).retries(2, Duration.ofMillis(100)).build();
    // 1: stopped for good after the first blob: a clear one-line failure, no tag
    AtomicBoolean stopped = new AtomicBoolean();
    ImageCopier stopper = ImageCopier.builder().parallelism(1).listener(e -> {
      if (e.kind() == CopyEvent.Kind.DONE && stopped.compareAndSet(false, true)) {
        registry.stop();
      }
    }).build();
    ImageCopyException e = assertThrows(ImageCopyException.class,
        () -> stopper.copy(src, TransportOptions.defaults(), dst, fast));
    assertFalse(e.getMessage().contains("\n"));
    assertTrue(e.getMessage().contains("connection refused"), e.getMessage());
    registry.restart();
    assertEquals(404, status("/v2/outage/img/manifests/v1"));

    // 2: back after a moment: retries carry the copy through, or it fails cleanly
    AtomicBoolean stopped2 = new AtomicBoolean();
    ImageCopier flaky = ImageCopier.builder().listener(ev -> {
      if (ev.kind() == CopyEvent.Kind.DONE && stopped2.compareAndSet(false, true)) {
        registry.stop();
        Thread t = new Thread(() -> {
          sleep(300);
          registry.restart();
        });
        t.start();
      }
    }).build();
    TransportOptions patient = TransportOptions.builder().tlsVerify(false)
        .credentials(CredentialResolver.anonymous()).retries(4, Duration.ofMillis(300)).build();
    try {
      Digest d = flaky.copy(src, TransportOptions.defaults(), dst, patient);
      assertEquals(peers.rawDigest("oci:" + big + ":v1"), d.toString());
    } catch (ImageCopyException x) {
      assertFalse(x.getMessage().contains("\n"));
    }
    awaitRunning();
    if (status("/v2/outage/img/manifests/v1") == 200) {
      JsonNode m = Json.MAPPER.readTree(peers.skopeo("inspect", "--raw", "--tls-verify=false",
          dst.toString()).stdout());
      for (JsonNode l : m.get("layers")) {
        assertEquals(200, status("/v2/outage/img/blobs/" + l.get("digest").asText()));
      }
      assertEquals(200, status("/v2/outage/img/blobs/" + m.get("config").get("digest").asText()));
    }
    // and a plain retry completes it
    copy("--dest-tls-verify=false", "oci:" + big + ":v1", dst.toString()).checkSuccess();
    assertEquals(peers.rawDigest("oci:" + big + ":v1"), peers.rawDigest(dst.toString()));
  }

  @Test
  void inspectMatchesSkopeo() throws Exception {
    String dest = reg("inspect/img:v1");
    copy("--dest-tls-verify=false", gzip, dest).checkSuccess();
    copy("--dest-tls-verify=false", gzip, reg("inspect/img:v2")).checkSuccess();
    Ostree4j.Result raw = Ostree4j.ok("inspect", "--raw", "--tls-verify=false", dest);
    assertEquals(peers.skopeo("inspect", "--raw", "--tls-verify=false", dest).stdout(), raw.stdout());
    Ostree4j.Result cfgRaw = Ostree4j.ok("inspect", "--config", "--raw", gzip);
    assertEquals(peers.skopeo("inspect", "--config", "--raw", gzip).stdout(), cfgRaw.stdout());
    assertEquals(peers.skopeo("inspect", "--config", gzip).stdout(),
        Ostree4j.ok("inspect", "--config", gzip).stdout());
    JsonNode ours = Json.MAPPER.readTree(Ostree4j.ok("inspect", "--tls-verify=false", dest).stdout());
    JsonNode theirs = Json.MAPPER.readTree(peers.skopeo("inspect", "--tls-verify=false", dest).stdout());
    for (String k : List.of("Name", "Digest", "RepoTags", "Created", "DockerVersion", "Labels",
        "Architecture", "Os", "Layers", "Env")) {
      assertEquals(theirs.get(k), ours.get(k), k);
    }
    if (theirs.has("LayersData")) {
      assertEquals(theirs.get("LayersData"), ours.get("LayersData"));
    }
    assertEquals(List.of("v1", "v2"), Stream.of(ours.get("RepoTags")).flatMap(n -> {
      List<String> l = new ArrayList<>();
      n.forEach(x -> l.add(x.asText()));
      return l.stream();
    }).sorted().toList());
    Ostree4j.Result bad = Ostree4j.run("inspect", "quay.io/fedora/fedora");
    assertEquals(1, bad.exitCode());
    assertEquals(1, bad.stderrLines().size(), bad::toString);
    assertTrue(bad.stderr().contains("example: docker://"), bad::toString);
    assertNotEquals(0, Ostree4j.run("copy", "--progress=none", gzip).exitCode());
  }

  @Test
  void jsonProgressReportsBlobsAndTheDigest() throws Exception {
    Ostree4j.Result r = Ostree4j.run("copy", "--progress=json", gzip, "oci:" + tmp.resolve("json") + ":t")
        .checkSuccess();
    List<String> lines = r.stderrLines();
    String last = lines.get(lines.size() - 1);
    assertEquals("{\"event\":\"done\",\"digest\":\"" + peers.rawDigest(gzip) + "\"}", last);
    long done = lines.stream().filter(l -> l.contains("\"status\":\"done\"")).count();
    assertEquals(4, done, r::toString);
    for (String l : lines) {
      Json.MAPPER.readTree(l);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void awaitRunning() {
    for (int i = 0; i < 100 && status("/v2/") != 200; i++) {
      sleep(100);
    }
  }

  static int status(String path) {
    try {
      HttpClient c = HttpClient.newHttpClient();
      HttpRequest req = HttpRequest.newBuilder(URI.create("http://" + registry.host() + path))
          .method("HEAD", HttpRequest.BodyPublishers.noBody())
          .header("Accept", "application/vnd.oci.image.manifest.v1+json,"
              + "application/vnd.docker.distribution.manifest.v2+json,"
              + "application/vnd.oci.image.index.v1+json")
          .build();
      return c.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
