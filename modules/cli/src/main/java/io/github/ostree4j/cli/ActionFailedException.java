package io.github.ostree4j.cli;

import java.io.IOException;

/** A failure with the action that was under way, for the one-line error message. */
final class ActionFailedException extends IOException {
  private static final long serialVersionUID = 1L;

  private ActionFailedException(String message, IOException cause) {
    super(message, cause);
  }

  /**
   * Prefixes a failure with what was being done, unless its message already starts with it.
   *
   * @param action e.g. {@code pulling docker://quay.io/x:1}
   * @param e the failure
   * @return the failure to throw
   */
  static IOException during(String action, IOException e) {
    String why = Errors.message(e);
    if (why.startsWith(action)) {
      return e;
    }
    return new ActionFailedException(action + ": " + why, e);
  }
}
