package io.github.ostree4j.deploy;

import java.io.IOException;

/**
 * A sysroot operation that failed or was refused; the message is one line saying what was being
 * done and why.
 */
public class DeployException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * A failure.
   *
   * @param message what was being done and why it failed
   */
  public DeployException(String message) {
    super(message);
  }

  /**
   * A failure with its cause.
   *
   * @param message what was being done and why it failed
   * @param cause the underlying failure
   */
  public DeployException(String message, Throwable cause) {
    super(message, cause);
  }
}
