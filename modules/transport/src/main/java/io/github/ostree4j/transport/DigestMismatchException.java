package io.github.ostree4j.transport;

import io.github.ostree4j.oci.Digest;
import java.io.IOException;

/**
 * Content did not have the digest or size it was announced with: a blob or manifest from a
 * registry, or a blob stream handed in for upload.
 */
public class DigestMismatchException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Digest expected;
  private final transient Digest actual;

  /**
   * Creates the exception.
   *
   * @param what what was being done, e.g. {@code "fetching blob sha256:… from HOST/REPO"}
   * @param expected the announced digest
   * @param actual the digest of the bytes seen
   */
  public DigestMismatchException(String what, Digest expected, Digest actual) {
    super(what + ": content has digest " + actual + ", expected " + expected);
    this.expected = expected;
    this.actual = actual;
  }

  /**
   * Creates the exception for a size mismatch.
   *
   * @param what what was being done
   * @param expected the announced digest
   * @param expectedSize the announced size
   * @param actualSize the number of bytes seen
   */
  public DigestMismatchException(String what, Digest expected, long expectedSize, long actualSize) {
    super(what + ": content has " + actualSize + " bytes, expected " + expectedSize);
    this.expected = expected;
    this.actual = null;
  }

  /**
   * The announced digest.
   *
   * @return the digest the content should have had
   */
  public Digest expected() {
    return expected;
  }

  /**
   * The digest of the bytes seen, when the failure was a digest (not a size) mismatch.
   *
   * @return the actual digest, or null for a size mismatch
   */
  public Digest actual() {
    return actual;
  }
}
