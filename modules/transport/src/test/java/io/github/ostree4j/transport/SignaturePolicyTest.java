package io.github.ostree4j.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** containers-policy.json parsing and scope lookup, as containers-policy.json(5) describes them. */
class SignaturePolicyTest {

  @TempDir Path tmp;

  static SignaturePolicy parse(String json) throws PolicyFormatException {
    return SignaturePolicy.parse(json.getBytes(StandardCharsets.UTF_8), "test.json");
  }

  static final String POLICY = "{\"default\":[{\"type\":\"reject\"}],\"transports\":{\"docker\":{"
      + "\"quay.io/example/os:stable\":[{\"type\":\"insecureAcceptAnything\"}],"
      + "\"quay.io/example/os\":[{\"type\":\"sigstoreSigned\",\"keyPath\":\"/k.pub\","
      + "\"signedIdentity\":{\"type\":\"matchRepository\"}}],"
      + "\"quay.io/example\":[{\"type\":\"reject\"}],"
      + "\"registry.example.com\":[{\"type\":\"sigstoreSigned\",\"keyPaths\":[\"/a.pub\",\"/b.pub\"]}],"
      + "\"*.example.org\":[{\"type\":\"insecureAcceptAnything\"}],"
      + "\"\":[{\"type\":\"reject\"},{\"type\":\"insecureAcceptAnything\"}]},"
      + "\"oci\":{\"/srv/images\":[{\"type\":\"insecureAcceptAnything\"}]}}}";

  static String scope(SignaturePolicy p, String ref) throws Exception {
    return p.scopeFor(ImageReference.parse(ref)).name();
  }

  @Test
  void mostSpecificScopeWins() throws Exception {
    SignaturePolicy p = parse(POLICY);
    assertEquals("transports.docker[\"quay.io/example/os:stable\"]",
        scope(p, "docker://quay.io/example/os:stable"));
    assertEquals("transports.docker[\"quay.io/example/os\"]",
        scope(p, "docker://quay.io/example/os:testing"));
    assertEquals("transports.docker[\"quay.io/example/os\"]",
        scope(p, "docker://quay.io/example/os@sha256:" + "a".repeat(64)));
    assertEquals("transports.docker[\"quay.io/example\"]", scope(p, "docker://quay.io/example/other"));
    assertEquals("transports.docker[\"registry.example.com\"]",
        scope(p, "docker://registry.example.com/a/b/c:1"));
    assertEquals("transports.docker[\"*.example.org\"]", scope(p, "docker://mirror.eu.example.org:5000/os"));
    assertEquals("transports.docker[\"\"]", scope(p, "docker://fedora"));
    assertEquals("default", scope(p, "docker-archive:/srv/x.tar"));
    assertEquals("default", scope(p, "oci-archive:/srv/x.ociarchive"));
  }

  @Test
  void ociScopesArePathsAndTheirParents() throws Exception {
    SignaturePolicy p = parse(POLICY);
    assertEquals("transports.oci[\"/srv/images\"]", scope(p, "oci:/srv/images/os:1"));
    assertEquals("transports.oci[\"/srv/images\"]", scope(p, "oci:/srv/images"));
    assertEquals("default", scope(p, "oci:/srv/other:1"));
  }

  @Test
  void requirementsAreParsed() throws Exception {
    SignaturePolicy p = parse(POLICY);
    PolicyRequirement r = p.scopeFor(ImageReference.parse("docker://quay.io/example/os:1"))
        .requirements().get(0);
    PolicyRequirement.SigstoreSigned s = assertInstanceOf(PolicyRequirement.SigstoreSigned.class, r);
    assertEquals(java.util.List.of("/k.pub"), s.keyPaths());
    assertInstanceOf(SignedIdentity.MatchRepository.class, s.signedIdentity());
    PolicyRequirement.SigstoreSigned d = (PolicyRequirement.SigstoreSigned) p.scopeFor(
        ImageReference.parse("docker://registry.example.com/x")).requirements().get(0);
    assertEquals(java.util.List.of("/a.pub", "/b.pub"), d.keyPaths());
    assertInstanceOf(SignedIdentity.MatchRepoDigestOrExact.class, d.signedIdentity());
    assertTrue(p.scopeFor(ImageReference.parse("docker://quay.io/example/os:stable")).acceptsAnything());
    assertFalse(p.scopeFor(ImageReference.parse("docker://fedora")).acceptsAnything());
    assertFalse(p.defaultScope().acceptsAnything());
  }

