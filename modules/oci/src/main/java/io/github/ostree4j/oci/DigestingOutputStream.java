package io.github.ostree4j.oci;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;

/**
 * Counts and hashes the bytes written through it, then passes them on. Closing it closes the
 * underlying stream. Not thread-safe.
 */
public class DigestingOutputStream extends FilterOutputStream {

  private final MessageDigest md;
  private long count;
  private Digest digest;

  /** Hashes with SHA-256. */
  public DigestingOutputStream(OutputStream out) {
    this(out, Digest.newSha256());
  }

  /** Hashes with the given (fresh) digester. */
  public DigestingOutputStream(OutputStream out, MessageDigest md) {
    super(out);
    this.md = md;
  }

  @Override
  public void write(int b) throws IOException {
    check();
    out.write(b);
    md.update((byte) b);
    count++;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    check();
    out.write(b, off, len);
    md.update(b, off, len);
    count += len;
  }

  private void check() {
    if (digest != null) {
      throw new IllegalStateException("stream written after its digest was taken");
    }
  }

  /** The number of bytes written so far. */
  public long size() {
    return count;
  }

  /** The digest of the bytes written so far; taking it finishes the hash (writing more is an error). */
  public Digest digest() {
    if (digest == null) {
      digest = Digest.of(md);
    }
    return digest;
  }

  /** Digest and size of the bytes written so far (see {@link #digest()}). */
  public BlobInfo result() {
    return new BlobInfo(digest(), count);
  }
}
