package io.github.ostree4j.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.ostree4j.oci.Digest;
import io.github.ostree4j.oci.Json;
import io.github.ostree4j.testing.Cmd;
import io.github.ostree4j.testing.CmdResult;
import io.github.ostree4j.testing.LocalRegistry;
import io.github.ostree4j.testing.Peers;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cosign signatures in a real registry (docker-registry), checked against independent tools:
 * skopeo reads the attachment manifest, the JDK's HTTP client fetches the blobs, openssl verifies
 * our signatures and makes signatures and keys that we must accept.
 */
class SignedImagesIT {

  static LocalRegistry registry;
  @TempDir Path tmp;

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

  static TransportOptions options(Path registriesD) {
    return TransportOptions.builder().tlsVerify(false)
        .credentials(CredentialResolver.anonymous())
        .retries(2, Duration.ofMillis(50))
        .registriesDirectory(registriesD).build();
  }

  RegistryClient client() {
    return RegistryClient.builder(registry.host()).tlsVerify(false)
        .credentials(CredentialResolver.anonymous()).build();
  }

  Path registriesD(boolean attachments) throws Exception {
    Path d = Files.createDirectories(tmp.resolve("registries.d-" + attachments));
    Files.writeString(d.resolve("local.yaml"), "docker:\n  " + registry.host()
        + ":\n    use-sigstore-attachments: " + attachments + "\n");
    return d;
  }

  static String openssl(String... args) {
    List<String> cmd = new java.util.ArrayList<>(List.of(Peers.require("openssl").toString()));
    cmd.addAll(List.of(args));
    return Cmd.run(cmd).checkSuccess().stdout();
  }

  /** GET a blob with the JDK's HTTP client, not ours. */
  static byte[] rawBlob(String repo, String digest) throws Exception {
    HttpResponse<byte[]> r = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
        .build().send(HttpRequest.newBuilder(URI.create("http://" + registry.host() + "/v2/" + repo
            + "/blobs/" + digest)).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, r.statusCode());
    return r.body();
  }

  Digest push(String repo, String seed) throws Exception {
    TestImage img = new TestImage(seed);
    try (RegistryClient c = client()) {
      return img.push(c, repo, "stable");
    }
  }

  PolicyVerifier verifier(Path pub, String identityType, Path registriesD) throws Exception {
    String json = "{\"default\":[{\"type\":\"reject\"}],\"transports\":{\"docker\":{\""
        + registry.host() + "\":[{\"type\":\"sigstoreSigned\",\"keyPath\":\"" + pub + "\","
        + "\"signedIdentity\":{\"type\":\"" + identityType + "\"}}]}}}";
    return PolicyVerifier.of(SignaturePolicy.parse(json.getBytes(StandardCharsets.UTF_8), "p.json"),
        RegistriesConfig.load(registriesD));
  }

  PolicyVerifier.Result verify(PolicyVerifier v, ImageReference ref, TransportOptions o)
      throws Exception {
    try (ImageSource src = ImageTransports.openSource(ref, o)) {
      return v.verify(src, src.manifest(), ref.toString());
    }
  }

  @Test
  void ourSignatureHasCosignsLayoutAndVerifiesWithOpenssl() throws Exception {
    Digest d = push("sig/layout", "layout");
    KeyPair kp = CosignKeys.generate();
    ImageReference ref = ImageReference.parse("docker://" + registry.host() + "/sig/layout@" + d);
    SigstoreSigner.Signed s = SigstoreSigner.of(kp.getPrivate())
        .sign(ref, d, SigstoreSigner.identityOf(ref), options(null));
    String tag = "sha256-" + d.hex() + ".sig";
    assertEquals(tag, s.attachmentTag());

    // skopeo reads the attachment manifest
    CmdResult raw = Cmd.run(List.of(Peers.require("skopeo").toString(), "inspect", "--raw",
        "--tls-verify=false", "docker://" + registry.host() + "/sig/layout:" + tag)).checkSuccess();
    JsonNode m = Json.MAPPER.readTree(raw.stdoutBytes());
    assertEquals(Digest.sha256(raw.stdoutBytes()), s.attachmentDigest());
    assertEquals(2, m.get("schemaVersion").asInt());
    assertEquals("application/vnd.oci.image.manifest.v1+json", m.get("mediaType").asText());
    assertEquals("application/vnd.oci.image.config.v1+json", m.path("config").path("mediaType").asText());
    assertEquals(1, m.get("layers").size());
    JsonNode layer = m.get("layers").get(0);
    assertEquals("application/vnd.dev.cosign.simplesigning.v1+json", layer.get("mediaType").asText());
    List<String> fields = new java.util.ArrayList<>();
    layer.fieldNames().forEachRemaining(fields::add);
    assertEquals(List.of("mediaType", "size", "digest", "annotations"), fields);
    String b64 = layer.path("annotations").path("dev.cosignproject.cosign/signature").asText();

    byte[] payload = rawBlob("sig/layout", layer.get("digest").asText());
    assertEquals("{\"critical\":{\"identity\":{\"docker-reference\":\"" + registry.host()
        + "/sig/layout\"},\"image\":{\"docker-manifest-digest\":\"" + d + "\"},"
        + "\"type\":\"cosign container image signature\"},\"optional\":null}",
        new String(payload, StandardCharsets.UTF_8));
    JsonNode config = Json.MAPPER.readTree(rawBlob("sig/layout", m.path("config").path("digest").asText()));
    assertEquals(layer.get("digest").asText(), config.path("rootfs").path("diff_ids").get(0).asText());

    // openssl verifies the signature with the public key file
    Path pub = Files.write(tmp.resolve("cosign.pub"), CosignKeys.encodePublicKey(kp.getPublic()));
    Path sig = Files.write(tmp.resolve("sig.der"), Base64.getDecoder().decode(b64));
    Path pay = Files.write(tmp.resolve("payload.json"), payload);
    assertTrue(openssl("dgst", "-sha256", "-verify", pub.toString(), "-signature", sig.toString(),
        pay.toString()).contains("Verified OK"));

    // and the policy accepts it (the tag, with matchRepository)
    PolicyVerifier.Result r = verify(verifier(pub, "matchRepository", registriesD(true)),
        ImageReference.parse("docker://" + registry.host() + "/sig/layout:stable"),
        options(registriesD(true)));
    assertEquals("transports.docker[\"" + registry.host() + "\"]", r.scope());
  }

