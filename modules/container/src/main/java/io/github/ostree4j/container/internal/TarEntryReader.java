package io.github.ostree4j.container.internal;

import io.github.ostree4j.container.InvalidOstreeTarException;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads the entries of a tar stream one by one and insists on a proper end.
 *
 * <p>commons-compress treats a stream that stops at an entry boundary (or inside a header) as a
 * normal end of archive. This reader keeps the raw bytes consumed while looking for the next
 * header and, when no further entry is found, requires them to contain an end-of-archive record
 * (512 zero bytes); otherwise the stream was cut short. Failures to read the stream are reported as
 * {@link TarReadException}, including those that happen while an entry's content is being read
 * through {@link #content()}.
 */
public final class TarEntryReader {

  private static final int RECORD = 512;
  private static final int MAX_CAPTURE = 1 << 20;

  private final Capture capture;
  private final TarArchiveInputStream tar;
  private final InputStream content;
  private TarArchiveEntry current;

  /** A reader of the uncompressed tar stream {@code in}. */
  public TarEntryReader(InputStream in) {
    this.capture = new Capture(in);
    this.tar = new TarArchiveInputStream(capture, StandardCharsets.UTF_8.name());
    this.content = new ContentStream(tar);
  }

  /**
   * Moves to the next entry, skipping what is left of the current one.
   *
   * @return the entry, or null at the end of the archive
   * @throws InvalidOstreeTarException if a header is malformed or the stream ends without an
   *     end-of-archive record
   */
  public TarArchiveEntry next() throws IOException {
    String previous = current == null ? null : current.getName();
    if (current != null) {
      drain(previous);
    }
    try {
      capture.start();
      current = tar.getNextEntry();
    } catch (IOException e) {
      throw failure(previous, "cannot read the next tar header: " + e.getMessage(), e);
    } finally {
      capture.stopUnlessEnd();
    }
    if (current == null && !capture.sawEndRecord()) {
      throw failure(previous, "the stream ends without the tar end-of-archive record (truncated?)", null);
    }
    return current;
  }

  /** The content of the current entry; read failures are {@link TarReadException}s. */
  public InputStream content() {
    return content;
  }

  private void drain(String name) throws IOException {
    byte[] buf = new byte[8192];
    try {
      while (content.read(buf) >= 0) {
        // skip
      }
    } catch (TarReadException e) {
      throw new InvalidOstreeTarException(name, "cannot read the stream (truncated or corrupt): " + e.getMessage(), e);
    }
  }

  private static InvalidOstreeTarException failure(String previous, String reason, Throwable cause) {
    return previous == null
        ? InvalidOstreeTarException.ofStream("at the start of the stream: " + reason, cause)
        : InvalidOstreeTarException.ofStream("after tar entry '" + previous + "': " + reason, cause);
  }

  /** Passes reads on, turning their failures into {@link TarReadException}. */
  private static final class ContentStream extends FilterInputStream {
    ContentStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      try {
        return super.read();
      } catch (TarReadException e) {
        throw e;
      } catch (IOException e) {
        throw new TarReadException(e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return super.read(b, off, len);
      } catch (TarReadException e) {
        throw e;
      } catch (IOException e) {
        throw new TarReadException(e);
      }
    }

    @Override
    public long skip(long n) throws IOException {
      try {
        return super.skip(n);
      } catch (IOException e) {
        throw new TarReadException(e);
      }
    }

    @Override
    public void close() {
      // the archive is closed by its owner
    }
  }

  /** Records the raw bytes read while the next header is looked for. */
  private static final class Capture extends FilterInputStream {
    private ByteArrayOutputStream buf;
    private boolean endRecord;

    Capture(InputStream in) {
      super(in);
    }

    void start() {
      buf = new ByteArrayOutputStream();
    }

    /** Stops recording; the bytes are kept only to check for the end record. */
    void stopUnlessEnd() {
      if (buf != null) {
        endRecord = hasZeroRecord(buf.toByteArray());
      }
      buf = null;
    }

    boolean sawEndRecord() {
      return endRecord;
    }

    private static boolean hasZeroRecord(byte[] b) {
      int run = 0;
      for (byte x : b) {
        run = x == 0 ? run + 1 : 0;
        if (run >= RECORD) {
          return true;
        }
      }
      return false;
    }

    @Override
    public int read() throws IOException {
      int c = super.read();
      if (c >= 0 && buf != null && buf.size() < MAX_CAPTURE) {
        buf.write(c);
      }
      return c;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0 && buf != null && buf.size() < MAX_CAPTURE) {
        buf.write(b, off, n);
      }
      return n;
    }

    @Override
    public boolean markSupported() {
      return false;
    }
  }
}
