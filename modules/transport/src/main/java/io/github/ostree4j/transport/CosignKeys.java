package io.github.ostree4j.transport;

import io.github.ostree4j.transport.internal.sigstore.KeyEnvelope;
import io.github.ostree4j.transport.internal.sigstore.Pem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Key files in cosign's formats.
 *
 * <ul>
 *   <li>{@code cosign.key}: PEM {@value #SIGSTORE_PRIVATE_KEY} (cosign 2 and later, skopeo's
 *       {@code generate-sigstore-key}) or {@value #COSIGN_PRIVATE_KEY} (cosign 1), whose body is a
 *       JSON envelope: the PKCS#8 DER of the private key sealed with NaCl secretbox under a key
 *       derived from the password with scrypt (N = 32768, r = 8, p = 1 when writing);
 *   <li>{@code cosign.pub}: PEM {@value #PUBLIC_KEY}, the PKIX (X.509 SubjectPublicKeyInfo) DER.
 * </ul>
 *
 * <p>New keys are ECDSA on NIST P-256, as {@code cosign generate-key-pair} makes them. Reading also
 * accepts RSA and Ed25519 keys. Signatures over a payload use SHA-256 ({@link
 * #signatureAlgorithm(Key)}); ECDSA signatures are ASN.1 DER, as cosign writes them.
 */
public final class CosignKeys {

  /** PEM type of encrypted private keys written by cosign 2 and later. */
  public static final String SIGSTORE_PRIVATE_KEY = "ENCRYPTED SIGSTORE PRIVATE KEY";
  /** PEM type of encrypted private keys written by cosign 1. */
  public static final String COSIGN_PRIVATE_KEY = "ENCRYPTED COSIGN PRIVATE KEY";
  /** PEM type of public keys. */
  public static final String PUBLIC_KEY = "PUBLIC KEY";

  private static final List<String> KEY_ALGORITHMS = List.of("EC", "RSA", "Ed25519");

  private CosignKeys() {}

  /**
   * Generates a new ECDSA P-256 key pair.
   *
   * @return the pair
   */
  public static KeyPair generate() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no ECDSA P-256 key generator", e);
    }
  }

  /**
   * Encodes a private key as an encrypted {@value #SIGSTORE_PRIVATE_KEY} PEM file.
   *
   * @param key the key
   * @param password the password; may be empty (cosign allows it)
   * @return the file content
   */
  public static byte[] encodePrivateKey(PrivateKey key, char[] password) {
    byte[] der = key.getEncoded();
    try {
      return Pem.encode(SIGSTORE_PRIVATE_KEY, KeyEnvelope.encrypt(der, password));
    } finally {
      Arrays.fill(der, (byte) 0);
    }
  }

  /**
   * Encodes a public key as a {@value #PUBLIC_KEY} PEM file.
   *
   * @param key the key
   * @return the file content
   */
  public static byte[] encodePublicKey(PublicKey key) {
    return Pem.encode(PUBLIC_KEY, key.getEncoded());
  }

  /**
   * Reads an encrypted private key file.
   *
   * @param file {@code cosign.key}
   * @param password the password
   * @return the key
   * @throws KeyFileException when the file is not an encrypted cosign key or the password is wrong
   * @throws IOException when the file cannot be read
   */
  public static PrivateKey readPrivateKey(Path file, char[] password) throws IOException {
    return decodePrivateKey(Files.readAllBytes(file), password, file.toString());
  }

  /**
   * Decodes an encrypted private key.
   *
   * @param pem the PEM text
   * @param password the password
   * @param what the file name for messages
   * @return the key
   * @throws KeyFileException when the text is not an encrypted cosign key or the password is wrong
   */
  public static PrivateKey decodePrivateKey(byte[] pem, char[] password, String what)
      throws KeyFileException {
    String action = "reading private key " + what;
    Pem.Block block = null;
    try {
      for (Pem.Block b : Pem.decode(pem)) {
        if (b.type().equals(SIGSTORE_PRIVATE_KEY) || b.type().equals(COSIGN_PRIVATE_KEY)) {
          block = b;
          break;
        }
      }
    } catch (IllegalArgumentException e) {
      throw new KeyFileException(action + ": " + e.getMessage(), e);
    }
    if (block == null) {
      throw new KeyFileException(action + ": no '" + SIGSTORE_PRIVATE_KEY + "' or '"
          + COSIGN_PRIVATE_KEY + "' PEM block (expected a key written by cosign"
          + " generate-key-pair)");
    }
    byte[] der;
    try {
      der = KeyEnvelope.decrypt(block.bytes(), password);
    } catch (GeneralSecurityException e) {
      throw new KeyFileException(action + ": decryption failed (wrong password?)", e);
    } catch (IOException e) {
      throw new KeyFileException(action + ": " + e.getMessage(), e);
    }
    try {
      return pkcs8(der, action);
    } finally {
      Arrays.fill(der, (byte) 0);
    }
  }

  /**
   * Decodes an unencrypted PKCS#8 private key (the plaintext inside a cosign key file).
   *
   * @param der the DER bytes
   * @param action what was being done, for messages
   * @return the key
   * @throws KeyFileException when the bytes are not an EC, RSA or Ed25519 PKCS#8 key
   */
  static PrivateKey pkcs8(byte[] der, String action) throws KeyFileException {
    for (String alg : KEY_ALGORITHMS) {
      try {
        return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // try the next type
      }
    }
    throw new KeyFileException(action + ": the decrypted key is not an EC, RSA or Ed25519"
        + " PKCS#8 private key");
  }

  /**
   * Reads the public keys of a PEM file (usually one).
   *
   * @param file e.g. {@code cosign.pub}
   * @return the keys, at least one
   * @throws KeyFileException when the file holds no usable {@value #PUBLIC_KEY} block
   * @throws IOException when the file cannot be read
   */
  public static List<PublicKey> readPublicKeys(Path file) throws IOException {
    return decodePublicKeys(Files.readAllBytes(file), file.toString());
  }

  /**
   * Decodes the public keys of PEM text.
   *
   * @param pem the text
   * @param what where it came from, for messages
   * @return the keys, at least one
   * @throws KeyFileException when there is no usable {@value #PUBLIC_KEY} block
   */
  public static List<PublicKey> decodePublicKeys(byte[] pem, String what) throws KeyFileException {
    String action = "reading public key " + what;
    List<PublicKey> out = new ArrayList<>();
    List<Pem.Block> blocks;
    try {
      blocks = Pem.decode(pem);
    } catch (IllegalArgumentException e) {
      throw new KeyFileException(action + ": " + e.getMessage(), e);
    }
    for (Pem.Block b : blocks) {
      if (!b.type().equals(PUBLIC_KEY)) {
        continue;
      }
      out.add(pkix(b.bytes(), action));
    }
    if (out.isEmpty()) {
      throw new KeyFileException(action + ": no '" + PUBLIC_KEY + "' PEM block");
    }
    return List.copyOf(out);
  }

  private static PublicKey pkix(byte[] der, String action) throws KeyFileException {
    for (String alg : KEY_ALGORITHMS) {
      try {
        return KeyFactory.getInstance(alg).generatePublic(new X509EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // try the next type
      }
    }
    throw new KeyFileException(action + ": not an EC, RSA or Ed25519 public key");
  }

  /**
   * The JCA signature algorithm cosign uses with a key: SHA-256 with ECDSA (DER) or RSA
   * (PKCS#1 v1.5), or pure Ed25519.
   *
   * @param key a public or private key
   * @return e.g. {@code SHA256withECDSA}
   */
  public static String signatureAlgorithm(Key key) {
    switch (key.getAlgorithm()) {
      case "EC":
        return "SHA256withECDSA";
      case "RSA":
        return "SHA256withRSA";
      case "Ed25519":
      case "EdDSA":
        return "Ed25519";
      default:
        throw new IllegalArgumentException("unsupported key algorithm " + key.getAlgorithm());
    }
  }
}
