package io.github.ostree4j.transport;

import java.io.IOException;

/**
 * A copy failed. The message is one line: "copying blob sha256:…: digest mismatch, got sha256:…"
 * for content that does not match its digest, else "copying SRC to DST: why". The cause is the
 * underlying failure (e.g. an {@link AuthenticationFailedException}).
 */
public class ImageCopyException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message the one-line message
   * @param cause the underlying failure
   */
  public ImageCopyException(String message, Throwable cause) {
    super(message, cause);
  }
}
