package io.github.ostree4j.transport;

import java.io.IOException;

/**
 * A registry refused or failed a request. Messages are one line, "what was being done: why".
 * Subclasses name the failures callers react to: {@link AuthenticationFailedException}, {@link
 * ManifestNotFoundException}, {@link RegistryUnavailableException}, {@link
 * InsecureRegistryException}.
 */
public class RegistryException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message "what was being done: why"
   */
  public RegistryException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message "what was being done: why"
   * @param cause the underlying failure
   */
  public RegistryException(String message, Throwable cause) {
    super(message, cause);
  }
}
