package io.github.ostree4j.container.internal;

import java.io.EOFException;
import java.io.IOException;

/**
 * Reading the tar stream itself failed (truncated, corrupt compression, bad header), as opposed to
 * writing into the repository. Lets the importer blame the stream, and the entry being read.
 */
public final class TarReadException extends IOException {
  private static final long serialVersionUID = 1L;

  TarReadException(IOException cause) {
    super(describe(cause), cause);
  }

  private static String describe(IOException cause) {
    if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
      return cause.getMessage();
    }
    return cause instanceof EOFException ? "unexpected end of data" : cause.getClass().getSimpleName();
  }
}
