package io.github.ostree4j.container.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Completes a layer tar that stops without its end-of-archive records: after the last byte of the
 * underlying stream it supplies zeros up to the next 512-byte record boundary and then the two
 * zero records that end an archive.
 *
 * <p>Some image tools write layers that way (umoci 0.4 {@code insert} leaves out the padding of the
 * last file and the end records); container runtimes and ostree-ext's tar reader accept them, GNU
 * tar and commons-compress do not. This is only applied to layer blobs whose digest and diff ID
 * are verified: their bytes are exactly what the image's author wrote, so a stream cut short in
 * transit cannot reach the tar reader, and completing it cannot hide a transport error.
 */
public final class EndOfArchiveInputStream extends FilterInputStream {

  private long count;
  private long synthetic = -1; // zeros still to supply once the underlying stream has ended

  /**
   * Wraps a tar stream.
   *
   * @param in the tar stream
   */
  public EndOfArchiveInputStream(InputStream in) {
    super(in);
  }

  @Override
  public int read() throws IOException {
    byte[] b = new byte[1];
    int n = read(b, 0, 1);
    return n < 0 ? -1 : b[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (synthetic < 0) {
      int n = in.read(b, off, len);
      if (n >= 0) {
        count += n;
        return n;
      }
      synthetic = (512 - count % 512) % 512 + 1024;
    }
    if (synthetic == 0) {
      return -1;
    }
    int n = (int) Math.min(len, synthetic);
    java.util.Arrays.fill(b, off, off + n, (byte) 0);
    synthetic -= n;
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    byte[] buf = new byte[(int) Math.min(8192, Math.max(1, n))];
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
  public int available() throws IOException {
    return synthetic < 0 ? in.available() : (int) Math.min(Integer.MAX_VALUE, synthetic);
  }

  @Override
  public boolean markSupported() {
    return false;
  }
}
