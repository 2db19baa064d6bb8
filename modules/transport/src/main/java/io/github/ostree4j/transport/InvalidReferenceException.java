package io.github.ostree4j.transport;

/**
 * An image reference string that does not follow the syntax of its transport. The message is one
 * line naming the text, what is wrong with it and a valid example.
 */
public class InvalidReferenceException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String reference;
  private final String reason;

  /**
   * Creates the exception.
   *
   * @param reference the text that was parsed
   * @param reason what is wrong with it
   * @param example a valid reference of the same kind, shown to the user
   */
  public InvalidReferenceException(String reference, String reason, String example) {
    this(reference, reason, example, null);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param reference the text that was parsed
   * @param reason what is wrong with it
   * @param example a valid reference of the same kind, shown to the user
   * @param cause the failure this one reports, or null
   */
  public InvalidReferenceException(String reference, String reason, String example,
      Throwable cause) {
    super("parsing image reference '" + reference + "': " + reason + " (example: " + example + ")",
        cause);
    this.reference = reference;
    this.reason = reason;
  }

  /**
   * The text that could not be parsed.
   *
   * @return the reference as given
   */
  public String reference() {
    return reference;
  }

  /**
   * What is wrong with the text, without the example.
   *
   * @return the reason
   */
  public String reason() {
    return reason;
  }
}
