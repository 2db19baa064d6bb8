package io.github.ostree4j.transport;

import java.io.IOException;

/**
 * A key file could not be used: not PEM, an unsupported key type, a wrong password, or a damaged
 * envelope. The message is one line naming the file (or "key data") and the reason.
 */
public class KeyFileException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message "what was being done: why"
   */
  public KeyFileException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message "what was being done: why"
   * @param cause the underlying failure
   */
  public KeyFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
