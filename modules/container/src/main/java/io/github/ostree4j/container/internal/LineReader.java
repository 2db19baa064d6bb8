package io.github.ostree4j.container.internal;

import io.github.ostree4j.ostree.OstreeException;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reads UTF-8 text lines from a stream, refusing lines longer than a limit. */
public final class LineReader implements Closeable {

  /** The longest line accepted, in bytes. */
  public static final int MAX_LINE = 1 << 20;

  private final InputStream in;
  private final String name;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
  private long lineNumber;

  /**
   * Wraps a stream.
   *
   * @param in the stream, closed by {@link #close()}
   * @param name what the stream is, for error messages
   */
  public LineReader(InputStream in, String name) {
    this.in = new BufferedInputStream(in, 65536);
    this.name = name;
  }

  /**
   * The next line without its terminator.
   *
   * @return the line, or null at the end of the stream
   * @throws IOException on read failure or a line longer than {@value #MAX_LINE} bytes
   */
  public String next() throws IOException {
    line.reset();
    int b;
    boolean any = false;
    while ((b = in.read()) >= 0) {
      any = true;
      if (b == '\n') {
        break;
      }
      if (line.size() >= MAX_LINE) {
        throw new OstreeException(name + ": line " + (lineNumber + 1) + " is longer than " + MAX_LINE + " bytes");
      }
      line.write(b);
    }
    if (!any) {
      return null;
    }
    lineNumber++;
    return line.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
