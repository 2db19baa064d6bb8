package io.github.ostree4j.transport.internal;

import io.github.ostree4j.oci.Digest;
import io.github.ostree4j.transport.DigestMismatchException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Passes a stream through while hashing it; at end of stream checks the digest and, when known,
 * the size, and throws {@link DigestMismatchException} instead of reporting the end. Reading past
 * the expected size fails at once. {@link #close()} runs an extra action (closing the HTTP
 * response).
 */
public final class VerifyingInputStream extends FilterInputStream {

  private final Digest expected;
  private final long expectedSize;
  private final String what;
  private final MessageDigest md;
  private final Closer onClose;
  private long count;
  private boolean verified;
  private boolean closed;

  /** An action run once on close. */
  @FunctionalInterface
  public interface Closer {
    /**
     * Runs the action.
     *
     * @throws IOException when it fails
     */
    void close() throws IOException;
  }

  /**
   * Wraps a stream.
   *
   * @param in the stream
   * @param expected the digest the content must have
   * @param expectedSize the size the content must have, or -1 when unknown
   * @param what what is being read, for messages
   * @param onClose run once when this stream is closed, or null
   */
  public VerifyingInputStream(InputStream in, Digest expected, long expectedSize, String what,
      Closer onClose) {
    super(in);
    this.expected = expected;
    this.expectedSize = expectedSize;
    this.what = what;
    this.md = expected.newDigester();
    this.onClose = onClose;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (verified) {
      return -1;
    }
    int n = super.read(b, off, len);
    if (n < 0) {
      verify();
      return -1;
    }
    md.update(b, off, n);
    count += n;
    if (expectedSize >= 0 && count > expectedSize) {
      throw new DigestMismatchException(what, expected, expectedSize, count);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    byte[] buf = new byte[8192];
    long done = 0;
    while (done < n) {
      int r = read(buf, 0, (int) Math.min(buf.length, n - done));
      if (r < 0) {
        break;
      }
      done += r;
    }
    return done;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  @Override
  public synchronized void mark(int readlimit) {
    // not supported
  }

  @Override
  public synchronized void reset() throws IOException {
    throw new IOException("mark/reset not supported");
  }

  private void verify() throws IOException {
    if (expectedSize >= 0 && count != expectedSize) {
      throw new DigestMismatchException(what, expected, expectedSize, count);
    }
    Digest actual = Digest.of(md);
    if (!actual.equals(expected)) {
      throw new DigestMismatchException(what, expected, actual);
    }
    verified = true;
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      super.close();
    } finally {
      if (onClose != null) {
        onClose.close();
      }
    }
  }
}
