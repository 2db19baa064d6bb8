package io.github.ostree4j.transport;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * An independent NaCl crypto_secretbox (XSalsa20 + Poly1305) written from the Salsa20 and
 * Poly1305 specifications, used by the tests to build cosign key files without our own code.
 */
final class TestSecretBox {

  private static final int[] SIGMA = {0x61707865, 0x3320646e, 0x79622d32, 0x6b206574};

  private TestSecretBox() {}

  static byte[] seal(byte[] key, byte[] nonce, byte[] message) {
    byte[] stream = xsalsa20(key, nonce, 32 + message.length);
    byte[] c = new byte[message.length];
    for (int i = 0; i < c.length; i++) {
      c[i] = (byte) (message[i] ^ stream[32 + i]);
    }
    byte[] tag = poly1305(Arrays.copyOf(stream, 32), c);
    byte[] out = new byte[16 + c.length];
    System.arraycopy(tag, 0, out, 0, 16);
    System.arraycopy(c, 0, out, 16, c.length);
    return out;
  }

  private static byte[] xsalsa20(byte[] key, byte[] nonce, int length) {
    int[] x = state(key, Arrays.copyOfRange(nonce, 0, 16));
    rounds(x);
    byte[] subkey = new byte[32];
    int[] pick = {0, 5, 10, 15, 6, 7, 8, 9};
    for (int i = 0; i < 8; i++) {
      le(x[pick[i]], subkey, 4 * i);
    }
    byte[] out = new byte[length];
    byte[] n8 = Arrays.copyOfRange(nonce, 16, 24);
    for (long block = 0; block * 64 < length; block++) {
      byte[] in16 = new byte[16];
      System.arraycopy(n8, 0, in16, 0, 8);
      for (int i = 0; i < 8; i++) {
        in16[8 + i] = (byte) (block >>> (8 * i));
      }
      int[] s = state(subkey, in16);
      int[] w = s.clone();
      rounds(w);
      for (int i = 0; i < 16; i++) {
        byte[] b = new byte[4];
        le(w[i] + s[i], b, 0);
        for (int j = 0; j < 4; j++) {
          int pos = (int) (block * 64) + 4 * i + j;
          if (pos < length) {
            out[pos] = b[j];
          }
        }
      }
    }
    return out;
  }

  private static int[] state(byte[] k, byte[] in16) {
    return new int[] {SIGMA[0], word(k, 0), word(k, 4), word(k, 8), word(k, 12), SIGMA[1],
        word(in16, 0), word(in16, 4), word(in16, 8), word(in16, 12), SIGMA[2], word(k, 16),
        word(k, 20), word(k, 24), word(k, 28), SIGMA[3]};
  }

  private static void rounds(int[] x) {
    for (int i = 0; i < 10; i++) {
      qr(x, 0, 4, 8, 12);
      qr(x, 5, 9, 13, 1);
      qr(x, 10, 14, 2, 6);
      qr(x, 15, 3, 7, 11);
      qr(x, 0, 1, 2, 3);
      qr(x, 5, 6, 7, 4);
      qr(x, 10, 11, 8, 9);
      qr(x, 15, 12, 13, 14);
    }
  }

  private static void qr(int[] x, int a, int b, int c, int d) {
    x[b] ^= Integer.rotateLeft(x[a] + x[d], 7);
    x[c] ^= Integer.rotateLeft(x[b] + x[a], 9);
    x[d] ^= Integer.rotateLeft(x[c] + x[b], 13);
    x[a] ^= Integer.rotateLeft(x[d] + x[c], 18);
  }

  private static byte[] poly1305(byte[] key, byte[] msg) {
    BigInteger p = BigInteger.ONE.shiftLeft(130).subtract(BigInteger.valueOf(5));
    BigInteger r = leNumber(Arrays.copyOfRange(key, 0, 16))
        .and(new BigInteger("0ffffffc0ffffffc0ffffffc0fffffff", 16));
    BigInteger s = leNumber(Arrays.copyOfRange(key, 16, 32));
    BigInteger acc = BigInteger.ZERO;
    for (int i = 0; i < msg.length; i += 16) {
      byte[] chunk = Arrays.copyOfRange(msg, i, Math.min(msg.length, i + 16));
      byte[] withOne = Arrays.copyOf(chunk, chunk.length + 1);
      withOne[chunk.length] = 1;
      acc = acc.add(leNumber(withOne)).multiply(r).mod(p);
    }
    BigInteger t = acc.add(s).mod(BigInteger.ONE.shiftLeft(128));
    byte[] out = new byte[16];
    byte[] be = t.toByteArray();
    for (int i = 0; i < 16 && i < be.length; i++) {
      out[i] = be[be.length - 1 - i];
    }
    return out;
  }

  private static BigInteger leNumber(byte[] b) {
    byte[] be = new byte[b.length + 1];
    for (int i = 0; i < b.length; i++) {
      be[b.length - i] = b[i];
    }
    return new BigInteger(be);
  }

  private static int word(byte[] b, int off) {
    return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16
        | (b[off + 3] & 0xff) << 24;
  }

  private static void le(int v, byte[] out, int off) {
    out[off] = (byte) v;
    out[off + 1] = (byte) (v >>> 8);
    out[off + 2] = (byte) (v >>> 16);
    out[off + 3] = (byte) (v >>> 24);
  }
}
