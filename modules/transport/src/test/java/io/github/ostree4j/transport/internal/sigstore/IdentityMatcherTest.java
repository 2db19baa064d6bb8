package io.github.ostree4j.transport.internal.sigstore;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ostree4j.transport.SignedIdentity;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** signedIdentity rules as containers-image's policy_reference_match.go applies them. */
class IdentityMatcherTest {

  static final String D = "sha256:" + "b".repeat(64);
  static final Optional<DockerRef> TAGGED = DockerRef.parse("quay.io/x/os:stable");
  static final Optional<DockerRef> DIGESTED = DockerRef.parse("quay.io/x/os@" + D);

  static boolean m(SignedIdentity rule, Optional<DockerRef> image, String signed) {
    return IdentityMatcher.matches(rule, image, signed);
  }

  @Test
  void matchRepoDigestOrExact() {
    SignedIdentity r = new SignedIdentity.MatchRepoDigestOrExact();
    assertTrue(m(r, TAGGED, "quay.io/x/os:stable"));
    assertFalse(m(r, TAGGED, "quay.io/x/os:testing"));
    assertFalse(m(r, TAGGED, "quay.io/x/os"), "a cosign payload without tag does not match a tag");
    assertTrue(m(r, DIGESTED, "quay.io/x/os:whatever"));
    assertFalse(m(r, DIGESTED, "quay.io/x/os"), "name-only signatures are never exact");
    assertFalse(m(r, DIGESTED, "quay.io/y/os:1"));
  }

  @Test
  void matchRepositoryIgnoresTagsAndNormalizes() {
    SignedIdentity r = new SignedIdentity.MatchRepository();
    assertTrue(m(r, TAGGED, "quay.io/x/os"));
    assertTrue(m(r, DIGESTED, "quay.io/x/os:1"));
    assertFalse(m(r, TAGGED, "quay.io/x/os2"));
    assertTrue(m(r, DockerRef.parse("docker.io/library/busybox:1"), "index.docker.io/library/busybox"));
    assertTrue(m(r, DockerRef.parse("docker.io/library/busybox:1"), "busybox"));
  }

  @Test
  void matchExact() {
    SignedIdentity r = new SignedIdentity.MatchExact();
    assertTrue(m(r, TAGGED, "quay.io/x/os:stable"));
    assertFalse(m(r, TAGGED, "quay.io/x/os"));
    assertFalse(m(r, DIGESTED, "quay.io/x/os:stable"));
  }

  @Test
  void fixedIdentitiesWorkWithoutADockerReference() {
    assertTrue(m(new SignedIdentity.ExactRepository("quay.io/x/os"), Optional.empty(), "quay.io/x/os:1"));
    assertFalse(m(new SignedIdentity.ExactRepository("quay.io/x/os"), Optional.empty(), "quay.io/x/o"));
    assertTrue(m(new SignedIdentity.ExactReference("quay.io/x/os:1"), Optional.empty(), "quay.io/x/os:1"));
    assertFalse(m(new SignedIdentity.ExactReference("quay.io/x/os:1"), Optional.empty(), "quay.io/x/os"));
    assertFalse(m(new SignedIdentity.MatchRepository(), Optional.empty(), "quay.io/x/os"),
        "images without a Docker reference only match fixed identities");
  }

  @Test
  void remapIdentityRewritesAPrefixOnAComponentBoundary() {
    SignedIdentity r = new SignedIdentity.RemapIdentity("mirror.local/x", "quay.io/x");
    assertTrue(m(r, DockerRef.parse("mirror.local/x/os:stable"), "quay.io/x/os:stable"));
    assertFalse(m(r, DockerRef.parse("mirror.local/xy/os:stable"), "quay.io/xy/os:stable"));
    assertFalse(m(r, DockerRef.parse("mirror.local/x/os:stable"), "mirror.local/x/os"));
  }

  @Test
  void invalidSignedReferencesNeverMatch() {
    assertFalse(m(new SignedIdentity.MatchRepository(), TAGGED, "Quay.io/X/OS"));
    assertFalse(m(new SignedIdentity.MatchRepository(), TAGGED, ""));
  }
}
