package io.github.ostree4j.ostree;

/** An object in a repository (or arriving into one) whose bytes are not what its name says. */
public class CorruptObjectException extends OstreeException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; the message names the object. */
  public CorruptObjectException(String message) {
    super(message);
  }

  /** Creates the exception with a cause. */
  public CorruptObjectException(String message, Throwable cause) {
    super(message, cause);
  }
}
