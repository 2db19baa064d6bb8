package io.github.ostree4j.oci.internal;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A single-member gzip writer whose output depends only on the input and the level: the header has
 * no file name, mtime 0 and OS "unknown" ({@code 1f8b 0800 00000000 00 ff}, like Java's
 * {@code GZIPOutputStream} and Go's {@code compress/gzip}). Each instance owns its deflater and
 * shares nothing, so many layers can be compressed in parallel on different threads; one instance
 * is not thread-safe.
 */
public final class ReproducibleGzipOutputStream extends FilterOutputStream {

  private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

  private final Deflater deflater;
  private final CRC32 crc = new CRC32();
  private final byte[] buf = new byte[1 << 16];
  private boolean finished;
  private boolean closed;

  /** Starts a gzip member at the given deflate level (0-9). */
  public ReproducibleGzipOutputStream(OutputStream out, int level) throws IOException {
    super(out);
    if (level < 0 || level > 9) {
      throw new IllegalArgumentException("gzip level must be 0-9, got " + level);
    }
    this.deflater = new Deflater(level, true);
    out.write(HEADER);
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (finished) {
      throw new IOException("gzip stream already finished");
    }
    if (len == 0) {
      return;
    }
    crc.update(b, off, len);
    deflater.setInput(b, off, len);
    while (!deflater.needsInput()) {
      drain(Deflater.NO_FLUSH);
    }
  }

  private void drain(int flush) throws IOException {
    int n = deflater.deflate(buf, 0, buf.length, flush);
    if (n > 0) {
      out.write(buf, 0, n);
    }
  }

  /** Writes the end of the deflate stream and the trailer, without closing the underlying stream. */
  public void finish() throws IOException {
    if (finished) {
      return;
    }
    finished = true;
    deflater.finish();
    while (!deflater.finished()) {
      drain(Deflater.NO_FLUSH);
    }
    long c = crc.getValue();
    long size = deflater.getBytesRead();
    byte[] trailer = new byte[8];
    for (int i = 0; i < 4; i++) {
      trailer[i] = (byte) (c >>> (8 * i));
      trailer[4 + i] = (byte) (size >>> (8 * i));
    }
    out.write(trailer);
    deflater.end();
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      finish();
    } finally {
      deflater.end();
      out.close();
    }
  }
}