  @Test
  void signatureMadeByOpensslOnAHandBuiltLayoutIsAccepted() throws Exception {
    Digest d = push("sig/openssl", "openssl");
    Path key = tmp.resolve("key.pem");
    openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key.toString());
    Path pub = tmp.resolve("pub.pem");
    openssl("pkey", "-in", key.toString(), "-pubout", "-out", pub.toString());
    String payload = "{\"critical\":{\"identity\":{\"docker-reference\":\"" + registry.host()
        + "/sig/openssl\"},\"image\":{\"docker-manifest-digest\":\"" + d + "\"},"
        + "\"type\":\"cosign container image signature\"},\"optional\":null}";
    Path pay = Files.writeString(tmp.resolve("payload.json"), payload);
    Path sig = tmp.resolve("sig.der");
    openssl("dgst", "-sha256", "-sign", key.toString(), "-out", sig.toString(), pay.toString());
    String b64 = Base64.getEncoder().encodeToString(Files.readAllBytes(sig));
    byte[] payloadBytes = payload.getBytes(StandardCharsets.UTF_8);
    String config = "{\"architecture\":\"\",\"created\":\"2024-01-01T00:00:00Z\",\"history\":"
        + "[{\"created\":\"0001-01-01T00:00:00Z\"}],\"os\":\"\",\"rootfs\":{\"type\":\"layers\","
        + "\"diff_ids\":[\"" + Digest.sha256(payloadBytes) + "\"]},\"config\":{}}";
    byte[] configBytes = config.getBytes(StandardCharsets.UTF_8);
    String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
        + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"size\":"
        + configBytes.length + ",\"digest\":\"" + Digest.sha256(configBytes) + "\"},\"layers\":[{"
        + "\"mediaType\":\"application/vnd.dev.cosign.simplesigning.v1+json\",\"size\":"
        + payloadBytes.length + ",\"digest\":\"" + Digest.sha256(payloadBytes) + "\","
        + "\"annotations\":{\"dev.cosignproject.cosign/signature\":\"" + b64 + "\"}}]}";
    try (RegistryClient c = client()) {
      c.pushBlob("sig/openssl", Digest.sha256(payloadBytes), payloadBytes.length,
          () -> new ByteArrayInputStream(payloadBytes), null, null);
      c.pushBlob("sig/openssl", Digest.sha256(configBytes), configBytes.length,
          () -> new ByteArrayInputStream(configBytes), null, null);
      c.pushManifest("sig/openssl", "sha256-" + d.hex() + ".sig",
          manifest.getBytes(StandardCharsets.UTF_8), "application/vnd.oci.image.manifest.v1+json");
    }
    ImageReference ref = ImageReference.parse("docker://" + registry.host() + "/sig/openssl:stable");
    PolicyVerifier.Result r = verify(verifier(pub, "matchRepository", registriesD(true)), ref,
        options(registriesD(true)));
    assertEquals(java.util.Optional.of(registry.host() + "/sig/openssl"), r.acceptedSignature());

