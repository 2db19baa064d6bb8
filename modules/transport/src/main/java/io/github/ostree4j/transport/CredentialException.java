package io.github.ostree4j.transport;

import java.io.IOException;

/**
 * Credentials could not be read: an auth file that is not valid JSON or has an undecodable entry,
 * or a credential helper that failed.
 */
public class CredentialException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message "what was being done: why", e.g. "reading credentials from FILE: ..."
   */
  public CredentialException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message "what was being done: why"
   * @param cause the underlying failure
   */
  public CredentialException(String message, Throwable cause) {
    super(message, cause);
  }
}
