package io.github.ostree4j.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ostree4j.oci.Descriptor;
import io.github.ostree4j.oci.Digest;
import io.github.ostree4j.oci.OciLayout;
import io.github.ostree4j.transport.internal.sigstore.SignatureAttachments;
import io.github.ostree4j.transport.internal.sigstore.SimpleSigningPayload;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Policy verification of images in OCI layouts (the registry path is covered by {@code
 * SignedImagesIT}): accepted, and each way of being refused with image, scope and reason.
 */
class PolicyVerifierTest {

  @TempDir Path tmp;
  KeyPair key;
  KeyPair other;
  Path pub;
  Path otherPub;
  Path layoutDir;
  ImageReference image;
  Digest digest;
  final TransportOptions options = TransportOptions.defaults();

  @BeforeEach
  void setUp() throws Exception {
    key = CosignKeys.generate();
    other = CosignKeys.generate();
    pub = tmp.resolve("cosign.pub");
    otherPub = tmp.resolve("other.pub");
    Files.write(pub, CosignKeys.encodePublicKey(key.getPublic()));
    Files.write(otherPub, CosignKeys.encodePublicKey(other.getPublic()));
    layoutDir = tmp.resolve("layout");
    TestImage img = new TestImage("signed");
    img.writeLayout(layoutDir, "stable");
    image = ImageReference.parse("oci:" + layoutDir + ":stable");
    digest = img.manifestDigest();
  }

  PolicyVerifier verifier(Path key, String identity) throws Exception {
    String json = "{\"default\":[{\"type\":\"reject\"}],\"transports\":{\"oci\":{\""
        + layoutDir.toRealPath() + "\":[{\"type\":\"sigstoreSigned\",\"keyPath\":\"" + key + "\","
        + "\"signedIdentity\":{\"type\":\"exactRepository\",\"dockerRepository\":\"" + identity
        + "\"}}]}}}";
    return PolicyVerifier.of(SignaturePolicy.parse(json.getBytes(StandardCharsets.UTF_8), "p.json"),
        RegistriesConfig.empty());
  }

  PolicyVerifier.Result verify(PolicyVerifier v) throws Exception {
    try (ImageSource src = ImageTransports.openSource(image, options)) {
      return v.verify(src, src.manifest(), image.toString());
    }
  }

  SignatureVerificationException refused(PolicyVerifier v) {
    SignatureVerificationException e = assertThrows(SignatureVerificationException.class,
        () -> verify(v));
    assertEquals(image.toString(), e.image());
    assertTrue(e.getMessage().startsWith("verifying signatures of " + image + ": policy scope "),
        e.getMessage());
    return e;
  }

  void sign(KeyPair k, String identity) throws Exception {
    SigstoreSigner.of(k.getPrivate()).sign(image, digest, identity, options);
  }

  @Test
  void signedImageIsAccepted() throws Exception {
    sign(key, "example.com/os");
    PolicyVerifier.Result r = verify(verifier(pub, "example.com/os"));
    assertTrue(r.scope().startsWith("transports.oci[\""), r.scope());
    assertEquals(Optional.of("example.com/os"), r.acceptedSignature());
  }

  @Test
  void oneGoodSignatureAmongOthersIsEnough() throws Exception {
    sign(other, "example.com/os");
    sign(key, "example.com/os");
    assertEquals(Optional.of("example.com/os"), verify(verifier(pub, "example.com/os")).acceptedSignature());
  }

  @Test
  void missingSignatureIsRefused() throws Exception {
    SignatureVerificationException e = refused(verifier(pub, "example.com/os"));
    assertTrue(e.reason().startsWith("A signature was required, but no signature exists (no sha256-"),
        e.reason());
  }

  @Test
  void signatureByAnotherKeyIsRefused() throws Exception {
    sign(other, "example.com/os");
    SignatureVerificationException e = refused(verifier(pub, "example.com/os"));
    assertTrue(e.reason().startsWith("cryptographic signature verification failed"), e.reason());
  }

  @Test
  void signatureForAnotherDigestIsRefused() throws Exception {
    Digest otherDigest = Digest.sha256("another image".getBytes(StandardCharsets.UTF_8));
    byte[] payload = SimpleSigningPayload.cosign("example.com/os", otherDigest);
    String sig = SigstoreSigner.of(key.getPrivate()).signPayload(payload);
    try (ImageSource src = ImageTransports.openSource(image, options);
        ImageDestination dst = ImageTransports.openDestination(image, options)) {
      // stored where this image's signatures are looked up
      SignatureAttachments.append(src, dst, digest, payload,
          Map.of(SignatureAttachments.SIGNATURE_ANNOTATION, sig), "2024-01-01T00:00:00Z");
    }
    SignatureVerificationException e = refused(verifier(pub, "example.com/os"));
    assertEquals("signature for manifest digest " + otherDigest + " does not match the image ("
        + digest + ")", e.reason());
  }

