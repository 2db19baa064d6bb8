package io.github.ostree4j.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ostree4j.oci.Digest;
import io.github.ostree4j.oci.ImageManifest;
import io.github.ostree4j.oci.MediaTypes;
import io.github.ostree4j.testing.CmdResult;
import io.github.ostree4j.testing.LocalRegistry;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our registry client against the real docker-registry (no authentication), checked with skopeo. */
class RegistryClientIT {

  static LocalRegistry registry;
  @TempDir Path tmp;
  Skopeo skopeo;
  final List<RegistryClient> clients = new ArrayList<>();

  @BeforeAll
  static void startRegistry() {
    registry = LocalRegistry.start();
  }

  @AfterAll
  static void stopRegistry() {
    if (registry != null) {
      registry.close();
    }
  }

  @AfterEach
  void closeClients() {
    clients.forEach(RegistryClient::close);
  }

  RegistryClient client() {
    RegistryClient c = RegistryClient.builder(registry.host())
        .tlsVerify(false)
        .credentials(CredentialResolver.anonymous())
        .retries(3, Duration.ofMillis(50))
        .build();
    clients.add(c);
    return c;
  }

  Skopeo skopeo() throws Exception {
    if (skopeo == null) {
      skopeo = new Skopeo(tmp);
    }
    return skopeo;
  }

  @Test
  void pushedBytesAreExactlyWhatSkopeoReads() throws Exception {
    TestImage img = new TestImage("push");
    RegistryClient c = client();
    Digest d = img.push(c, "test/push", "v1");
    assertEquals(img.manifestDigest(), d);

    String ref = "docker://" + registry.host() + "/test/push:v1";
    CmdResult raw = skopeo().run("inspect", "--raw", "--tls-verify=false", ref);
    assertArrayEquals(img.manifest, raw.stdoutBytes(), "skopeo inspect --raw shows our bytes");
    CmdResult config = skopeo().run("inspect", "--config", "--raw", "--tls-verify=false", ref);
    assertArrayEquals(img.config, config.stdoutBytes());
    CmdResult inspect = skopeo().run("inspect", "--tls-verify=false", ref);
    assertTrue(inspect.stdout().contains("\"Digest\": \"" + d + "\""), inspect.stdout());

    ManifestResponse m = c.getManifest("test/push", "v1");
    assertArrayEquals(img.manifest, m.bytes());
    assertEquals(d, m.digest());
    assertEquals(MediaTypes.OCI_MANIFEST, m.mediaType());
    assertArrayEquals(img.manifest, c.getManifest("test/push", d.toString()).bytes());
    ImageManifest parsed = ImageManifest.parse(m.bytes(), m.mediaType());
    try (InputStream in = c.openBlob("test/push", parsed.layers().get(0).digest(),
        parsed.layers().get(0).size())) {
      assertArrayEquals(img.layer, in.readAllBytes());
    }
    assertEquals(Optional.of((long) img.config.length), c.blobExists("test/push", img.configDigest()));
    assertEquals(Optional.empty(), c.blobExists("test/push", Digest.sha256(new byte[7])));
    assertEquals(Optional.empty(), c.fetchManifest("test/push", "nope"));
    assertEquals(Optional.empty(), c.fetchManifest("test/never-pushed", "v1"));

    // pushing again uploads nothing
    img.push(c, "test/push", "v2");
    awaitLog("PUT /v2/test/push/manifests/v2 ");
    assertEquals(2, countLog("PATCH /v2/test/push/"), "one upload per blob, the first time only");
  }

  @Test
  void skopeoCopiedImagesHaveTheDigestSkopeoReports() throws Exception {
    TestImage img = new TestImage("copy");
    Path layout = tmp.resolve("layout");
    img.writeLayout(layout, "v1");
    RegistryClient c = client();

    Path digestFile = tmp.resolve("digest-oci");
    skopeo().run("copy", "--dest-tls-verify=false", "--digestfile", digestFile.toString(),
        "oci:" + layout + ":v1", "docker://" + registry.host() + "/test/copied:v1");
    Digest skopeoDigest = Digest.parse(Files.readString(digestFile).strip());
    ManifestResponse m = c.getManifest("test/copied", "v1");
    assertEquals(skopeoDigest, m.digest());
    assertEquals(skopeoDigest, c.getManifest("test/copied", skopeoDigest.toString()).digest());

    // converted by skopeo to a Docker schema 2 manifest: bytes we did not write
    Path digestFile2 = tmp.resolve("digest-docker");
    skopeo().run("copy", "--dest-tls-verify=false", "--format", "v2s2", "--digestfile",
        digestFile2.toString(), "oci:" + layout + ":v1",
        "docker://" + registry.host() + "/test/docker:v1");
    Digest dockerDigest = Digest.parse(Files.readString(digestFile2).strip());
    ManifestResponse dm = c.getManifest("test/docker", "v1");
    assertEquals(dockerDigest, dm.digest());
    assertEquals(MediaTypes.DOCKER_MANIFEST, dm.mediaType());
    CmdResult raw = skopeo().run("inspect", "--raw", "--tls-verify=false",
        "docker://" + registry.host() + "/test/docker:v1");
    assertArrayEquals(raw.stdoutBytes(), dm.bytes());
  }

