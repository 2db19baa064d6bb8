package io.github.ostree4j.build.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Where a build reports: step lines as buildah prints them ({@code STEP 2/5: COPY . /src}), RUN
 * output as it comes, warnings. Lines and RUN output share one stream and never interleave
 * mid-line.
 */
public final class Progress {

  private final OutputStream out;

  /** @param out the stream (not closed) */
  public Progress(OutputStream out) {
    this.out = out;
  }

  /**
   * Writes a line.
   *
   * @param line the text without newline
   */
  public synchronized void line(String line) {
    try {
      out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("writing build output", e);
    }
  }

  /**
   * Writes a warning line, {@code [Warning] ...} as podman does.
   *
   * @param text the warning
   */
  public void warning(String text) {
    line("[Warning] " + text);
  }

  /** @return the stream RUN output goes to (writes are passed through as they come) */
  public OutputStream runOutput() {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        synchronized (Progress.this) {
          out.write(b);
        }
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        synchronized (Progress.this) {
          out.write(b, off, len);
          out.flush();
        }
      }

      @Override
      public void flush() throws IOException {
        synchronized (Progress.this) {
          out.flush();
        }
      }
    };
  }
}
