package io.github.ostree4j.transport.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegistryAuthTest {

  @Test
  void parsesChallenges() {
    RegistryAuth.Challenge c = RegistryAuth.parseChallenge(
        "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
            + "scope=\"repository:library/fedora:pull,push\"");
    assertEquals(RegistryAuth.Scheme.BEARER, c.scheme());
    assertEquals("https://auth.docker.io/token", c.realm());
    assertEquals("registry.docker.io", c.service());
    assertEquals(RegistryAuth.Scheme.BASIC,
        RegistryAuth.parseChallenge("Basic realm=\"Registry Realm\"").scheme());
    assertEquals(RegistryAuth.Scheme.BEARER,
        RegistryAuth.parseChallenge("bearer realm=https://x/token").scheme());
    assertNull(RegistryAuth.parseChallenge("Bearer service=\"x\""), "a realm is required");
    assertNull(RegistryAuth.parseChallenge("Negotiate"));
    assertNull(RegistryAuth.parseChallenge(null));
  }

  @Test
  void parsesParameters() {
    Map<String, String> p = RegistryAuth.parseParams(
        "realm=\"a,b\", service=svc ,scope=\"x\\\"y\"");
    assertEquals(Map.of("realm", "a,b", "service", "svc", "scope", "x\"y"), p);
  }

  @Test
  void keysForNestedRepositories() {
    assertEquals(List.of("quay.io/a/b/c", "quay.io/a/b", "quay.io/a", "quay.io"),
        AuthFileReader.keysFor("quay.io", "a/b/c"));
    assertEquals(List.of("localhost:5000/os", "localhost:5000"),
        AuthFileReader.keysFor("localhost:5000", "os"));
    assertEquals(List.of("quay.io"), AuthFileReader.keysFor("quay.io", null));
  }

  @Test
  void normalizesLegacyKeys() {
    assertEquals("index.docker.io", AuthFileReader.normalizeKey("https://index.docker.io/v1/", false));
    assertEquals("host:5000", AuthFileReader.normalizeKey("http://host:5000/v1/", false));
    assertEquals("host/ns", AuthFileReader.normalizeKey("host/ns", false));
    assertEquals("host", AuthFileReader.normalizeKey("host/ns", true));
    assertEquals("index.docker.io", AuthFileReader.normalizeKey("docker.io", false));
    assertEquals("https://index.docker.io/v1/", AuthFileReader.helperServer("docker.io"));
    assertEquals("quay.io", AuthFileReader.helperServer("quay.io"));
  }
}