  @Test
  void blobsAreMountedAcrossRepositories() throws Exception {
    TestImage img = new TestImage("mount");
    RegistryClient c = client();
    img.push(c, "test/mount-src", "v1");
    assertTrue(c.pushBlob("test/mount-dst", img.layerDigest(), img.layer.length,
        () -> new ByteArrayInputStream(img.layer), "test/mount-src", null),
        "a mounted blob is not uploaded");
    awaitLog("POST /v2/test/mount-dst/blobs/uploads/?mount=" + img.layerDigest()
        + "&from=test/mount-src HTTP/1.1\" 201 ");
    assertEquals(Optional.of((long) img.layer.length), c.blobExists("test/mount-dst", img.layerDigest()));
    assertTrue(c.pushBlob("test/mount-dst", img.configDigest(), img.config.length,
        () -> new ByteArrayInputStream(img.config), "test/mount-src", null));
    c.pushManifest("test/mount-dst", "v1", img.manifest, img.manifestMediaType);
    CmdResult raw = skopeo().run("inspect", "--raw", "--tls-verify=false",
        "docker://" + registry.host() + "/test/mount-dst:v1");
    assertArrayEquals(img.manifest, raw.stdoutBytes());
    awaitLog("PUT /v2/test/mount-dst/manifests/v1 ");
    assertEquals(0, countLog("PATCH /v2/test/mount-dst/"), "nothing was uploaded");
  }

  @Test
  void largeBlobsStreamBothWays() throws Exception {
    byte[] big = new byte[24 << 20];
    new Random(5).nextBytes(big);
    Digest d = Digest.sha256(big);
    RegistryClient c = client();
    long[] last = {0};
    assertFalse(c.pushBlob("test/big", d, big.length, () -> new ByteArrayInputStream(big), null,
        n -> last[0] = n));
    assertEquals(big.length, last[0]);
    try (InputStream in = c.openBlob("test/big", d, big.length)) {
      byte[] buf = new byte[1 << 16];
      long total = 0;
      int n;
      while ((n = in.read(buf)) > 0) {
        total += n;
      }
      assertEquals(big.length, total);
    }
    byte[] wrong = new byte[1000];
    DigestMismatchException e = assertThrows(DigestMismatchException.class,
        () -> c.pushBlob("test/big2", Digest.sha256(big), wrong.length,
            () -> new ByteArrayInputStream(wrong), null, null));
    assertTrue(e.getMessage().startsWith("pushing blob " + d + " to " + registry.host()
        + "/test/big2: digest mismatch, got "), e.getMessage());
    assertEquals(Optional.empty(), c.blobExists("test/big2", d));
  }

  @Test
  void outagesAreReportedAndRecovered() throws Exception {
    TestImage img = new TestImage("outage");
    RegistryClient c = client();
    img.push(c, "test/outage", "v1");
    registry.stop();
    try {
      long start = System.nanoTime();
      RegistryUnavailableException e = assertThrows(RegistryUnavailableException.class,
          () -> c.fetchManifest("test/outage", "v1"));
      assertEquals("fetching manifest " + registry.host() + "/test/outage:v1: connection refused"
          + " (gave up after 3 attempts)", e.getMessage());
      assertTrue((System.nanoTime() - start) / 1_000_000 < 15_000);
    } finally {
      registry.restart();
    }
    assertArrayEquals(img.manifest, c.getManifest("test/outage", "v1").bytes());
  }

  @Test
  void verifiedTlsIsRefusedQuicklyWithAHint() {
    RegistryClient c = RegistryClient.builder(registry.host())
        .credentials(CredentialResolver.anonymous()).build();
    clients.add(c);
    long start = System.nanoTime();
    InsecureRegistryException e =
        assertThrows(InsecureRegistryException.class, () -> c.fetchManifest("test/x", "v1"));
    assertTrue((System.nanoTime() - start) / 1_000_000 < 10_000);
    assertEquals("connecting to " + registry.host() + ": no verifiable TLS (plain HTTP or untrusted"
        + " certificate); use --tls-verify=false to allow it", e.getMessage());
    assertThrows(InsecureRegistryException.class, () -> c.pushBlob("test/x",
        Digest.sha256("x".getBytes(StandardCharsets.UTF_8)), 1,
        () -> new ByteArrayInputStream("x".getBytes(StandardCharsets.UTF_8)), null, null));
  }

  private void awaitLog(String fragment) {
    assertTrue(registry.awaitLogLine(l -> l.contains(fragment), Duration.ofSeconds(10)),
        () -> "no log line with " + fragment + "\n" + String.join("\n", registry.logLines()));
  }

  private long countLog(String fragment) {
    return registry.logLines().stream().filter(l -> l.contains(fragment) && l.contains("HTTP/1.1\""))
        .count();
  }
}
