package io.github.ostree4j.oci;

import java.io.IOException;
import java.io.InputStream;

/**
 * Passes a blob's bytes through and checks them against the blob's descriptor: a stream longer
 * than the expected size fails as soon as the extra byte arrives, and at end of stream the size and
 * the digest must match, otherwise {@link BlobVerificationException} is thrown instead of the end
 * of stream. Nothing read from a blob should be trusted until the end has been reached.
 *
 * <p>Verification happens only when the end is reached: a consumer that stops early (a tar reader
 * that does not read the trailing padding) must call {@link #verify()}, which reads the rest and
 * checks. {@link #close()} does not verify. Not thread-safe.
 */
public final class VerifyingInputStream extends DigestingInputStream {

  private final Digest expected;
  private final long expectedSize;
  private BlobVerificationException failure;
  private boolean verified;

  /**
   * Verifies against a digest and, unless {@code expectedSize} is negative, a size.
   *
   * @param in the raw blob content
   * @param expected the digest the content must have
   * @param expectedSize the size in bytes, or -1 if unknown
   */
  public VerifyingInputStream(InputStream in, Digest expected, long expectedSize) {
    super(in, expected.newDigester());
    this.expected = expected;
    this.expectedSize = expectedSize;
  }

  /** Verifies against the digest and size of a descriptor. */
  public VerifyingInputStream(InputStream in, Descriptor descriptor) {
    this(in, descriptor.digest(), descriptor.size());
  }

  @Override
  public int read() throws IOException {
    checkFailed();
    return super.read();
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    checkFailed();
    return super.read(b, off, len);
  }

  @Override
  protected void update(byte[] b, int off, int n) throws IOException {
    super.update(b, off, n);
    if (expectedSize >= 0 && size() > expectedSize) {
      throw fail(BlobVerificationException.sizeMismatch(expected, expectedSize, size(), true));
    }
  }

  @Override
  protected void onEof() throws IOException {
    if (verified) {
      return;
    }
    if (expectedSize >= 0 && size() != expectedSize) {
      throw fail(BlobVerificationException.sizeMismatch(expected, expectedSize, size(), false));
    }
    Digest actual = digest();
    if (!actual.equals(expected)) {
      throw fail(BlobVerificationException.digestMismatch(expected, actual, size()));
    }
    verified = true;
  }

  /**
   * Reads whatever is left and checks size and digest.
   *
   * @throws BlobVerificationException if they do not match
   */
  public void verify() throws IOException {
    byte[] buf = new byte[8192];
    while (read(buf, 0, buf.length) >= 0) {
      // drain
    }
  }

  /** Whether the end was reached and the content matched. */
  public boolean isVerified() {
    return verified;
  }

  /** The expected digest. */
  public Digest expectedDigest() {
    return expected;
  }

  /** The expected size, or -1 if unknown. */
  public long expectedSize() {
    return expectedSize;
  }

  private void checkFailed() throws BlobVerificationException {
    if (failure != null) {
      throw failure;
    }
  }

  private BlobVerificationException fail(BlobVerificationException e) {
    failure = e;
    return e;
  }
}
