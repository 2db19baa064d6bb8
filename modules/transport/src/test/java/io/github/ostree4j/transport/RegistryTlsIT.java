package io.github.ostree4j.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ostree4j.oci.Digest;
import io.github.ostree4j.testing.CmdResult;
import io.github.ostree4j.testing.LocalRegistry;
import io.github.ostree4j.transport.internal.PlainHttpProbe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our registry client against the real docker-registry serving only HTTPS with a self-signed
 * certificate: without verification it must use HTTPS (not fall to plain HTTP), with
 * verification it must refuse the certificate.
 */
class RegistryTlsIT {

  static LocalRegistry registry;
  @TempDir Path tmp;

  @BeforeAll
  static void startRegistry() {
    registry = LocalRegistry.startWithTls();
  }

  @AfterAll
  static void stopRegistry() {
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void probeDoesNotMistakeHttpsForPlainHttp() {
    assertFalse(PlainHttpProbe.speaksPlainHttp("127.0.0.1", registry.port(), 2000));
  }

  @Test
  void unverifiedTlsPushesAndReadsOverHttps() throws Exception {
    TestImage img = new TestImage("tls");
    try (RegistryClient c = RegistryClient.builder(registry.host()).tlsVerify(false)
        .credentials(CredentialResolver.anonymous()).retries(2, Duration.ofMillis(50)).build()) {
      Digest d = img.push(c, "test/tls", "v1");
      assertEquals(img.manifestDigest(), d);
      assertArrayEquals(img.manifest, c.getManifest("test/tls", "v1").bytes());
    }
    // skopeo reads it over HTTPS too (the registry speaks nothing else)
    CmdResult raw = new Skopeo(tmp).run("inspect", "--raw", "--tls-verify=false",
        "docker://" + registry.host() + "/test/tls:v1");
    assertArrayEquals(img.manifest, raw.stdout().getBytes(StandardCharsets.UTF_8));
    assertTrue(registry.logLines().stream().anyMatch(l -> l.contains("/v2/test/tls/manifests/v1")),
        "the registry served the manifest");
  }

  @Test
  void verifiedTlsRefusesTheSelfSignedCertificate() {
    try (RegistryClient c = RegistryClient.builder(registry.host())
        .credentials(CredentialResolver.anonymous()).retries(1, Duration.ofMillis(10)).build()) {
      InsecureRegistryException e =
          assertThrows(InsecureRegistryException.class, () -> c.fetchManifest("test/tls", "v1"));
      assertTrue(e.getMessage().startsWith("connecting to " + registry.host()), e.getMessage());
    }
  }
}
