package io.github.ostree4j.transport;

/**
 * The registry could not be reached or kept failing (connection refused or reset, HTTP 5xx or
 * 429) after the configured number of attempts.
 */
public class RegistryUnavailableException extends RegistryException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message "what was being done: why"
   * @param cause the last failure, or null
   */
  public RegistryUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
