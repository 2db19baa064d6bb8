package io.github.ostree4j.container.internal;

import java.io.IOException;

/**
 * Reading the tar stream itself failed (truncated, corrupt compression, bad header), as opposed to
 * writing into the repository. Lets the importer blame the stream, and the entry being read.
 */
public final class TarReadException extends IOException {
  private static final long serialVersionUID = 1L;

  TarReadException(IOException cause) {
    super(cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage(), cause);
  }
}
