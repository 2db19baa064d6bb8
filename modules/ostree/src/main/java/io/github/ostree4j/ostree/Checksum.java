package io.github.ostree4j.ostree;

import java.util.Arrays;

/** A SHA-256 object checksum: the name of an ostree object. Immutable value type. */
public final class Checksum implements Comparable<Checksum> {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final byte[] bytes;
  private final int hash;

  private Checksum(byte[] bytes) {
    this.bytes = bytes;
    this.hash = Arrays.hashCode(bytes);
  }

  /** From the 32 raw bytes of a digest. */
  public static Checksum fromBytes(byte[] bytes) {
    if (bytes.length != 32) {
      throw new IllegalArgumentException("checksum must be 32 bytes, got " + bytes.length);
    }
    return new Checksum(bytes.clone());
  }

  /** From 32 raw bytes at an offset of a larger array. */
  public static Checksum fromBytes(byte[] data, int offset) {
    return new Checksum(Arrays.copyOfRange(data, offset, offset + 32));
  }

  /**
   * Parses 64 lowercase hexadecimal characters, as ostree writes them.
   *
   * @throws IllegalArgumentException if the text is not a valid checksum
   */
  public static Checksum parse(String hex) {
    if (!isValid(hex)) {
      throw new IllegalArgumentException("invalid checksum '" + hex + "': expected 64 lowercase hex digits");
    }
    byte[] b = new byte[32];
    for (int i = 0; i < 32; i++) {
      b[i] = (byte) ((Character.digit(hex.charAt(2 * i), 16) << 4) | Character.digit(hex.charAt(2 * i + 1), 16));
    }
    return new Checksum(b);
  }

  /** Whether {@code s} is 64 lowercase hexadecimal characters. */
  public static boolean isValid(String s) {
    if (s == null || s.length() != 64) {
      return false;
    }
    for (int i = 0; i < 64; i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  /** A copy of the 32 raw bytes. */
  public byte[] toBytes() {
    return bytes.clone();
  }

  /** The lowercase hexadecimal form. */
  public String hex() {
    char[] c = new char[64];
    for (int i = 0; i < 32; i++) {
      c[2 * i] = HEX[(bytes[i] >> 4) & 0xF];
      c[2 * i + 1] = HEX[bytes[i] & 0xF];
    }
    return new String(c);
  }

  @Override
  public int compareTo(Checksum o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Checksum && Arrays.equals(bytes, ((Checksum) o).bytes);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return hex();
  }
}
