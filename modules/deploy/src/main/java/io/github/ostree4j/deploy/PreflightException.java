package io.github.ostree4j.deploy;

/**
 * An image or machine state that an update refuses before changing anything: the registry cannot
 * be reached, the image is not bootable or is for another architecture, or the sysroot's
 * filesystem has too little free space.
 */
public final class PreflightException extends DeployException {
  private static final long serialVersionUID = 1L;

  /**
   * A refusal.
   *
   * @param message what was checked and why it failed
   */
  public PreflightException(String message) {
    super(message);
  }

  /**
   * A refusal with its cause.
   *
   * @param message what was checked and why it failed
   * @param cause the underlying failure
   */
  public PreflightException(String message, Throwable cause) {
    super(message, cause);
  }
}
