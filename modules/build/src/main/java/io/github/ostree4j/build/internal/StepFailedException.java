package io.github.ostree4j.build.internal;

/**
 * A step that cannot be carried out as written (a COPY source that does not exist or lies outside
 * the context, a missing secret, a checksum mismatch). The executor adds the instruction's
 * location and turns it into a {@link io.github.ostree4j.build.BuildException}.
 */
public class StepFailedException extends Exception {

  private static final long serialVersionUID = 1L;

  /** @param message what is wrong, one line */
  public StepFailedException(String message) {
    super(message);
  }

  /**
   * @param message what is wrong, one line
   * @param cause the underlying failure
   */
  public StepFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
