package io.github.ostree4j.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ostree4j.transport.ImageReference.Transport;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OstreeImageReferenceTest {

  static Stream<Arguments> valid() {
    // text, source, remote, image (toString of the inner reference), canonical toString
    return Stream.of(
        Arguments.of("ostree-unverified-registry:quay.io/exampleos/blah",
            SignatureSource.CONTAINER_POLICY_ALLOW_INSECURE, null,
            "docker://quay.io/exampleos/blah",
            "ostree-unverified-registry:quay.io/exampleos/blah"),
        Arguments.of("ostree-unverified-image:docker://quay.io/exampleos/blah",
            SignatureSource.CONTAINER_POLICY_ALLOW_INSECURE, null,
            "docker://quay.io/exampleos/blah",
            "ostree-unverified-registry:quay.io/exampleos/blah"),
        Arguments.of("ostree-unverified-image:registry:quay.io/exampleos/blah",
            SignatureSource.CONTAINER_POLICY_ALLOW_INSECURE, null,
            "registry:quay.io/exampleos/blah",
            "ostree-unverified-registry:quay.io/exampleos/blah"),
        Arguments.of("ostree-unverified-image:oci:/myimage.oci",
            SignatureSource.CONTAINER_POLICY_ALLOW_INSECURE, null, "oci:/myimage.oci",
            "ostree-unverified-image:oci:/myimage.oci"),
        Arguments.of("ostree-unverified-image:oci-archive:/path/to/foo.ociarchive:v1",
            SignatureSource.CONTAINER_POLICY_ALLOW_INSECURE, null,
            "oci-archive:/path/to/foo.ociarchive:v1",
            "ostree-unverified-image:oci-archive:/path/to/foo.ociarchive:v1"),
        Arguments.of("ostree-image-signed:docker://quay.io/exampleos/blah",
            SignatureSource.CONTAINER_POLICY, null, "docker://quay.io/exampleos/blah",
            "ostree-image-signed:docker://quay.io/exampleos/blah"),
        Arguments.of("ostree-image-signed:registry:quay.io/exampleos/blah",
            SignatureSource.CONTAINER_POLICY, null, "registry:quay.io/exampleos/blah",
            "ostree-image-signed:docker://quay.io/exampleos/blah"),
        Arguments.of("ostree-remote-image:myremote:registry:quay.io/exampleos/blah",
            SignatureSource.OSTREE_REMOTE, "myremote", "registry:quay.io/exampleos/blah",
            "ostree-remote-image:myremote:docker://quay.io/exampleos/blah"),
        Arguments.of("ostree-remote-registry:myremote:quay.io/exampleos/blah",
            SignatureSource.OSTREE_REMOTE, "myremote", "docker://quay.io/exampleos/blah",
            "ostree-remote-image:myremote:docker://quay.io/exampleos/blah"),
        Arguments.of("ostree-remote-image:fedora:docker://quay.io/fedora/fedora-coreos:stable",
            SignatureSource.OSTREE_REMOTE, "fedora",
            "docker://quay.io/fedora/fedora-coreos:stable",
            "ostree-remote-image:fedora:docker://quay.io/fedora/fedora-coreos:stable"),
        Arguments.of("ostree-remote-image:r:oci:/srv/os:1", SignatureSource.OSTREE_REMOTE, "r",
            "oci:/srv/os:1", "ostree-remote-image:r:oci:/srv/os:1"),
        Arguments.of("ostree-unverified-registry:localhost:5000/os:24.03-LTS",
            SignatureSource.CONTAINER_POLICY_ALLOW_INSECURE, null,
            "docker://localhost:5000/os:24.03-LTS",
            "ostree-unverified-registry:localhost:5000/os:24.03-LTS"),
        Arguments.of("ostree-unverified-registry:fedora",
            SignatureSource.CONTAINER_POLICY_ALLOW_INSECURE, null, "docker://fedora",
            "ostree-unverified-registry:fedora"));
  }

  @ParameterizedTest
  @MethodSource("valid")
  void parsesAndPrintsTheCanonicalForm(String text, SignatureSource source, String remote,
      String image, String canonical) throws Exception {
    OstreeImageReference r = OstreeImageReference.parse(text);
    assertEquals(source, r.signatureSource());
    assertEquals(Optional.ofNullable(remote), r.remote());
    assertEquals(image, r.imageReference().toString());
    assertEquals(canonical, r.toString());
    OstreeImageReference again = OstreeImageReference.parse(r.toString());
    assertEquals(r, again, "toString parses back to an equal value");
    assertEquals(r.hashCode(), again.hashCode());
    assertEquals(canonical, again.toString(), "the canonical form is a fixed point");
  }

  @Test
  void shortAndLongFormsAreEqual() throws Exception {
    assertEquals(
        OstreeImageReference.parse("ostree-remote-image:myremote:registry:quay.io/exampleos/blah"),
        OstreeImageReference.parse("ostree-remote-registry:myremote:quay.io/exampleos/blah"));
    assertEquals(
        OstreeImageReference.parse("ostree-unverified-registry:quay.io/exampleos/blah"),
        OstreeImageReference.parse("ostree-unverified-image:docker://quay.io/exampleos/blah"));
    assertNotEquals(
        OstreeImageReference.parse("ostree-image-signed:docker://quay.io/exampleos/blah"),
        OstreeImageReference.parse("ostree-unverified-image:docker://quay.io/exampleos/blah"));
    assertNotEquals(
        OstreeImageReference.parse("ostree-remote-registry:a:quay.io/exampleos/blah"),
        OstreeImageReference.parse("ostree-remote-registry:b:quay.io/exampleos/blah"));
  }

  @Test
  void shortRegistryFormExposesTheDockerImage() throws Exception {
    OstreeImageReference r =
        OstreeImageReference.parse("ostree-unverified-registry:quay.io/fedora/fedora-coreos:stable");
    ImageReference img = r.imageReference();
    assertEquals(Transport.DOCKER, img.transport());
    assertEquals("quay.io", img.registry());
    assertEquals("fedora/fedora-coreos", img.repository());
    assertEquals("stable", img.tagOrDigest());
    assertEquals("docker://quay.io/fedora/fedora-coreos:stable", img.toString());
  }

  @Test
  void ofBuildsTheSameValues() throws Exception {
    ImageReference img = ImageReference.parse("docker://quay.io/a/b:1");
    assertEquals(OstreeImageReference.parse("ostree-remote-registry:fedora:quay.io/a/b:1"),
        OstreeImageReference.of(SignatureSource.OSTREE_REMOTE, "fedora", img));
    assertEquals("ostree-unverified-registry:quay.io/a/b:1",
        OstreeImageReference.of(SignatureSource.CONTAINER_POLICY_ALLOW_INSECURE, null, img)
            .toString());
    assertThrows(IllegalArgumentException.class,
        () -> OstreeImageReference.of(SignatureSource.OSTREE_REMOTE, null, img));
    assertThrows(IllegalArgumentException.class,
        () -> OstreeImageReference.of(SignatureSource.CONTAINER_POLICY, "r", img));
    assertThrows(IllegalArgumentException.class,
        () -> OstreeImageReference.of(SignatureSource.OSTREE_REMOTE, "a:b", img));
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of("", "empty reference"),
        Arguments.of("quay.io/exampleos/blah", "missing ':'"),
        Arguments.of("docker://quay.io/exampleos/blah", "unknown scheme 'docker'"),
        Arguments.of("ostree-unverified:quay.io/x", "unknown scheme 'ostree-unverified'"),
        Arguments.of("ostree-unverified-image:quay.io/x", "missing transport"),
        Arguments.of("ostree-unverified-image:docker:blah", "expected '//' after 'docker:'"),
        Arguments.of("ostree-unverified-image:registry:", "missing image name"),
        Arguments.of("ostree-unverified-image:foo:bar", "unknown transport 'foo'"),
        Arguments.of("ostree-unverified-image:", "empty reference"),
        Arguments.of("ostree-unverified-registry:", "missing image name"),
        Arguments.of("ostree-unverified-registry:Quay.io/UPPER", "must be lowercase"),
        Arguments.of("ostree-image-signed:dir:/some/dir", "not supported"),
        Arguments.of("ostree-remote-registry:myremote", "missing ':' after the remote name"),
        Arguments.of("ostree-remote-image:myremote", "missing ':' after the remote name"),
        Arguments.of("ostree-remote-image::registry:quay.io/x", "empty remote name"),
        Arguments.of("ostree-remote-image:r:quay.io/x", "missing transport"),
        Arguments.of("ostree-remote-image:r:quay.io:443/x", "unknown transport 'quay.io'"),
        Arguments.of("ostree-remote-registry:r:", "missing image name"));
  }

  @ParameterizedTest
  @MethodSource("invalid")
  void invalidReferences(String text, String reason) {
    InvalidReferenceException e =
        assertThrows(InvalidReferenceException.class, () -> OstreeImageReference.parse(text));
    assertTrue(e.getMessage().startsWith("parsing image reference '" + text + "': "), e.getMessage());
    assertTrue(e.getMessage().contains(reason), e.getMessage());
    assertTrue(e.getMessage().contains("(example: ostree-"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }
}
