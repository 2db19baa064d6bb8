package io.github.ostree4j.ostree;

/**
 * An OpenPGP operation failed: a keyring or key file that cannot be read, a key that is not there
 * or cannot sign, a wrong passphrase, or signatures that do not verify. The message names what
 * was being done and why.
 */
public class GpgException extends OstreeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message "what was being done: why"
   */
  public GpgException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message "what was being done: why"
   * @param cause the underlying failure
   */
  public GpgException(String message, Throwable cause) {
    super(message, cause);
  }
}
