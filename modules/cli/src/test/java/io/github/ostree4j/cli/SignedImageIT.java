package io.github.ostree4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ostree4j.testing.Cmd;
import io.github.ostree4j.testing.CmdResult;
import io.github.ostree4j.testing.LocalRegistry;
import io.github.ostree4j.testing.Peers;
import io.github.ostree4j.transport.CredentialResolver;
import io.github.ostree4j.transport.ManifestResponse;
import io.github.ostree4j.transport.RegistryClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Signed images end to end: keys from {@code generate-key-pair}, signatures from {@code sign} and
 * {@code copy --sign-by-sigstore-key} in a real registry, pulls and a node rebase checked against
 * a containers-policy.json with registries.d; and each way an image must be refused — unsigned,
 * signed by another key, tampered manifest, a signature for another digest, a policy that accepts
 * anything — with nothing imported or deployed.
 */
class SignedImageIT {

  static final ObjectMapper JSON = new ObjectMapper();
  static LocalRegistry registry;
  static Function<String, String> savedEnv;
  static Path work;
  static NodeImages images;
  static Path key;
  static Path pub;
  static Path otherPub;
  static Path registriesD;
  static Path policy;

  @BeforeAll
  static void setUp() throws Exception {
    Peers.require("ostree");
    registry = LocalRegistry.start();
    savedEnv = Passwords.environment;
    Passwords.environment = n -> n.equals("COSIGN_PASSWORD") ? "test password" : System.getenv(n);
    work = ItFixtures.newDir("signed-image");
    images = new NodeImages(work);
    Ostree4j.ok("generate-key-pair", "--output-key-prefix=" + work.resolve("cosign"));
    Ostree4j.ok("generate-key-pair", "--output-key-prefix=" + work.resolve("other"));
    key = work.resolve("cosign.key");
    pub = work.resolve("cosign.pub");
    otherPub = work.resolve("other.pub");
    registriesD = Files.createDirectories(work.resolve("registries.d"));
    Files.writeString(registriesD.resolve("local.yaml"), "docker:\n  " + registry.host()
        + ":\n    use-sigstore-attachments: true\n");
    policy = policy("signed", pub);
  }

  @AfterAll
  static void tearDown() {
    Passwords.environment = savedEnv;
    if (registry != null) {
      registry.close();
    }
  }

  /** Default reject; the registry's images need a cosign signature by {@code key}. */
  static Path policy(String name, Path keyFile) throws Exception {
    return Files.writeString(work.resolve(name + "-policy.json"), "{\"default\":[{\"type\":\"reject\"}],"
        + "\"transports\":{\"docker\":{\"" + registry.host() + "\":[{\"type\":\"sigstoreSigned\","
        + "\"keyPath\":\"" + keyFile + "\",\"signedIdentity\":{\"type\":\"matchRepository\"}}]}}}");
  }

  static String image(String repo, String tag) {
    return registry.host() + "/" + repo + ":" + tag;
  }

  /** A bootable image pushed to the registry; returns its manifest digest. */
  static String push(String repo, String version) {
    return images.bootable(version, "docker://" + image(repo, "stable"), "--tls-verify=false");
  }

  static void sign(String repo, String digest) {
    Ostree4j.Result r = Ostree4j.ok("sign", "--key", key.toString(), "--tls-verify=false",
        "docker://" + registry.host() + "/" + repo + "@" + digest);
    assertEquals("Pushing signature to: " + registry.host() + "/" + repo + ":sha256-"
        + digest.substring(7) + ".sig", r.stdout().strip());
  }

  static Path newRepo(String name) {
    Path repo = work.resolve(name);
    Ostree4j.init(repo, "archive");
    return repo;
  }

  static Ostree4j.Result pull(Path repo, Path policyFile, String ref) {
    return Ostree4j.run("container", "image", "pull", "--repo=" + repo, "--tls-verify=false",
        "--policy=" + policyFile, "--registries.d=" + registriesD, ref);
  }

  /** Pulls that must be refused: one error line, and the repository exactly as before. */
  static String refused(Path repo, Path policyFile, String ref) {
    Map<String, String> before = ItFixtures.snapshot(repo, "tmp");
    Ostree4j.Result r = pull(repo, policyFile, ref);
    assertEquals(1, r.exitCode(), r::toString);
    assertEquals(1, r.stderrLines().size(), r::toString);
    assertEquals(before, ItFixtures.snapshot(repo, "tmp"), "nothing imported: " + r);
    return r.stderrLines().get(0);
  }

  static String prefix(String ref) {
    return "error: pulling " + ref + ": verifying signatures of " + ref + ": policy scope "
        + "transports.docker[\"" + registry.host() + "\"]: ";
  }

  static RegistryClient client() {
    return RegistryClient.builder(registry.host()).tlsVerify(false)
        .credentials(CredentialResolver.anonymous()).build();
  }

