package io.github.ostree4j.ostree;

import java.io.IOException;

/** A repository operation failed for a reason other than plain I/O: bad input, missing refs. */
public class OstreeException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; the message names what was being done and why it failed. */
  public OstreeException(String message) {
    super(message);
  }

  /** Creates the exception with a cause. */
  public OstreeException(String message, Throwable cause) {
    super(message, cause);
  }
}
