package io.github.ostree4j.transport;

import io.github.ostree4j.oci.BlobVerificationException;
import io.github.ostree4j.oci.Digest;

/**
 * A registry sent a manifest that does not match the digest it was asked for, or a stream handed
 * in for a blob upload did not match its announced digest or size. (Blob downloads fail with the
 * {@link BlobVerificationException} itself, from the {@code oci} module's verifying stream.) The
 * detail is an {@link BlobVerificationException} from the {@code oci} module, kept as the cause;
 * the message is one line: "what was being done: digest mismatch, got sha256:…" or "…: size
 * mismatch: expected N bytes, got M".
 */
public class DigestMismatchException extends RegistryException {
  private static final long serialVersionUID = 1L;

  /**
   * Wraps a verification failure.
   *
   * @param what what was being done, e.g. {@code "fetching blob sha256:… from HOST/REPO"}
   * @param cause the failure of the content check
   */
  public DigestMismatchException(String what, BlobVerificationException cause) {
    super(what + ": " + detail(cause), cause);
  }

  /**
   * Reports content whose digest differs from the expected one.
   *
   * @param what what was being done
   * @param expected the announced digest
   * @param actual the digest of the bytes seen
   * @param size the number of bytes seen
   */
  public DigestMismatchException(String what, Digest expected, Digest actual, long size) {
    this(what, BlobVerificationException.digestMismatch(expected, actual, size));
  }

  private static String detail(BlobVerificationException e) {
    String m = e.getMessage();
    String prefix = "blob " + e.expectedDigest() + ": ";
    return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
  }

  /**
   * The verification failure.
   *
   * @return the cause, with the expected and actual digests and sizes
   */
  public BlobVerificationException verification() {
    return (BlobVerificationException) getCause();
  }

  /**
   * The announced digest.
   *
   * @return the digest the content should have had
   */
  public Digest expected() {
    return verification().expectedDigest();
  }

  /**
   * The digest of the bytes seen, when the failure was a digest (not a size) mismatch.
   *
   * @return the actual digest, or null for a size mismatch
   */
  public Digest actual() {
    return verification().actualDigest();
  }
}
