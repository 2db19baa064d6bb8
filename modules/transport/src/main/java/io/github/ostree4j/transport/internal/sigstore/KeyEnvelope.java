package io.github.ostree4j.transport.internal.sigstore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ostree4j.oci.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.crypto.generators.SCrypt;

/**
 * The password envelope cosign wraps private keys in (go-securesystemslib's {@code encrypted}
 * package): a JSON document naming an scrypt key derivation and a NaCl secretbox, with the salt,
 * the nonce and the sealed bytes in base64.
 *
 * <pre>{@code
 * {"kdf":{"name":"scrypt","params":{"N":32768,"r":8,"p":1},"salt":"…"},
 *  "cipher":{"name":"nacl/secretbox","nonce":"…"},"ciphertext":"…"}
 * }</pre>
 *
 * <p>Only the three scrypt parameter sets that library writes are accepted (N = 2^15, 2^16 or
 * 2^17 with r = 8, p = 1), which also bounds the memory a hostile file can make us allocate.
 */
public final class KeyEnvelope {

  /** The scrypt N cosign uses when writing ({@code Legacy} in go-securesystemslib). */
  public static final int COSIGN_N = 32768;

  private static final List<Integer> SUPPORTED_N = List.of(32768, 65536, 131072);
  private static final int SALT_SIZE = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

  private KeyEnvelope() {}

  /**
   * Encrypts with a fresh salt and nonce, scrypt N = 32768, r = 8, p = 1.
   *
   * @param plaintext the bytes to protect
   * @param password the password (UTF-8 encoded for the KDF); may be empty
   * @return the JSON envelope
   */
  public static byte[] encrypt(byte[] plaintext, char[] password) {
    byte[] salt = new byte[SALT_SIZE];
    byte[] nonce = new byte[SecretBox.NONCE_SIZE];
    RANDOM.nextBytes(salt);
    RANDOM.nextBytes(nonce);
    return encrypt(plaintext, password, salt, nonce);
  }

  /**
   * Encrypts with a given salt and nonce (for reproducible tests).
   *
   * @param plaintext the bytes to protect
   * @param password the password
   * @param salt the scrypt salt
   * @param nonce the 24-byte secretbox nonce
   * @return the JSON envelope
   */
  public static byte[] encrypt(byte[] plaintext, char[] password, byte[] salt, byte[] nonce) {
    byte[] key = derive(password, salt, COSIGN_N, 8, 1);
    byte[] box = SecretBox.seal(key, nonce, plaintext);
    Arrays.fill(key, (byte) 0);
    ObjectNode root = Json.object();
    ObjectNode kdf = root.putObject("kdf");
    kdf.put("name", "scrypt");
    ObjectNode params = kdf.putObject("params");
    params.put("N", COSIGN_N);
    params.put("r", 8);
    params.put("p", 1);
    kdf.put("salt", Base64.getEncoder().encodeToString(salt));
    ObjectNode cipher = root.putObject("cipher");
    cipher.put("name", "nacl/secretbox");
    cipher.put("nonce", Base64.getEncoder().encodeToString(nonce));
    root.put("ciphertext", Base64.getEncoder().encodeToString(box));
    return Json.toBytes(root);
  }

  /**
   * Decrypts an envelope.
   *
   * @param envelope the JSON document
   * @param password the password
   * @return the protected bytes
   * @throws IOException when the document is malformed or names unsupported parameters
   * @throws GeneralSecurityException when the password is wrong or the envelope was altered
   */
  public static byte[] decrypt(byte[] envelope, char[] password)
      throws IOException, GeneralSecurityException {
    ObjectNode root = Json.parseObject(envelope, "the encrypted key");
    JsonNode kdf = root.path("kdf");
    JsonNode cipher = root.path("cipher");
    if (!"scrypt".equals(kdf.path("name").asText())) {
      throw new IOException("unsupported key derivation '" + kdf.path("name").asText()
          + "' (expected scrypt)");
    }
    if (!"nacl/secretbox".equals(cipher.path("name").asText())) {
      throw new IOException("unsupported cipher '" + cipher.path("name").asText()
          + "' (expected nacl/secretbox)");
    }
    JsonNode params = kdf.path("params");
    int n = params.path("N").asInt(-1);
    int r = params.path("r").asInt(-1);
    int p = params.path("p").asInt(-1);
    if (!SUPPORTED_N.contains(n) || r != 8 || p != 1) {
      throw new IOException("unsupported scrypt parameters N=" + n + " r=" + r + " p=" + p
          + " (supported: N=32768, 65536 or 131072 with r=8, p=1)");
    }
    byte[] salt = base64(kdf.path("salt"), "kdf.salt");
    byte[] nonce = base64(cipher.path("nonce"), "cipher.nonce");
    byte[] box = base64(root.path("ciphertext"), "ciphertext");
    if (nonce.length != SecretBox.NONCE_SIZE) {
      throw new IOException("cipher.nonce is " + nonce.length + " bytes, expected "
          + SecretBox.NONCE_SIZE);
    }
    byte[] key = derive(password, salt, n, r, p);
    try {
      return SecretBox.open(key, nonce, box);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  private static byte[] base64(JsonNode n, String field) throws IOException {
    if (!n.isTextual()) {
      throw new IOException("field " + field + " is missing or not a string");
    }
    try {
      return Base64.getDecoder().decode(n.asText());
    } catch (IllegalArgumentException e) {
      throw new IOException("field " + field + " is not valid base64");
    }
  }

  private static byte[] derive(char[] password, byte[] salt, int n, int r, int p) {
    ByteBuffer bb = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
    byte[] pw = new byte[bb.remaining()];
    bb.get(pw);
    try {
      return SCrypt.generate(pw, salt, n, r, p, SecretBox.KEY_SIZE);
    } finally {
      Arrays.fill(pw, (byte) 0);
      if (bb.hasArray()) {
        Arrays.fill(bb.array(), (byte) 0);
      }
    }
  }
}