  @Test
  void keyDataIsBase64OfThePem() throws Exception {
    String pem = "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n";
    SignaturePolicy p = parse("{\"default\":[{\"type\":\"sigstoreSigned\",\"keyData\":\""
        + Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII)) + "\","
        + "\"signedIdentity\":{\"type\":\"exactRepository\",\"dockerRepository\":\"quay.io/x\"}}]}");
    PolicyRequirement.SigstoreSigned s =
        (PolicyRequirement.SigstoreSigned) p.defaultScope().requirements().get(0);
    assertEquals(pem, new String(s.keyData().get(0), StandardCharsets.US_ASCII));
    assertEquals(new SignedIdentity.ExactRepository("quay.io/x"), s.signedIdentity());
  }

  @Test
  void unsupportedFormsLoadButAreMarked() throws Exception {
    SignaturePolicy p = parse("{\"default\":[{\"type\":\"signedBy\",\"keyType\":\"GPGKeys\","
        + "\"keyPath\":\"/k.gpg\"}],\"transports\":{\"docker\":{\"a.io\":[{\"type\":\"sigstoreSigned\","
        + "\"fulcio\":{\"caPath\":\"/c\",\"oidcIssuer\":\"i\",\"subjectEmail\":\"e\"},"
        + "\"rekorPublicKeyPath\":\"/r\"}]}}}");
    assertEquals("signedBy (GPG simple signing)", ((PolicyRequirement.Unsupported)
        p.defaultScope().requirements().get(0)).feature());
    assertEquals("sigstoreSigned with fulcio", ((PolicyRequirement.Unsupported)
        p.scopeFor(ImageReference.parse("docker://a.io/x")).requirements().get(0)).feature());
  }

  @Test
  void invalidPoliciesAreRefusedWithTheirPlace() {
    String[][] cases = {
        {"{}", "\"default\" is missing"},
        {"{\"default\":[]}", "must not be empty"},
        {"{\"default\":[{\"type\":\"acceptAll\"}]}", "unknown requirement type \"acceptAll\""},
        {"{\"default\":[{\"type\":\"reject\",\"x\":1}]}", "unknown field \"x\""},
        {"{\"default\":[{\"type\":\"reject\"}],\"extra\":1}", "unknown field \"extra\""},
        {"{\"default\":[{\"type\":\"sigstoreSigned\"}]}", "exactly one of keyPath"},
        {"{\"default\":[{\"type\":\"sigstoreSigned\",\"keyPath\":\"/a\",\"keyData\":\"QQ==\"}]}",
            "exactly one of keyPath"},
        {"{\"default\":[{\"type\":\"sigstoreSigned\",\"keyPath\":\"/a\",\"signedIdentity\":"
            + "{\"type\":\"matchEverything\"}}]}", "unknown signedIdentity type"},
        {"{\"default\":[{\"type\":\"reject\"}],\"transports\":{\"docker\":{\"docker://quay.io/x\":"
            + "[{\"type\":\"reject\"}]}}}", "without its transport prefix"},
        {"{\"default\":[{\"type\":\"reject\"}],\"default\":[]}", "not valid JSON"},
        {"{\"default\":", "not valid JSON"},
    };
    for (String[] c : cases) {
      PolicyFormatException e = assertThrows(PolicyFormatException.class, () -> parse(c[0]), c[0]);
      assertTrue(e.getMessage().startsWith("reading policy test.json: "), e.getMessage());
      assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
    }
  }

  @Test
  void registriesDirectoryMergesFilesAndPicksTheMostSpecificNamespace() throws Exception {
    Path d = Files.createDirectories(tmp.resolve("registries.d"));
    Files.writeString(d.resolve("default.yaml"), "default-docker:\n  lookaside: file:///x\n");
    Files.writeString(d.resolve("quay.yaml"), "docker:\n  quay.io/example:\n"
        + "    use-sigstore-attachments: true\n  quay.io/example/old:\n"
        + "    use-sigstore-attachments: false\n  quay.io/example/nosetting:\n    lookaside: file:///y\n");
    Files.writeString(d.resolve("ignored.txt"), "not: [yaml");
    RegistriesConfig r = RegistriesConfig.load(d);
    assertTrue(r.useSigstoreAttachments(ImageReference.parse("docker://quay.io/example/os:1")));
    assertTrue(r.useSigstoreAttachments(ImageReference.parse("docker://quay.io/example/nosetting")));
    assertFalse(r.useSigstoreAttachments(ImageReference.parse("docker://quay.io/example/old:1")));
    assertFalse(r.useSigstoreAttachments(ImageReference.parse("docker://quay.io/other/os")));
    assertFalse(r.useSigstoreAttachments(ImageReference.parse("oci:/x")));

    Files.writeString(d.resolve("zz.yaml"), "default-docker:\n  use-cosign-attachments: true\n");
    PolicyFormatException e = assertThrows(PolicyFormatException.class, () -> RegistriesConfig.load(d));
    assertTrue(e.getMessage().contains("\"default-docker\" is defined both in"), e.getMessage());
    Files.delete(d.resolve("default.yaml"));
    assertTrue(RegistriesConfig.load(d)
        .useSigstoreAttachments(ImageReference.parse("docker://quay.io/other/os")));
    assertFalse(RegistriesConfig.load(tmp.resolve("missing"))
        .useSigstoreAttachments(ImageReference.parse("docker://quay.io/example/os")));
  }
}
