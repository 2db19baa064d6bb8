package io.github.ostree4j.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.ostree4j.oci.Digest;
import io.github.ostree4j.ostree.Refs;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Ref escaping against ostree-ext's documented examples and test strings. */
class ContainerRefsTest {

  /** Strings ostree-ext's refescape tests expect to pass through unchanged. */
  static final List<String> UNCHANGED = List.of("foo", "foo/bar/baz-blah/foo");
  /** Strings ostree-ext's refescape tests round-trip (plus its corner cases). */
  static final List<String> ROUNDTRIP = List.of(
      "localhost:5000/foo:latest",
      "fedora/x86_64/coreos",
      "/foo/bar/foo.oci-archive",
      "/foo/bar/foo.docker-archive",
      "docker://quay.io/exampleos/blah:latest",
      "oci-archive:/path/to/foo.ociarchive",
      "docker-archive:/path/to/foo.dockerarchive",
      "/", "blah/", "/foo/");

  @Test
  void documentedExamples() {
    assertEquals("registry_3A_quay_2E_io/coreos/fedora_3A_latest",
        ContainerRefs.escape("registry:quay.io/coreos/fedora:latest"));
    assertEquals("localhost_3A_5000/foo_3A_latest", ContainerRefs.escape("localhost:5000/foo:latest"));
    String hex = "ab".repeat(32);
    assertEquals("ostree/container/blob/sha256_3A_" + hex, ContainerRefs.layerRef(Digest.sha256Hex(hex)));
  }

  @Test
  void unchangedStrings() {
    for (String s : UNCHANGED) {
      assertEquals(s, ContainerRefs.escape(s));
    }
  }

  @Test
  void roundTripsGiveValidRefs() throws Exception {
    for (String s : ROUNDTRIP) {
      String escaped = ContainerRefs.escape(s);
      Refs.validateName("testprefix/blah/" + escaped);
      assertEquals(s, ContainerRefs.unescape(escaped), escaped);
    }
  }

  @Test
  void underscoreQuotesItself() {
    assertEquals("a__b", ContainerRefs.escape("a_b"));
    assertEquals("____", ContainerRefs.escape("__"));
    assertEquals("a_b", ContainerRefs.unescape("a__b"));
  }

  @Test
  void slashRules() {
    // '/' only passes after a letter or digit and when something follows
    assertEquals("a/_2F_b", ContainerRefs.escape("a//b"));
    assertEquals("_2F_a", ContainerRefs.escape("/a"));
    assertEquals("a_2F_", ContainerRefs.escape("a/"));
    assertEquals("a-_2F_b", ContainerRefs.escape("a-/b"));
  }

  @Test
  void oddCharactersUseTheirCodePoint() {
    assertEquals("caf_E9_", ContainerRefs.escape("caf\u00e9"));
    assertEquals("_65E5_", ContainerRefs.escape("\u65e5"));
    assertEquals("_1F600_", ContainerRefs.escape(new String(Character.toChars(0x1F600))));
    assertEquals("_20__7E__40_", ContainerRefs.escape(" ~@"));
    for (String s : List.of("caf\u00e9", "\u65e5\u672c", new String(Character.toChars(0x1F600)) + "x", "a b\tc", "_x_")) {
      assertEquals(s, ContainerRefs.unescape(ContainerRefs.escape(s)));
    }
  }

  @Test
  void imageRefs() {
    assertEquals("ostree/container/image/docker_3A__2F__2F_quay_2E_io/x_3A_tag",
        ContainerRefs.imageRef("docker://quay.io/x:tag"));
    assertEquals("ostree/container/image/oci_3A__2F_path_3A_tag", ContainerRefs.imageRef("oci:/path:tag"));
  }

  @Test
  void invalidInput() {
    assertThrows(IllegalArgumentException.class, () -> ContainerRefs.escape(""));
    assertThrows(IllegalArgumentException.class, () -> ContainerRefs.escape("a\0b"));
    assertThrows(IllegalArgumentException.class, () -> ContainerRefs.unescape("a:b"));
    assertThrows(IllegalArgumentException.class, () -> ContainerRefs.unescape("a_3A"));
    assertThrows(IllegalArgumentException.class, () -> ContainerRefs.unescape("a_ZZ_"));
    assertThrows(IllegalArgumentException.class, () -> ContainerRefs.unescape("a_D800_"));
    assertThrows(IllegalArgumentException.class, () -> ContainerRefs.unescape("a_110000_"));
  }
}
