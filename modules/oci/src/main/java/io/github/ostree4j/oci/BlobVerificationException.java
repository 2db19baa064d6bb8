package io.github.ostree4j.oci;

import java.io.IOException;

/**
 * Content read for a blob does not match its descriptor: the digest or the size differs. Thrown
 * by {@link VerifyingInputStream} when the stream ends (or as soon as it is longer than expected).
 */
public class BlobVerificationException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Digest expected;
  private final transient Digest actual;
  /** The size the blob should have, or -1 if unknown. */
  private final long expectedSize;
  /** The number of bytes read. */
  private final long actualSize;

  private BlobVerificationException(String message, Digest expected, Digest actual, long expectedSize,
      long actualSize) {
    super(message);
    this.expected = expected;
    this.actual = actual;
    this.expectedSize = expectedSize;
    this.actualSize = actualSize;
  }

  /**
   * The content hashed to another digest: "blob sha256:…: digest mismatch, got sha256:…".
   *
   * @param expected the digest the blob should have
   * @param actual the digest of what was read
   * @param size the number of bytes read
   */
  public static BlobVerificationException digestMismatch(Digest expected, Digest actual, long size) {
    return new BlobVerificationException("blob " + expected + ": digest mismatch, got " + actual,
        expected, actual, size, size);
  }

  /**
   * The content has another length: "blob sha256:…: size mismatch: expected N bytes, got M".
   *
   * @param expected the digest of the blob
   * @param expectedSize the size the blob should have
   * @param actualSize the number of bytes read
   * @param atLeast whether reading stopped early, so that the blob has at least {@code actualSize} bytes
   */
  public static BlobVerificationException sizeMismatch(Digest expected, long expectedSize, long actualSize,
      boolean atLeast) {
    return new BlobVerificationException("blob " + expected + ": size mismatch: expected " + expectedSize
        + " bytes, got " + (atLeast ? "at least " : "") + actualSize, expected, null, expectedSize, actualSize);
  }

  /** The digest the blob should have. */
  public Digest expectedDigest() {
    return expected;
  }

  /** The digest of what was read, or null when the size was wrong (the digest is then not computed). */
  public Digest actualDigest() {
    return actual;
  }

  /** The size the blob should have, or -1 if unknown. */
  public long expectedSize() {
    return expectedSize;
  }

  /** The number of bytes read (a lower bound when reading stopped early). */
  public long actualSize() {
    return actualSize;
  }
}
