package io.github.ostree4j.transport;

import java.io.IOException;

/**
 * A containers-policy.json or registries.d file that does not follow its format. The message names
 * the file and what is wrong.
 */
public class PolicyFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message "reading FILE: why"
   */
  public PolicyFormatException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message "reading FILE: why"
   * @param cause the underlying failure
   */
  public PolicyFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