  @Test
  void signedImageIsPulledAndItsSignatureHasCosignsLayout() throws Exception {
    String digest = push("os/signed", "1");
    sign("os/signed", digest);
    Path repo = newRepo("repo-signed");
    String ref = "ostree-image-signed:docker://" + image("os/signed", "stable");
    Ostree4j.Result r = pull(repo, policy, ref).checkSuccess();
    assertTrue(r.stdout().contains("Verified signature of " + ref + " (" + digest + ", signed as "
        + registry.host() + "/os/signed, policy scope transports.docker[\"" + registry.host()
        + "\"])"), r.stdout());
    assertTrue(r.stdout().contains("Image: docker://" + image("os/signed", "stable") + " (" + digest + ")"),
        r.stdout());
    // a plain reference follows the same policy
    pull(newRepo("repo-plain"), policy, "docker://" + image("os/signed", "stable")).checkSuccess();

    // the attachment as skopeo sees it
    String tag = "sha256-" + digest.substring(7) + ".sig";
    CmdResult raw = Cmd.run(List.of(Peers.require("skopeo").toString(), "inspect", "--raw",
        "--tls-verify=false", "docker://" + image("os/signed", tag))).checkSuccess();
    JsonNode m = JSON.readTree(raw.stdout());
    JsonNode layer = m.get("layers").get(0);
    assertEquals("application/vnd.dev.cosign.simplesigning.v1+json", layer.get("mediaType").asText());
    String sig = layer.path("annotations").path("dev.cosignproject.cosign/signature").asText();
    assertEquals(0x30, Base64.getDecoder().decode(sig)[0] & 0xff, "DER ECDSA signature");
  }

  @Test
  void unsignedImageIsRefused() throws Exception {
    String digest = push("os/unsigned", "u");
    String ref = "ostree-image-signed:docker://" + image("os/unsigned", "stable");
    String e = refused(newRepo("repo-unsigned"), policy, ref);
    assertEquals(prefix(ref) + "A signature was required, but no signature exists (no sha256-"
        + digest.substring(7) + ".sig signature attachment)", e);
  }

  @Test
  void signatureByAnotherKeyIsRefused() throws Exception {
    String digest = push("os/otherkey", "o");
    sign("os/otherkey", digest);
    String ref = "ostree-image-signed:docker://" + image("os/otherkey", "stable");
    String e = refused(newRepo("repo-otherkey"), policy("other", otherPub), ref);
    assertEquals(prefix(ref) + "cryptographic signature verification failed (not signed by the"
        + " policy's key)", e);
  }

  @Test
  void tamperedManifestIsRefused() throws Exception {
    String digest = push("os/tampered", "t");
    sign("os/tampered", digest);
    String tamperedDigest;
    try (RegistryClient c = client()) {
      ManifestResponse m = c.getManifest("os/tampered", "stable");
      String text = new String(m.bytes(), StandardCharsets.UTF_8);
      assertTrue(text.endsWith("}"), text);
      byte[] evil = (text.substring(0, text.length() - 1) + ",\"annotations\":{\"evil\":\"yes\"}}")
          .getBytes(StandardCharsets.UTF_8);
      tamperedDigest = c.pushManifest("os/tampered", "stable", evil, m.mediaType()).toString();
    }
    String ref = "ostree-image-signed:docker://" + image("os/tampered", "stable");
    String e = refused(newRepo("repo-tampered"), policy, ref);
    assertEquals(prefix(ref) + "A signature was required, but no signature exists (no sha256-"
        + tamperedDigest.substring(7) + ".sig signature attachment)", e);
  }

  @Test
  void signatureForAnotherDigestIsRefused() throws Exception {
    String signed = push("os/swap", "s1");
    sign("os/swap", signed);
    String other = images.bootable("s2", "docker://" + image("os/swap", "next"), "--tls-verify=false");
    try (RegistryClient c = client()) {
      ManifestResponse sig = c.getManifest("os/swap", "sha256-" + signed.substring(7) + ".sig");
      c.pushManifest("os/swap", "sha256-" + other.substring(7) + ".sig", sig.bytes(), sig.mediaType());
    }
    String ref = "ostree-image-signed:docker://" + image("os/swap", "next");
    String e = refused(newRepo("repo-swap"), policy, ref);
    assertEquals(prefix(ref) + "signature for manifest digest " + signed
        + " does not match the image (" + other + ")", e);
  }

  @Test
  void policiesThatAcceptAnythingAreRefusedForSignedReferences() throws Exception {
    String digest = push("os/insecure", "i");
    sign("os/insecure", digest);
    Path insecure = Files.writeString(work.resolve("insecure-policy.json"),
        "{\"default\":[{\"type\":\"insecureAcceptAnything\"}]}");
    String ref = "ostree-image-signed:docker://" + image("os/insecure", "stable");
    Path repo = newRepo("repo-insecure");
    String e = refused(repo, insecure, ref);
    assertEquals("error: pulling " + ref + ": verifying signatures of " + ref + ": policy scope"
        + " default: containers-policy.json " + insecure + " specifies a default of"
        + " insecureAcceptAnything; refusing usage (set the default to reject and give the"
        + " image's scope a sigstoreSigned requirement)", e);
    // the unverified form skips the policy, as ostree-ext does
    pull(repo, policy("reject", otherPub), "ostree-unverified-registry:" + image("os/insecure", "stable"))
        .checkSuccess();
    // a plain reference under a reject scope is refused
    Path reject = Files.writeString(work.resolve("reject-policy.json"),
        "{\"default\":[{\"type\":\"reject\"}]}");
    String e2 = refused(newRepo("repo-reject"), reject, "docker://" + image("os/insecure", "stable"));
    assertTrue(e2.endsWith(": policy scope default: rejected by the policy (reject)"), e2);
  }

