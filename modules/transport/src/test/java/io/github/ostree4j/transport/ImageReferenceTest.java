package io.github.ostree4j.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ostree4j.oci.Digest;
import io.github.ostree4j.transport.ImageReference.Transport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageReferenceTest {

  static final String D = "sha256:" + "ab".repeat(32);

  static Stream<Arguments> registryCases() {
    // text, registry, repository, tag-or-digest, canonical
    return Stream.of(
        Arguments.of("docker://fedora", "docker.io", "library/fedora", "latest",
            "docker://docker.io/library/fedora:latest"),
        Arguments.of("docker://fedora:40", "docker.io", "library/fedora", "40",
            "docker://docker.io/library/fedora:40"),
        Arguments.of("docker://docker.io/fedora", "docker.io", "library/fedora", "latest",
            "docker://docker.io/library/fedora:latest"),
        Arguments.of("docker://index.docker.io/library/fedora:latest", "docker.io",
            "library/fedora", "latest", "docker://docker.io/library/fedora:latest"),
        Arguments.of("docker://someone/image", "docker.io", "someone/image", "latest",
            "docker://docker.io/someone/image:latest"),
        Arguments.of("docker://quay.io/fedora/fedora-coreos:stable", "quay.io",
            "fedora/fedora-coreos", "stable", "docker://quay.io/fedora/fedora-coreos:stable"),
        Arguments.of("docker://quay.io/fedora/fedora-coreos@" + D, "quay.io",
            "fedora/fedora-coreos", D, "docker://quay.io/fedora/fedora-coreos@" + D),
        Arguments.of("docker://localhost/os", "localhost", "os", "latest",
            "docker://localhost/os:latest"),
        Arguments.of("docker://localhost:5000/a/b/c:v1.2-rc_3", "localhost:5000", "a/b/c",
            "v1.2-rc_3", "docker://localhost:5000/a/b/c:v1.2-rc_3"),
        Arguments.of("docker://127.0.0.1:5000/nestos/nestos-for-container:24.03-LTS",
            "127.0.0.1:5000", "nestos/nestos-for-container", "24.03-LTS",
            "docker://127.0.0.1:5000/nestos/nestos-for-container:24.03-LTS"),
        Arguments.of("docker://[::1]:5000/os:1", "[::1]:5000", "os", "1",
            "docker://[::1]:5000/os:1"),
        Arguments.of("docker://Registry.Example.COM/os", "Registry.Example.COM", "os", "latest",
            "docker://Registry.Example.COM/os:latest"),
        Arguments.of("docker://a__b/c-d/e.f_g--h:T", "docker.io", "a__b/c-d/e.f_g--h", "T",
            "docker://docker.io/a__b/c-d/e.f_g--h:T"),
        Arguments.of("registry:quay.io/exampleos/blah", "quay.io", "exampleos/blah", "latest",
            "docker://quay.io/exampleos/blah:latest"),
        Arguments.of("registry:fedora", "docker.io", "library/fedora", "latest",
            "docker://docker.io/library/fedora:latest"));
  }

  @ParameterizedTest
  @MethodSource("registryCases")
  void registryReferences(String text, String registry, String repository, String tagOrDigest,
      String canonical) throws Exception {
    ImageReference r = ImageReference.parse(text);
    assertEquals(Transport.DOCKER, r.transport());
    assertTrue(r.isRegistry());
    assertTrue(r.hasDockerName());
    assertEquals(registry, r.registry());
    assertEquals(repository, r.repository());
    assertEquals(tagOrDigest, r.tagOrDigest());
    assertEquals(canonical, r.canonical());
    assertEquals(text, r.toString(), "toString keeps the original text");
    assertEquals(r, ImageReference.parse(r.toString()));
    assertEquals(r, ImageReference.parse(r.canonical()), "the canonical form parses to an equal value");
    assertEquals(r.hashCode(), ImageReference.parse(r.canonical()).hashCode());
    assertThrows(IllegalStateException.class, r::path);
  }

  @Test
  void transportNamesAreThoseOfContainersTransports() {
    assertEquals("docker", Transport.DOCKER.transportName());
    assertEquals("oci", Transport.OCI.transportName());
    assertEquals("oci-archive", Transport.OCI_ARCHIVE.transportName());
    assertEquals("docker-archive", Transport.DOCKER_ARCHIVE.transportName());
  }

  @Test
  void bareNameDefaultsAsContainersImageDoes() throws Exception {
    ImageReference r = ImageReference.parse("docker://fedora");
    assertEquals("docker.io", r.registry());
    assertEquals("library/fedora", r.repository());
    assertEquals(Optional.empty(), r.tag());
    assertEquals("latest", r.tagOrDigest());
    assertEquals("fedora", r.name());
    assertEquals("docker://fedora", r.toString());
    assertEquals(ImageReference.parse("docker://docker.io/library/fedora:latest"), r);
    assertNotEquals(ImageReference.parse("docker://fedora:41"), r);
  }

  @Test
  void digestReference() throws Exception {
    ImageReference r = ImageReference.parse("docker://quay.io/a/b@" + D);
    assertEquals(Optional.of(Digest.parse(D)), r.digest());
    assertEquals(Optional.empty(), r.tag());
    ImageReference pinned = ImageReference.parse("docker://quay.io/a/b:1").withDigest(Digest.parse(D));
    assertEquals(r, pinned);
    assertEquals("docker://quay.io/a/b@" + D, pinned.toString());
    assertEquals(r, ImageReference.docker("quay.io", "a/b", D));
    assertEquals(ImageReference.parse("docker://quay.io/a/b:1"), ImageReference.docker("quay.io", "a/b", "1"));
    ImageReference sha512 = ImageReference.parse("docker://quay.io/a/b@sha512:" + "0".repeat(128));
    assertEquals("sha512", sha512.digest().orElseThrow().algorithm());
  }

  static Stream<Arguments> fileCases() {
    // text, transport, path, tag (or null), canonical
    return Stream.of(
        Arguments.of("oci:/var/tmp/os", Transport.OCI, "/var/tmp/os", null, "oci:/var/tmp/os"),
        Arguments.of("oci:somedir", Transport.OCI, "somedir", null, "oci:somedir"),
        Arguments.of("oci:/var/tmp/os:latest", Transport.OCI, "/var/tmp/os", "latest",
            "oci:/var/tmp/os:latest"),
        Arguments.of("oci:dir:a.b-c_d/e:f@g+h", Transport.OCI, "dir", "a.b-c_d/e:f@g+h",
            "oci:dir:a.b-c_d/e:f@g+h"),
        Arguments.of("oci:dir:", Transport.OCI, "dir", null, "oci:dir"),
        Arguments.of("oci-archive:/path/to/foo.ociarchive", Transport.OCI_ARCHIVE,
            "/path/to/foo.ociarchive", null, "oci-archive:/path/to/foo.ociarchive"),
        Arguments.of("oci-archive:os.tar:v1", Transport.OCI_ARCHIVE, "os.tar", "v1",
            "oci-archive:os.tar:v1"),
        Arguments.of("docker-archive:/path/to/foo.dockerarchive", Transport.DOCKER_ARCHIVE,
            "/path/to/foo.dockerarchive", null, "docker-archive:/path/to/foo.dockerarchive"),
        Arguments.of("docker-archive:img.tar:example/os", Transport.DOCKER_ARCHIVE, "img.tar",
            null, "docker-archive:img.tar:docker.io/example/os:latest"),
        Arguments.of("docker-archive:img.tar:quay.io/example/os:v2", Transport.DOCKER_ARCHIVE,
            "img.tar", "v2", "docker-archive:img.tar:quay.io/example/os:v2"));
  }

  @ParameterizedTest
  @MethodSource("fileCases")
  void fileReferences(String text, Transport transport, String path, String tag, String canonical)
      throws Exception {
    ImageReference r = ImageReference.parse(text);
    assertEquals(transport, r.transport());
    assertFalse(r.isRegistry());
    assertEquals(Path.of(path), r.path());
    assertEquals(Optional.ofNullable(tag), r.tag());
    assertEquals(canonical, r.canonical());
    assertEquals(text, r.toString());
    assertEquals(r, ImageReference.parse(canonical));
    assertEquals(Optional.empty(), r.digest());
  }

  @Test
  void dockerArchiveName() throws Exception {
    ImageReference r = ImageReference.parse("docker-archive:img.tar:example/os");
    assertTrue(r.hasDockerName());
    assertEquals("docker.io", r.registry());
    assertEquals("example/os", r.repository());
    ImageReference plain = ImageReference.parse("docker-archive:img.tar");
    assertFalse(plain.hasDockerName());
    assertThrows(IllegalStateException.class, plain::registry);
  }

  static Stream<Arguments> invalid() {
    // text, fragment of the reason
    return Stream.of(
        Arguments.of("", "empty reference"),
        Arguments.of("fedora", "missing transport"),
        Arguments.of("quay.io/fedora/fedora-coreos:stable", "unknown transport 'quay.io/fedora/fedora-coreos'"),
        Arguments.of("localhost:5000/os", "unknown transport 'localhost'"),
        Arguments.of("foo://", "unknown transport 'foo'"),
        Arguments.of("foo:bar", "unknown transport 'foo'"),
        Arguments.of("docker:blah", "expected '//' after 'docker:'"),
        Arguments.of("docker:/blah", "expected '//'"),
        Arguments.of("docker://", "missing image name"),
        Arguments.of("registry:", "missing image name"),
        Arguments.of("registry://quay.io/x", "invalid"),
        Arguments.of("docker://Fedora", "must be lowercase"),
        Arguments.of("docker://quay.io/Fedora/os", "must be lowercase"),
        Arguments.of("docker://quay.io/", "missing repository name"),
        Arguments.of("docker://quay.io/os:", "invalid tag ''"),
        Arguments.of("docker://quay.io/os:-x", "invalid tag"),
        Arguments.of("docker://quay.io/os:" + "t".repeat(129), "invalid tag"),
        Arguments.of("docker://quay.io/os@sha256:abc", "invalid digest"),
        Arguments.of("docker://quay.io/os@md5:" + "a".repeat(32), "unsupported digest"),
        Arguments.of("docker://quay.io/os:1@" + D, "both a tag and a digest"),
        Arguments.of("docker://quay.io/a//b", "invalid repository name"),
        Arguments.of("docker://quay.io/a/b/", "invalid repository name"),
        Arguments.of("docker://quay.io/-a", "invalid repository name"),
        Arguments.of("docker://quay.io/a b", "invalid repository name"),
        Arguments.of("docker://-bad.host/a", "invalid registry host"),
        Arguments.of("docker://host:port/a", "invalid registry host"),
        Arguments.of("docker://" + "ab".repeat(32), "64-hex-digit image ID"),
        Arguments.of("docker://quay.io/" + "a".repeat(250), "longer than 255"),
        Arguments.of("oci:", "missing path"),
        Arguments.of("oci::tag", "missing path"),
        Arguments.of("oci:dir:bad tag", "invalid image reference name"),
        Arguments.of("oci:dir:-x", "invalid image reference name"),
        Arguments.of("oci-archive:", "missing path"),
        Arguments.of("docker-archive:", "missing path"),
        Arguments.of("docker-archive:x.tar:Upper", "must be lowercase"),
        Arguments.of("docker-archive:x.tar:a/b@" + D, "cannot contain a digest"),
        Arguments.of("dir:/some/dir/blah", "transport 'dir' is not supported"),
        Arguments.of("containers-storage:localhost/someimage", "transport 'containers-storage' is not supported"),
        Arguments.of("docker-daemon:img:latest", "not supported"));
  }

  @ParameterizedTest
  @MethodSource("invalid")
  void invalidReferencesAreRejectedWithAnExample(String text, String reason) {
    InvalidReferenceException e =
        assertThrows(InvalidReferenceException.class, () -> ImageReference.parse(text));
    assertTrue(e.getMessage().startsWith("parsing image reference '" + text + "': "), e.getMessage());
    assertTrue(e.getMessage().contains(reason), e.getMessage());
    assertTrue(e.getMessage().matches(".*\\(example: [a-z-]+:\\S+\\)$"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
    assertEquals(text, e.reference());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "docker://quay.io/fedora/fedora-coreos:stable",
      "oci:/var/tmp/os-image:latest",
      "oci-archive:/var/tmp/os-image.ociarchive:latest",
      "docker-archive:/var/tmp/os-image.tar:example/os:latest"})
  void theExamplesInMessagesAreValid(String example) throws Exception {
    assertEquals(example, ImageReference.parse(example).toString());
    for (Transport t : Transport.values()) {
      ImageReference.parse(t.example());
    }
  }

  /**
   * Property: for many generated valid names, parse(toString()) is equal and prints the same
   * text, parse(canonical()) is equal, and the canonical form is a fixed point.
   */
  @Test
  void generatedReferencesRoundTrip() throws Exception {
    Random rnd = new Random(42);
    List<String> hosts = List.of("", "quay.io/", "localhost/", "localhost:5000/", "127.0.0.1:35000/",
        "registry.example.com:443/", "docker.io/", "index.docker.io/", "my-registry.local/");
    for (int i = 0; i < 2000; i++) {
      String host = hosts.get(rnd.nextInt(hosts.size()));
      StringBuilder path = new StringBuilder();
      int comps = 1 + rnd.nextInt(3);
      for (int c = 0; c < comps; c++) {
        if (c > 0) {
          path.append('/');
        }
        // without a host, a first component with a '.' would be taken for a registry host
        path.append(c == 0 && host.isEmpty() && comps > 1
            ? component(rnd).replace('.', '_') : component(rnd));
      }
      String suffix;
      switch (rnd.nextInt(3)) {
        case 0:
          suffix = "";
          break;
        case 1:
          suffix = ":" + tag(rnd);
          break;
        default:
          suffix = "@sha256:" + hex(rnd, 64);
      }
      String text = (rnd.nextBoolean() ? "docker://" : "registry:") + host + path + suffix;
      ImageReference r = ImageReference.parse(text);
      assertEquals(text, r.toString());
      assertEquals(r, ImageReference.parse(r.toString()));
      ImageReference canon = ImageReference.parse(r.canonical());
      assertEquals(r, canon);
      assertEquals(r.canonical(), canon.canonical());
      assertEquals(r.canonical(), canon.toString(), "the canonical form is a fixed point");
      if (host.isEmpty() && path.indexOf("/") < 0) {
        assertEquals("library/" + path, r.repository(), text);
      }

      String dir = "/tmp/" + component(rnd);
      String oci = (rnd.nextBoolean() ? "oci:" : "oci-archive:") + dir
          + (rnd.nextBoolean() ? "" : ":" + ociName(rnd) + (rnd.nextBoolean() ? "" : "/" + ociName(rnd)));
      ImageReference o = ImageReference.parse(oci);
      assertEquals(oci, o.toString());
      assertEquals(o, ImageReference.parse(o.canonical()));
      assertEquals(Path.of(dir), o.path());
    }
  }

  /** Property: mutating a valid reference with characters outside the grammar is rejected. */
  @Test
  void generatedInvalidReferencesAreRejected() {
    Random rnd = new Random(7);
    String bad = " \t\"'!#$%^&*()=[]{}|\\<>,?~`";
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      String valid = "docker://quay.io/" + component(rnd) + "/" + component(rnd) + ":" + tag(rnd);
      int pos = "docker://".length() + rnd.nextInt(valid.length() - "docker://".length());
      char c = bad.charAt(rnd.nextInt(bad.length()));
      String text = valid.substring(0, pos) + c + valid.substring(pos);
      try {
        ImageReference.parse(text);
        failures.add(text);
      } catch (InvalidReferenceException e) {
        assertTrue(e.getMessage().contains("(example: "));
      }
    }
    assertEquals(List.of(), failures);
  }

  private static String component(Random rnd) {
    String alnum = "abcdefghijklmnopqrstuvwxyz0123456789";
    String[] seps = {".", "_", "__", "-", "--"};
    StringBuilder s = new StringBuilder();
    int parts = 1 + rnd.nextInt(3);
    for (int p = 0; p < parts; p++) {
      if (p > 0) {
        s.append(seps[rnd.nextInt(seps.length)]);
      }
      int len = 1 + rnd.nextInt(6);
      for (int k = 0; k < len; k++) {
        s.append(alnum.charAt(rnd.nextInt(alnum.length())));
      }
    }
    return s.toString();
  }

  /** A component of an OCI reference name: like a Docker path component, but "__" is no separator. */
  private static String ociName(Random rnd) {
    return component(rnd).replace("__", "_");
  }

  private static String tag(Random rnd) {
    String first = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";
    String rest = first + ".-";
    StringBuilder s = new StringBuilder();
    s.append(first.charAt(rnd.nextInt(first.length())));
    int len = rnd.nextInt(12);
    for (int k = 0; k < len; k++) {
      s.append(rest.charAt(rnd.nextInt(rest.length())));
    }
    return s.toString();
  }

  private static String hex(Random rnd, int n) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < n; i++) {
      s.append("0123456789abcdef".charAt(rnd.nextInt(16)));
    }
    return s.toString();
  }
}
