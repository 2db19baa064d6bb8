package io.github.ostree4j.transport.internal.sigstore;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import org.bouncycastle.crypto.engines.XSalsa20Engine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * NaCl's {@code crypto_secretbox}: XSalsa20 encryption with a Poly1305 tag keyed by the first 32
 * bytes of the key stream. A sealed box is the 16-byte tag followed by the ciphertext, as
 * golang.org/x/crypto/nacl/secretbox writes it.
 */
public final class SecretBox {

  /** Key length in bytes. */
  public static final int KEY_SIZE = 32;
  /** Nonce length in bytes. */
  public static final int NONCE_SIZE = 24;
  /** Tag length in bytes. */
  public static final int OVERHEAD = 16;

  private SecretBox() {}

  /**
   * Encrypts and authenticates.
   *
   * @param key 32 bytes
   * @param nonce 24 bytes, never reused with the same key
   * @param plaintext the message
   * @return tag followed by ciphertext
   */
  public static byte[] seal(byte[] key, byte[] nonce, byte[] plaintext) {
    XSalsa20Engine stream = stream(key, nonce);
    byte[] macKey = new byte[32];
    stream.processBytes(new byte[32], 0, 32, macKey, 0);
    byte[] out = new byte[OVERHEAD + plaintext.length];
    stream.processBytes(plaintext, 0, plaintext.length, out, OVERHEAD);
    byte[] tag = tag(macKey, out, OVERHEAD, plaintext.length);
    System.arraycopy(tag, 0, out, 0, OVERHEAD);
    Arrays.fill(macKey, (byte) 0);
    return out;
  }

  /**
   * Checks the tag and decrypts.
   *
   * @param key 32 bytes
   * @param nonce 24 bytes
   * @param box tag followed by ciphertext
   * @return the message
   * @throws GeneralSecurityException when the box is too short or the tag does not match (wrong
   *     key or altered box)
   */
  public static byte[] open(byte[] key, byte[] nonce, byte[] box) throws GeneralSecurityException {
    if (box.length < OVERHEAD) {
      throw new GeneralSecurityException("sealed box is shorter than its tag");
    }
    XSalsa20Engine stream = stream(key, nonce);
    byte[] macKey = new byte[32];
    stream.processBytes(new byte[32], 0, 32, macKey, 0);
    byte[] expected = tag(macKey, box, OVERHEAD, box.length - OVERHEAD);
    Arrays.fill(macKey, (byte) 0);
    if (!MessageDigest.isEqual(expected, Arrays.copyOf(box, OVERHEAD))) {
      throw new GeneralSecurityException("authentication failed");
    }
    byte[] out = new byte[box.length - OVERHEAD];
    stream.processBytes(box, OVERHEAD, out.length, out, 0);
    return out;
  }

  private static XSalsa20Engine stream(byte[] key, byte[] nonce) {
    if (key.length != KEY_SIZE || nonce.length != NONCE_SIZE) {
      throw new IllegalArgumentException("secretbox needs a 32-byte key and a 24-byte nonce");
    }
    XSalsa20Engine e = new XSalsa20Engine();
    e.init(true, new ParametersWithIV(new KeyParameter(key), nonce));
    return e;
  }

  private static byte[] tag(byte[] macKey, byte[] data, int off, int len) {
    Poly1305 mac = new Poly1305();
    mac.init(new KeyParameter(macKey));
    mac.update(data, off, len);
    byte[] t = new byte[OVERHEAD];
    mac.doFinal(t, 0);
    return t;
  }
}