  @Test
  void copySignsTheDestinationAsSkopeoDoes() throws Exception {
    String src = "oci:" + work.resolve("copy-src") + ":1";
    images.bootable("c", src);
    String dest = "docker://" + image("os/copied", "v1");
    Ostree4j.ok("copy", "--dest-tls-verify=false", "--sign-by-sigstore-key=" + key, src, dest);
    // the default signedIdentity (matchRepoDigestOrExact) accepts it: the identity has the tag
    Path exact = Files.writeString(work.resolve("exact-policy.json"), "{\"default\":[{\"type\":\"reject\"}],"
        + "\"transports\":{\"docker\":{\"" + registry.host() + "/os/copied\":[{\"type\":\"sigstoreSigned\","
        + "\"keyPath\":\"" + pub + "\"}]}}}");
    Ostree4j.Result r = pull(newRepo("repo-copied"), exact, "ostree-image-signed:" + dest).checkSuccess();
    assertTrue(r.stdout().contains("signed as " + image("os/copied", "v1") + ","), r.stdout());
  }

  @Test
  void buildSignsWhatItPushes() throws Exception {
    Peers.requireRoot("builds need root");
    String base = "oci:" + work.resolve("build-base") + ":1";
    images.bootable("b", base);
    Path context = Files.createDirectories(work.resolve("build-context"));
    Files.writeString(context.resolve("Containerfile"), "FROM " + base + "\nCOPY motd /etc/motd\n");
    Files.writeString(context.resolve("motd"), "signed build\n");
    String dest = "docker://" + image("os/built", "v1");
    Ostree4j.Result b = Ostree4j.ok("build", "--root=" + work.resolve("build-root"), "--tls-verify=false",
        "--sign-key=" + key, "-t", dest, context.toString());
    String[] lines = b.stdout().strip().split("\n");
    String digest = lines[lines.length - 1];
    assertTrue(b.stdout().contains("Signed " + dest + " (" + digest + ") as " + image("os/built", "v1")),
        b.stdout());
    Ostree4j.Result r = pull(newRepo("repo-built"), policy, "ostree-image-signed:" + dest).checkSuccess();
    assertTrue(r.stdout().contains("Verified signature of ostree-image-signed:" + dest + " (" + digest),
        r.stdout());
    // a signature by a key the policy does not trust: refused
    String e = refused(newRepo("repo-built-other"), policy("other-built", otherPub),
        "ostree-image-signed:" + dest);
    assertTrue(e.startsWith("error: pulling ostree-image-signed:" + dest + ": verifying signatures"), e);
  }

  @Test
  void nodeRebasesOntoASignedImageAndRefusesAnUnsignedOne() throws Exception {
    Peers.requireRoot("sysroot repositories are in mode bare");
    String digest = push("os/node", "n1");
    sign("os/node", digest);
    Path sysroot = work.resolve("sysroot");
    Ostree4j.ok("admin", "init-fs", sysroot.toString());
    Ostree4j.ok("admin", "os-init", "--sysroot=" + sysroot, "testos");
    String ref = "ostree-image-signed:docker://" + image("os/node", "stable");
    Ostree4j.Result r = Ostree4j.ok("rebase", "--sysroot=" + sysroot, "--tls-verify=false",
        "--policy=" + policy, "--registries.d=" + registriesD, ref);
    assertTrue(r.stdout().contains("Verified signature of " + ref), r.stdout());
    List<String> deployed = SysrootChecks.assertConsistent(sysroot);
    assertEquals(1, deployed.size(), deployed::toString);
    // an unsigned update under the same tag: upgrade refuses it, nothing changes
    push("os/node", "n2");
    Map<String, String> before = ItFixtures.snapshot(sysroot);
    Ostree4j.Result u = Ostree4j.run("upgrade", "--sysroot=" + sysroot, "--tls-verify=false",
        "--policy=" + policy, "--registries.d=" + registriesD);
    assertEquals(1, u.exitCode(), u::toString);
    assertEquals(1, u.stderrLines().size(), u::toString);
    assertTrue(u.stderrLines().get(0).startsWith("error: upgrading: verifying signatures of " + ref
        + ": policy scope transports.docker[\"" + registry.host() + "\"]: A signature was"
        + " required, but no signature exists"), u.stderrLines().get(0));
    assertEquals(before, ItFixtures.snapshot(sysroot));
    assertEquals(deployed, SysrootChecks.assertConsistent(sysroot));
    String origin = Files.readString(sysroot.resolve("ostree/deploy/testos/deploy").resolve(
        deployed.get(0).split(" ")[1] + ".origin"));
    assertTrue(origin.contains("container-image-reference=" + ref), origin);
  }
}
