package io.github.ostree4j.oci;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/** A content digest {@code algorithm:hex}, as OCI descriptors carry it. sha256 and sha512 are supported. */
public final class Digest implements Comparable<Digest> {

  private static final Pattern SHA256 = Pattern.compile("[a-f0-9]{64}");
  private static final Pattern SHA512 = Pattern.compile("[a-f0-9]{128}");

  private final String algorithm;
  private final String hex;

  private Digest(String algorithm, String hex) {
    this.algorithm = algorithm;
    this.hex = hex;
  }

  /**
   * Parses {@code sha256:<64 hex>} or {@code sha512:<128 hex>}.
   *
   * @throws OciFormatException if the text is not such a digest
   */
  public static Digest parse(String s) throws OciFormatException {
    if (s == null) {
      throw new OciFormatException("missing digest");
    }
    int colon = s.indexOf(':');
    if (colon > 0) {
      String alg = s.substring(0, colon);
      String hex = s.substring(colon + 1);
      if (alg.equals("sha256") && SHA256.matcher(hex).matches()) {
        return new Digest(alg, hex);
      }
      if (alg.equals("sha512") && SHA512.matcher(hex).matches()) {
        return new Digest(alg, hex);
      }
    }
    throw new OciFormatException("invalid digest '" + s + "' (expected sha256:<64 lowercase hex digits>)");
  }

  /** Whether {@code s} parses as a digest. */
  public static boolean isValid(String s) {
    try {
      parse(s);
      return true;
    } catch (OciFormatException e) {
      return false;
    }
  }

  /** The sha256 digest of {@code hex} (64 lowercase hex digits). */
  public static Digest sha256Hex(String hex) {
    if (!SHA256.matcher(hex).matches()) {
      throw new IllegalArgumentException("not a sha256 hex digest: " + hex);
    }
    return new Digest("sha256", hex);
  }

  /** The sha256 digest of some bytes. */
  public static Digest sha256(byte[] data) {
    return new Digest("sha256", HexFormat.of().formatHex(newSha256().digest(data)));
  }

  /** The sha256 digest from a finished {@link MessageDigest}. */
  public static Digest of(MessageDigest md) {
    String alg = md.getAlgorithm().replace("-", "").toLowerCase(java.util.Locale.ROOT);
    return new Digest(alg, HexFormat.of().formatHex(md.digest()));
  }

  /** A new SHA-256 digester. */
  public static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A new digester for this digest's algorithm. */
  public MessageDigest newDigester() {
    try {
      return MessageDigest.getInstance(algorithm.equals("sha512") ? "SHA-512" : "SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code sha256} or {@code sha512}. */
  public String algorithm() {
    return algorithm;
  }

  /** The lowercase hex value. */
  public String hex() {
    return hex;
  }

  /** Short form for messages: algorithm and the first 12 hex digits. */
  public String shortForm() {
    return algorithm + ":" + hex.substring(0, 12);
  }

  @Override
  public int compareTo(Digest o) {
    return toString().compareTo(o.toString());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Digest && ((Digest) o).algorithm.equals(algorithm) && ((Digest) o).hex.equals(hex);
  }

  @Override
  public int hashCode() {
    return Objects.hash(algorithm, hex);
  }

  @Override
  public String toString() {
    return algorithm + ":" + hex;
  }
}
