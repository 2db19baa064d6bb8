package io.github.ostree4j.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ostree4j.oci.BlobVerificationException;
import io.github.ostree4j.oci.Digest;
import io.github.ostree4j.oci.MediaTypes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Protocol tests against an in-process registry stub (no peers needed). */
class RegistryClientTest {

  static final byte[] MANIFEST = ("{\"schemaVersion\":2,\n  \"mediaType\": \""
      + MediaTypes.OCI_MANIFEST + "\", \"note\":\"caf\u00e9 \u2603\"  }\n")
      .getBytes(StandardCharsets.UTF_8);

  final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
  }

  StubRegistry stub(StubRegistry.Auth auth, String user, String password) throws IOException {
    StubRegistry s = new StubRegistry(auth, user, password);
    closeables.add(s);
    return s;
  }

  RegistryClient client(StubRegistry s, CredentialResolver creds) {
    RegistryClient c = RegistryClient.builder(s.host())
        .tlsVerify(false)
        .credentials(creds)
        .retries(3, Duration.ofMillis(10))
        .timeout(Duration.ofSeconds(10))
        .build();
    closeables.add(c);
    return c;
  }

  RegistryClient anonymous(StubRegistry s) {
    return client(s, CredentialResolver.anonymous());
  }

  @Test
  void fetchesManifestBytesExactly() throws Exception {
    StubRegistry s = stub(StubRegistry.Auth.NONE, null, null);
    s.putManifest("os/base", "v1", MANIFEST, MediaTypes.OCI_MANIFEST);
    RegistryClient c = anonymous(s);
    ManifestResponse m = c.fetchManifest("os/base", "v1").orElseThrow();
    assertArrayEquals(MANIFEST, m.bytes());
    assertEquals(Digest.sha256(MANIFEST), m.digest());
    assertEquals(MediaTypes.OCI_MANIFEST, m.mediaType());
    assertEquals(MANIFEST.length, m.size());
    assertEquals(m.digest(), m.descriptor().digest());

    ManifestResponse byDigest = c.fetchManifest("os/base", m.digest().toString()).orElseThrow();
    assertArrayEquals(MANIFEST, byDigest.bytes());

    assertEquals(Optional.empty(), c.fetchManifest("os/base", "nope"));
    assertEquals(Optional.empty(), c.fetchManifest("no/such", "v1"));
    ManifestNotFoundException e =
        assertThrows(ManifestNotFoundException.class, () -> c.getManifest("os/base", "nope"));
    assertEquals("fetching manifest " + s.host() + "/os/base:nope: manifest unknown to the registry",
        e.getMessage());
    // the Accept header lists the manifest types; 404 is not retried
    assertEquals(2, s.count("GET", "/manifests/nope"));
  }

  @Test
  void manifestDigestsAreVerified() throws Exception {
    StubRegistry s = stub(StubRegistry.Auth.NONE, null, null);
    s.putManifest("os", "v1", MANIFEST, MediaTypes.OCI_MANIFEST);
    RegistryClient c = anonymous(s);
    s.corruptManifest = "{\"schemaVersion\":2}".getBytes(StandardCharsets.UTF_8);
    DigestMismatchException byDigest = assertThrows(DigestMismatchException.class,
        () -> c.fetchManifest("os", Digest.sha256(MANIFEST).toString()));
    assertEquals(Digest.sha256(MANIFEST), byDigest.expected());
    assertEquals(Digest.sha256(s.corruptManifest), byDigest.actual());
    DigestMismatchException byTag =
        assertThrows(DigestMismatchException.class, () -> c.fetchManifest("os", "v1"));
    assertTrue(byTag.getMessage().contains("Docker-Content-Digest"), byTag.getMessage());
  }

  @Test
  void mediaTypeFromTheDocumentWhenTheRegistrySendsAGenericOne() throws Exception {
    StubRegistry s = stub(StubRegistry.Auth.NONE, null, null);
    byte[] index = "{\"schemaVersion\":2,\"manifests\":[]}".getBytes(StandardCharsets.UTF_8);
    s.putManifest("os", "idx", index, "application/json");
    s.putManifest("os", "m", MANIFEST, "text/plain; charset=utf-8");
    RegistryClient c = anonymous(s);
    assertEquals(MediaTypes.OCI_INDEX, c.getManifest("os", "idx").mediaType());
    assertEquals(MediaTypes.OCI_MANIFEST, c.getManifest("os", "m").mediaType());
    s.manifestContentType = MediaTypes.DOCKER_MANIFEST + "; charset=utf-8";
    assertEquals(MediaTypes.DOCKER_MANIFEST, c.getManifest("os", "m").mediaType());
  }

  @Test
  void transientFailuresAreRetriedABoundedNumberOfTimes() throws Exception {
    StubRegistry s = stub(StubRegistry.Auth.NONE, null, null);
    s.putManifest("os", "v1", MANIFEST, MediaTypes.OCI_MANIFEST);
    RegistryClient c = anonymous(s);
    c.getManifest("os", "v1"); // learn the connection settings first

    s.failNext("/manifests/v1", 503, 502);
    assertArrayEquals(MANIFEST, c.getManifest("os", "v1").bytes());
    assertEquals(4, s.count("GET", "/manifests/v1"));

    s.failNext("/manifests/v1", 429);
    assertArrayEquals(MANIFEST, c.getManifest("os", "v1").bytes());

    s.failNext("/manifests/v1", 500, 500, 500);
    RegistryUnavailableException e =
        assertThrows(RegistryUnavailableException.class, () -> c.getManifest("os", "v1"));
    assertEquals("fetching manifest " + s.host() + "/os:v1: HTTP 500 (UNAVAILABLE: injected failure)"
        + " (gave up after 3 attempts)", e.getMessage());

    long before = s.count("GET", "/manifests/v1");
    s.failNext("/manifests/v1", 400);
    RegistryException bad = assertThrows(RegistryException.class, () -> c.getManifest("os", "v1"));
    assertFalse(bad instanceof RegistryUnavailableException);
    assertEquals(before + 1, s.count("GET", "/manifests/v1"), "4xx is not retried");

    s.failNext("/blobs/", 503);
    byte[] blob = "layer".getBytes(StandardCharsets.UTF_8);
    s.putBlob("os", blob);
    assertEquals(Optional.of((long) blob.length), c.blobExists("os", Digest.sha256(blob)));
  }

  @Test
  void refusedConnectionsGiveUpQuickly() throws Exception {
    int port;
    try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = ss.getLocalPort();
    }
    RegistryClient c = RegistryClient.builder("127.0.0.1:" + port).tlsVerify(false)
        .credentials(CredentialResolver.anonymous()).retries(3, Duration.ofMillis(20)).build();
    closeables.add(c);
    long start = System.nanoTime();
    RegistryUnavailableException e =
        assertThrows(RegistryUnavailableException.class, () -> c.fetchManifest("os", "v1"));
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertEquals("fetching manifest 127.0.0.1:" + port + "/os:v1: connection refused"
        + " (gave up after 3 attempts)", e.getMessage());
    assertTrue(ms < 10_000, "took " + ms + " ms");
  }

  @Test
  void verifiedTlsAgainstPlainHttpFailsFastWithAHint() throws Exception {
    StubRegistry s = stub(StubRegistry.Auth.NONE, null, null);
    RegistryClient c = RegistryClient.builder(s.host()).credentials(CredentialResolver.anonymous())
        .build();
    closeables.add(c);
    long start = System.nanoTime();
    InsecureRegistryException e =
        assertThrows(InsecureRegistryException.class, () -> c.fetchManifest("os", "v1"));
    assertTrue((System.nanoTime() - start) / 1_000_000 < 10_000);
    assertTrue(e.getMessage().startsWith("connecting to " + s.host() + ": "), e.getMessage());
    assertTrue(e.getMessage().contains("--tls-verify=false"), e.getMessage());
    assertThrows(InsecureRegistryException.class,
        () -> c.blobExists("os", Digest.sha256(new byte[1])));
  }

  @Test
  void basicAuthWrongPassword() throws Exception {
    StubRegistry s = stub(StubRegistry.Auth.BASIC, "alice", "right");
    s.putManifest("os", "v1", MANIFEST, MediaTypes.OCI_MANIFEST);
    RegistryClient good = client(s, CredentialResolver.of(Credentials.of("alice", "right")));
    assertArrayEquals(MANIFEST, good.getManifest("os", "v1").bytes());

    RegistryClient bad = client(s, CredentialResolver.of(Credentials.of("alice", "wrong")));
    AuthenticationFailedException e =
        assertThrows(AuthenticationFailedException.class, () -> bad.fetchManifest("os", "v1"));
    assertEquals("authentication failed for " + s.host(), e.getMessage());
    assertThrows(AuthenticationFailedException.class,
        () -> bad.pushBlob("os", Digest.sha256(new byte[1]), 1,
            () -> new ByteArrayInputStream(new byte[1]), null, null));

    RegistryClient none = anonymous(s);
    e = assertThrows(AuthenticationFailedException.class, () -> none.fetchManifest("os", "v1"));
    assertEquals("authentication failed for " + s.host(), e.getMessage());
  }

  @Test
  void bearerTokenFlow() throws Exception {
    StubRegistry s = stub(StubRegistry.Auth.BEARER, "bob", "pw");
    s.putManifest("team/os", "v1", MANIFEST, MediaTypes.OCI_MANIFEST);
    byte[] blob = new byte[100_000];
    new Random(1).nextBytes(blob);
    s.putBlob("team/base", blob);
    RegistryClient c = client(s, CredentialResolver.of(Credentials.of("bob", "pw")));

    assertArrayEquals(MANIFEST, c.getManifest("team/os", "v1").bytes());
    assertTrue(s.tokenScopes.contains("repository:team/os:pull"), s.tokenScopes.toString());

    // mount from another repository: the token asks for pull on the source too
    Digest d = Digest.sha256(blob);
    assertTrue(c.pushBlob("team/os", d, blob.length, () -> new ByteArrayInputStream(blob),
        "team/base", null));
    assertTrue(s.tokenScopes.contains("repository:team/os:pull,push"), s.tokenScopes.toString());
    assertTrue(s.tokenScopes.contains("repository:team/base:pull"), s.tokenScopes.toString());
    assertTrue(s.seen.stream().anyMatch(r -> r.uri().contains("mount=" + d + "&from=team/base")),
        () -> String.join("\n", StubRegistry.lines(s.seen)));

    byte[] pushed = "{\"schemaVersion\":2, \"x\" : [1, 2 ]}".getBytes(StandardCharsets.UTF_8);
    assertEquals(Digest.sha256(pushed), c.pushManifest("team/os", "v2", pushed, MediaTypes.OCI_MANIFEST));
    assertArrayEquals(pushed, s.manifests.get("team/os v2"));

    // expired tokens are renewed once
    s.expireTokens();
    assertArrayEquals(MANIFEST, c.getManifest("team/os", "v1").bytes());
    try (InputStream in = c.openBlob("team/os", d, blob.length)) {
      assertArrayEquals(blob, in.readAllBytes());
    }

    RegistryClient wrong = client(s, CredentialResolver.of(Credentials.of("bob", "nope")));
    AuthenticationFailedException e =
        assertThrows(AuthenticationFailedException.class, () -> wrong.fetchManifest("team/os", "v1"));
    assertEquals("authentication failed for " + s.host(), e.getMessage());
  }

  @Test
  void authenticationAskedForByARepositoryAfterAnOpenPing() throws Exception {
    StubRegistry s = stub(StubRegistry.Auth.BEARER, "bob", "pw");
    s.openPing = true;
    s.putManifest("private/os", "v1", MANIFEST, MediaTypes.OCI_MANIFEST);
    byte[] blob = "blob".getBytes(StandardCharsets.UTF_8);
    s.putBlob("private/os", blob);
    RegistryClient c = client(s, CredentialResolver.of(Credentials.of("bob", "pw")));
    assertArrayEquals(MANIFEST, c.getManifest("private/os", "v1").bytes());
    assertEquals(Optional.of((long) blob.length), c.blobExists("private/os", Digest.sha256(blob)));
    assertTrue(s.tokenScopes.contains("repository:private/os:pull"), s.tokenScopes.toString());
  }

  @Test
  void identityTokensUseTheRefreshTokenGrant() throws Exception {
    StubRegistry s = stub(StubRegistry.Auth.BEARER, "bob", "pw");
    s.putManifest("os", "v1", MANIFEST, MediaTypes.OCI_MANIFEST);
    RegistryClient c = client(s,
        CredentialResolver.of(Credentials.identityToken("bob", s.refreshToken)));
    assertArrayEquals(MANIFEST, c.getManifest("os", "v1").bytes());
    assertTrue(s.count("POST", "/token") >= 1);
    RegistryClient bad = client(s, CredentialResolver.of(Credentials.identityToken("bob", "stale")));
    assertThrows(AuthenticationFailedException.class, () -> bad.getManifest("os", "v1"));
  }

  @Test
  void blobsAreStreamedAndVerified() throws Exception {
    StubRegistry s = stub(StubRegistry.Auth.NONE, null, null);
    byte[] blob = new byte[1 << 20];
    new Random(2).nextBytes(blob);
    s.putBlob("os", blob);
    Digest d = Digest.sha256(blob);
    RegistryClient c = anonymous(s);
    try (InputStream in = c.openBlob("os", d)) {
      assertArrayEquals(blob, in.readAllBytes());
    }
    assertThrows(BlobVerificationException.class, () -> {
      try (InputStream in = c.openBlob("os", d, blob.length + 1)) {
        in.readAllBytes();
      }
    });
    s.corruptBlob = "not the blob".getBytes(StandardCharsets.UTF_8);
    BlobVerificationException e = assertThrows(BlobVerificationException.class, () -> {
      try (InputStream in = c.openBlob("os", d)) {
        in.readAllBytes();
      }
    });
    assertTrue(e.getMessage().startsWith("blob " + d + ": digest mismatch, got "), e.getMessage());
    RegistryException missing = assertThrows(RegistryException.class,
        () -> c.openBlob("os", Digest.sha256(new byte[3])));
    assertEquals("fetching blob " + Digest.sha256(new byte[3]) + " from " + s.host()
        + "/os: blob unknown to the registry", missing.getMessage());
  }

  @Test
  void uploadsAreVerifiedWhileSent() throws Exception {
    StubRegistry s = stub(StubRegistry.Auth.NONE, null, null);
    RegistryClient c = anonymous(s);
    byte[] blob = new byte[300_000];
    new Random(3).nextBytes(blob);
    Digest d = Digest.sha256(blob);
    List<Long> progress = new ArrayList<>();
    assertFalse(c.pushBlob("os", d, blob.length, () -> new ByteArrayInputStream(blob), null,
        progress::add));
    assertArrayEquals(blob, s.blobs.get("os " + d));
    assertEquals(blob.length, progress.get(progress.size() - 1));
    assertEquals(Optional.of((long) blob.length), c.blobExists("os", d));
    // present: nothing is sent again
    long patches = s.count("PATCH", "/blobs/uploads/");
    assertTrue(c.pushBlob("os", d, blob.length, () -> new ByteArrayInputStream(blob), null, null));
    assertEquals(patches, s.count("PATCH", "/blobs/uploads/"));

    byte[] other = "other content".getBytes(StandardCharsets.UTF_8);
    DigestMismatchException e = assertThrows(DigestMismatchException.class,
        () -> c.pushBlob("os2", d, other.length, () -> new ByteArrayInputStream(other), null, null));
    assertEquals("pushing blob " + d + " to " + s.host() + "/os2: digest mismatch, got "
        + Digest.sha256(other), e.getMessage());
    assertFalse(s.blobs.containsKey("os2 " + d));
    assertThrows(DigestMismatchException.class,
        () -> c.pushBlob("os2", d, blob.length - 1, () -> new ByteArrayInputStream(blob), null, null));

    // transient failures restart the upload from a fresh stream
    s.failNext("PATCH /v2/os3/blobs/uploads/", 503);
    int[] opened = {0};
    assertFalse(c.pushBlob("os3", d, blob.length, () -> {
      opened[0]++;
      return new ByteArrayInputStream(blob);
    }, null, null));
    assertArrayEquals(blob, s.blobs.get("os3 " + d));
    assertEquals(2, opened[0]);
    assertEquals(2, s.count("PATCH", "/v2/os3/blobs/uploads/"));
  }

  @Test
  void manifestsArePushedVerbatim() throws Exception {
    StubRegistry s = stub(StubRegistry.Auth.NONE, null, null);
    RegistryClient c = anonymous(s);
    Digest d = c.pushManifest("os", "v1", MANIFEST, MediaTypes.OCI_MANIFEST);
    assertEquals(Digest.sha256(MANIFEST), d);
    assertArrayEquals(MANIFEST, s.manifests.get("os v1"));
    assertEquals(MediaTypes.OCI_MANIFEST, s.manifestTypes.get("os " + d));
    assertEquals(d, c.pushManifest("os", d.toString(), MANIFEST, MediaTypes.OCI_MANIFEST));
    assertThrows(IllegalArgumentException.class,
        () -> c.pushManifest("os", "v1", new byte[] {(byte) 0xff, '{', '}'}, MediaTypes.OCI_MANIFEST));
    assertThrows(IllegalArgumentException.class,
        () -> c.pushManifest("os", Digest.sha256(new byte[1]).toString(), MANIFEST,
            MediaTypes.OCI_MANIFEST));
  }

  @Test
  void argumentsAreChecked() {
    RegistryClient c = RegistryClient.builder("localhost:5000")
        .credentials(CredentialResolver.anonymous()).build();
    closeables.add(c);
    assertThrows(IllegalArgumentException.class, () -> c.fetchManifest("Upper", "v1"));
    assertThrows(IllegalArgumentException.class, () -> c.fetchManifest("a//b", "v1"));
    assertThrows(IllegalArgumentException.class, () -> c.fetchManifest("os", "bad tag"));
    assertThrows(IllegalArgumentException.class, () -> c.fetchManifest("os", "sha256:123"));
    assertThrows(IllegalArgumentException.class, () -> RegistryClient.builder("not a host"));
    assertThrows(IllegalArgumentException.class, () -> RegistryClient.builder("quay.io/x"));
    assertEquals("docker.io", RegistryClient.builder("index.docker.io")
        .credentials(CredentialResolver.anonymous()).build().registry());
  }
}