    // the same key signs through ostree4j (imported with the independent encoder), and the
    // signature openssl made and ours both verify under the one public key
    PrivateKey same = CosignKeys.readPrivateKey(
        independentCosignKey(key, "pw", tmp.resolve("key.der")), "pw".toCharArray());
    Digest d2 = push("sig/openssl2", "openssl2");
    ImageReference ref2 = ImageReference.parse("docker://" + registry.host() + "/sig/openssl2:stable");
    SigstoreSigner.of(same).sign(ref2, d2, SigstoreSigner.identityOf(ref2), options(null));
    verify(verifier(pub, "matchRepository", registriesD(true)), ref2, options(registriesD(true)));
    // cosign signs the repository without tag, which containers-image's default
    // matchRepoDigestOrExact never accepts (by tag or by digest): policies use matchRepository
    for (ImageReference r2 : List.of(ref,
        ImageReference.parse("docker://" + registry.host() + "/sig/openssl@" + d))) {
      SignatureVerificationException e = assertThrows(SignatureVerificationException.class,
          () -> verify(verifier(pub, "matchRepoDigestOrExact", registriesD(true)), r2,
              options(registriesD(true))));
      assertTrue(e.reason().startsWith("signature for identity " + registry.host()
          + "/sig/openssl is not accepted (signedIdentity matchRepoDigestOrExact"), e.reason());
    }
  }

  @Test
  void attachmentsAreReadOnlyWhereRegistriesDSaysSo() throws Exception {
    Digest d = push("sig/nord", "nord");
    KeyPair kp = CosignKeys.generate();
    ImageReference ref = ImageReference.parse("docker://" + registry.host() + "/sig/nord:stable");
    SigstoreSigner.of(kp.getPrivate()).sign(ref, d, SigstoreSigner.identityOf(ref), options(null));
    Path pub = Files.write(tmp.resolve("nord.pub"), CosignKeys.encodePublicKey(kp.getPublic()));
    SignatureVerificationException e = assertThrows(SignatureVerificationException.class,
        () -> verify(verifier(pub, "matchRepository", registriesD(false)), ref,
            options(registriesD(false))));
    assertEquals("A signature was required, but no signature exists (sigstore signatures of "
        + registry.host() + "/sig/nord are not read: registries.d does not set"
        + " use-sigstore-attachments: true for it)", e.reason());
    verify(verifier(pub, "matchRepository", registriesD(true)), ref, options(registriesD(true)));
  }

  /**
   * A cosign.key for an openssl key, written without our code: the KDF is openssl's scrypt with
   * cosign's parameters, the box the tests' own secretbox, the envelope JSON and PEM by hand.
   */
  Path independentCosignKey(Path pem, String password, Path der) throws Exception {
    openssl("pkcs8", "-topk8", "-nocrypt", "-in", pem.toString(), "-outform", "DER", "-out",
        der.toString());
    byte[] salt = new byte[32];
    byte[] nonce = new byte[24];
    new SecureRandom().nextBytes(salt);
    new SecureRandom().nextBytes(nonce);
    String kdfOut = openssl("kdf", "-keylen", "32", "-kdfopt", "pass:" + password,
        "-kdfopt", "hexsalt:" + HexFormat.of().formatHex(salt), "-kdfopt", "n:32768",
        "-kdfopt", "r:8", "-kdfopt", "p:1", "-kdfopt", "maxmem_bytes:67108864", "SCRYPT");
    byte[] kek = HexFormat.of().parseHex(kdfOut.strip().replace(":", "").toLowerCase());
    byte[] box = TestSecretBox.seal(kek, nonce, Files.readAllBytes(der));
    Base64.Encoder b = Base64.getEncoder();
    String envelope = "{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":32768,\"r\":8,\"p\":1},"
        + "\"salt\":\"" + b.encodeToString(salt) + "\"},\"cipher\":{\"name\":\"nacl/secretbox\","
        + "\"nonce\":\"" + b.encodeToString(nonce) + "\"},\"ciphertext\":\"" + b.encodeToString(box) + "\"}";
    String body = b.encodeToString(envelope.getBytes(StandardCharsets.UTF_8));
    StringBuilder file = new StringBuilder("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n");
    for (int i = 0; i < body.length(); i += 64) {
      file.append(body, i, Math.min(body.length(), i + 64)).append('\n');
    }
    file.append("-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n");
    return Files.writeString(pem.resolveSibling(pem.getFileName() + ".cosign.key"), file);
  }

  @Test
  void cosignKeyWrittenByAnIndependentEncoderSigns() throws Exception {
    Path pem = tmp.resolve("k.pem");
    openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", pem.toString());
    Path pub = tmp.resolve("k.pub");
    openssl("pkey", "-in", pem.toString(), "-pubout", "-out", pub.toString());
    Path der = tmp.resolve("k.der");
    String password = "correct horse";
    Path cosignKey = independentCosignKey(pem, password, der);

    PrivateKey k = CosignKeys.readPrivateKey(cosignKey, password.toCharArray());
    assertArrayEquals(Files.readAllBytes(der), k.getEncoded());
    assertThrows(KeyFileException.class,
        () -> CosignKeys.readPrivateKey(cosignKey, "wrong".toCharArray()));

    Digest d = push("sig/indep", "indep");
    ImageReference ref = ImageReference.parse("docker://" + registry.host() + "/sig/indep:stable");
    SigstoreSigner.of(k).sign(ref, d, SigstoreSigner.identityOf(ref), options(null));
    verify(verifier(pub, "matchRepository", registriesD(true)), ref, options(registriesD(true)));
  }
}