  @Test
  void tamperedManifestIsRefused() throws Exception {
    sign(key, "example.com/os");
    // the layout now serves other manifest bytes under the tag
    OciLayout layout = OciLayout.open(layoutDir);
    byte[] m = layout.readBlobBytes(digest, 1 << 20);
    byte[] tampered = new String(m, StandardCharsets.UTF_8)
        .replace("ostree4j test image signed", "ostree4j test image evil")
        .getBytes(StandardCharsets.UTF_8);
    Digest td = layout.writeBlob(tampered).digest();
    layout.addManifest(Descriptor.of(io.github.ostree4j.oci.MediaTypes.OCI_MANIFEST, td,
        tampered.length), "stable");
    SignatureVerificationException e = refused(verifier(pub, "example.com/os"));
    assertTrue(e.reason().startsWith("A signature was required, but no signature exists"),
        e.reason());
  }

  @Test
  void signedIdentityIsChecked() throws Exception {
    sign(key, "example.com/other");
    SignatureVerificationException e = refused(verifier(pub, "example.com/os"));
    assertTrue(e.reason().startsWith("signature for identity example.com/other is not accepted"
        + " (signedIdentity exactRepository"), e.reason());
  }

  @Test
  void severalRejectionsAreAllNamed() throws Exception {
    sign(other, "example.com/os");
    sign(key, "example.com/other");
    SignatureVerificationException e = refused(verifier(pub, "example.com/os"));
    assertTrue(e.reason().startsWith("None of the signatures were accepted, reasons: "
        + "cryptographic signature verification failed"), e.reason());
    assertTrue(e.reason().contains("; signature for identity example.com/other"), e.reason());
  }

  @Test
  void missingKeyFileIsNamed() throws Exception {
    sign(key, "example.com/os");
    SignatureVerificationException e = refused(verifier(tmp.resolve("nope.pub"), "example.com/os"));
    assertEquals("the policy's public key file " + tmp.resolve("nope.pub") + " does not exist",
        e.reason());
  }

  @Test
  void rejectAndUnsupportedRequirementsRefuse() throws Exception {
    PolicyVerifier reject = PolicyVerifier.of(SignaturePolicy.parse(
        "{\"default\":[{\"type\":\"reject\"}]}".getBytes(StandardCharsets.UTF_8), "p"),
        RegistriesConfig.empty());
    SignatureVerificationException e = refused(reject);
    assertEquals("default", e.scope());
    assertEquals("rejected by the policy (reject)", e.reason());
    PolicyVerifier gpg = PolicyVerifier.of(SignaturePolicy.parse(
        "{\"default\":[{\"type\":\"signedBy\",\"keyType\":\"GPGKeys\",\"keyPath\":\"/k\"}]}"
            .getBytes(StandardCharsets.UTF_8), "p"), RegistriesConfig.empty());
    assertTrue(refused(gpg).reason().startsWith("signedBy (GPG simple signing) is not supported"));
  }

  @Test
  void insecureAcceptAnythingAcceptsButIsRefusedForSignedReferences() throws Exception {
    PolicyVerifier any = PolicyVerifier.of(SignaturePolicy.parse(
        "{\"default\":[{\"type\":\"insecureAcceptAnything\"}]}".getBytes(StandardCharsets.UTF_8),
        "/etc/containers/policy.json"), RegistriesConfig.empty());
    assertEquals("default", verify(any).scope());
    SignatureVerificationException e = assertThrows(SignatureVerificationException.class,
        () -> any.requireEnforcing(image, "ostree-image-signed:" + image));
    assertTrue(e.getMessage().contains("containers-policy.json /etc/containers/policy.json"
        + " specifies a default of insecureAcceptAnything; refusing usage"), e.getMessage());

    PolicyVerifier scoped = PolicyVerifier.of(SignaturePolicy.parse(
        ("{\"default\":[{\"type\":\"reject\"}],\"transports\":{\"oci\":{\"\":"
            + "[{\"type\":\"insecureAcceptAnything\"}]}}}").getBytes(StandardCharsets.UTF_8), "p"),
        RegistriesConfig.empty());
    SignatureVerificationException e2 = assertThrows(SignatureVerificationException.class,
        () -> scoped.requireEnforcing(image, image.toString()));
    assertEquals("transports.oci[\"\"]", e2.scope());
    verifier(pub, "example.com/os").requireEnforcing(image, image.toString());
  }

  @Test
  void missingDefaultPolicyAcceptsButCannotEnforce() throws Exception {
    TransportOptions o = TransportOptions.builder()
        .registriesDirectory(tmp.resolve("none"))
        .build();
    PolicyVerifier v = PolicyVerifier.load(o);
    if (v.policy().isPresent()) {
      return; // this machine has a policy file; the named-file case below still runs
    }
    assertTrue(verify(v).scope().startsWith("(no policy file at "));
    assertThrows(SignatureVerificationException.class, () -> v.requireEnforcing(image, "x"));
  }

  @Test
  void namedPolicyFileMustExist() {
    TransportOptions o = TransportOptions.builder()
        .signaturePolicy(tmp.resolve("missing.json")).build();
    assertThrows(java.nio.file.NoSuchFileException.class, () -> PolicyVerifier.load(o));
  }

  @Test
  void untaggedLayoutStillNamesItsImageAfterSigning() throws Exception {
    sign(key, "example.com/os");
    OciLayout layout = OciLayout.open(layoutDir);
    assertEquals(digest, layout.findManifest(null).digest());
  }
}
