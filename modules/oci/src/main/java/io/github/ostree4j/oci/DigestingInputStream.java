package io.github.ostree4j.oci;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Counts and hashes the bytes read through it. Skipped bytes are read and hashed too; mark/reset
 * is not supported. Not thread-safe.
 *
 * <pre>{@code
 * try (DigestingInputStream in = new DigestingInputStream(raw)) {
 *   in.transferTo(out);
 *   BlobInfo info = in.result();
 * }
 * }</pre>
 */
public class DigestingInputStream extends FilterInputStream {

  private final MessageDigest md;
  private long count;
  private Digest digest;

  /** Hashes with SHA-256. */
  public DigestingInputStream(InputStream in) {
    this(in, Digest.newSha256());
  }

  /** Hashes with the given (fresh) digester, e.g. {@link Digest#newDigester()} of an expected digest. */
  public DigestingInputStream(InputStream in, MessageDigest md) {
    super(in);
    this.md = md;
  }

  @Override
  public int read() throws IOException {
    int b = in.read();
    if (b >= 0) {
      update(b);
    } else {
      onEof();
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n > 0) {
      update(b, off, n);
    } else if (n < 0) {
      onEof();
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    byte[] buf = new byte[(int) Math.min(n, 8192)];
    long left = n;
    while (left > 0) {
      int r = read(buf, 0, (int) Math.min(left, buf.length));
      if (r < 0) {
        break;
      }
      left -= r;
    }
    return n - left;
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

  /** Called once per byte run before it is returned; subclasses may check limits. */
  protected void update(byte[] b, int off, int n) throws IOException {
    if (digest != null) {
      throw new IllegalStateException("stream read after its digest was taken");
    }
    md.update(b, off, n);
    count += n;
  }

  private void update(int b) throws IOException {
    update(new byte[] {(byte) b}, 0, 1);
  }

  /** Called whenever the underlying stream reports end of stream. */
  protected void onEof() throws IOException {}

  /** The number of bytes read so far. */
  public long size() {
    return count;
  }

  /**
   * The digest of the bytes read so far. Taking it finishes the hash: reading more afterwards is an
   * error. Read to the end first to hash the whole stream.
   */
  public Digest digest() {
    if (digest == null) {
      digest = Digest.of(md);
    }
    return digest;
  }

  /** Digest and size of the bytes read so far (see {@link #digest()}). */
  public BlobInfo result() {
    return new BlobInfo(digest(), count);
  }
}
