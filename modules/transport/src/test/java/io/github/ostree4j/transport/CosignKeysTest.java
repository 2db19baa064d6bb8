package io.github.ostree4j.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** cosign.key / cosign.pub encoding, decoding and signing. */
class CosignKeysTest {

  @Test
  void generatedKeysAreP256AndRoundTripThroughTheFiles() throws Exception {
    KeyPair kp = CosignKeys.generate();
    assertEquals(256, ((ECPublicKey) kp.getPublic()).getParams().getCurve().getField().getFieldSize());
    byte[] priv = CosignKeys.encodePrivateKey(kp.getPrivate(), "pw".toCharArray());
    String text = new String(priv, StandardCharsets.US_ASCII);
    assertTrue(text.startsWith("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n"), text);
    assertTrue(text.endsWith("-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n"), text);
    for (String line : text.split("\n")) {
      assertTrue(line.length() <= 64, line);
    }
    assertArrayEquals(kp.getPrivate().getEncoded(),
        CosignKeys.decodePrivateKey(priv, "pw".toCharArray(), "cosign.key").getEncoded());
    byte[] pub = CosignKeys.encodePublicKey(kp.getPublic());
    assertTrue(new String(pub, StandardCharsets.US_ASCII).startsWith("-----BEGIN PUBLIC KEY-----\n"));
    List<PublicKey> keys = CosignKeys.decodePublicKeys(pub, "cosign.pub");
    assertArrayEquals(kp.getPublic().getEncoded(), keys.get(0).getEncoded());
  }

  @Test
  void cosign1PemTypeIsAccepted() throws Exception {
    KeyPair kp = CosignKeys.generate();
    String v2 = new String(CosignKeys.encodePrivateKey(kp.getPrivate(), new char[0]),
        StandardCharsets.US_ASCII);
    byte[] v1 = v2.replace("SIGSTORE", "COSIGN").getBytes(StandardCharsets.US_ASCII);
    assertArrayEquals(kp.getPrivate().getEncoded(),
        CosignKeys.decodePrivateKey(v1, new char[0], "old.key").getEncoded());
  }

  @Test
  void wrongPasswordAndOtherFilesAreRefusedClearly() throws Exception {
    KeyPair kp = CosignKeys.generate();
    byte[] priv = CosignKeys.encodePrivateKey(kp.getPrivate(), "right".toCharArray());
    KeyFileException e = assertThrows(KeyFileException.class,
        () -> CosignKeys.decodePrivateKey(priv, "wrong".toCharArray(), "cosign.key"));
    assertEquals("reading private key cosign.key: decryption failed (wrong password?)",
        e.getMessage());
    KeyFileException e2 = assertThrows(KeyFileException.class, () -> CosignKeys.decodePrivateKey(
        CosignKeys.encodePublicKey(kp.getPublic()), new char[0], "cosign.pub"));
    assertTrue(e2.getMessage().contains("no 'ENCRYPTED SIGSTORE PRIVATE KEY'"), e2.getMessage());
    KeyFileException e3 = assertThrows(KeyFileException.class,
        () -> CosignKeys.decodePublicKeys("hello".getBytes(StandardCharsets.US_ASCII), "x.pub"));
    assertEquals("reading public key x.pub: no 'PUBLIC KEY' PEM block", e3.getMessage());
  }

  @Test
  void signaturesAreDerEcdsaOverSha256() throws Exception {
    KeyPair kp = CosignKeys.generate();
    byte[] payload = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
    String b64 = SigstoreSigner.of(kp.getPrivate()).signPayload(payload);
    byte[] der = Base64.getDecoder().decode(b64);
    assertEquals(0x30, der[0] & 0xff, "ASN.1 SEQUENCE");
    Signature v = Signature.getInstance("SHA256withECDSA");
    v.initVerify(kp.getPublic());
    v.update(payload);
    assertTrue(v.verify(der));
  }

  @Test
  void identityIsTheRepositoryAsCosignNamesIt() throws Exception {
    assertEquals("quay.io/x/os",
        SigstoreSigner.identityOf(ImageReference.parse("docker://quay.io/x/os:1")));
    assertEquals("index.docker.io/library/busybox",
        SigstoreSigner.identityOf(ImageReference.parse("docker://busybox")));
    assertEquals("127.0.0.1:5000/os", SigstoreSigner.identityOf(
        ImageReference.parse("docker://127.0.0.1:5000/os@sha256:" + "c".repeat(64))));
  }
}
