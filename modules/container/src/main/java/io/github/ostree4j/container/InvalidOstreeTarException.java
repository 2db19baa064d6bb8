package io.github.ostree4j.container;

import java.io.IOException;
import java.util.Optional;

/**
 * A stream is not a valid ostree-ext tar stream ("ostree-in-tar"): a bad object name, a missing
 * or dangling xattrs reference, an object whose content does not match its name, a truncated
 * stream... The message names the offending tar entry (when there is one) and the reason, on one
 * line.
 */
public class InvalidOstreeTarException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String entry;
  private final String reason;

  /**
   * An error about one tar entry.
   *
   * @param entry the entry name as it appears in the stream
   * @param reason what is wrong with it
   */
  public InvalidOstreeTarException(String entry, String reason) {
    this(entry, reason, null);
  }

  /**
   * An error about one tar entry, with the underlying cause.
   *
   * @param entry the entry name as it appears in the stream
   * @param reason what is wrong with it
   * @param cause the exception that revealed the problem, or null
   */
  public InvalidOstreeTarException(String entry, String reason, Throwable cause) {
    super("tar entry '" + entry + "': " + reason, cause);
    this.entry = entry;
    this.reason = reason;
  }

  private InvalidOstreeTarException(String reason, Throwable cause, boolean streamLevel) {
    super(reason, cause);
    this.entry = null;
    this.reason = reason;
  }

  /**
   * An error about the stream as a whole, or about a place between entries.
   *
   * @param reason what is wrong (also the message)
   * @param cause the exception that revealed the problem, or null
   * @return the exception
   */
  public static InvalidOstreeTarException ofStream(String reason, Throwable cause) {
    return new InvalidOstreeTarException(reason, cause, true);
  }

  /** The name of the offending entry, if the error is about one entry. */
  public Optional<String> entry() {
    return Optional.ofNullable(entry);
  }

  /** What is wrong, without the entry name. */
  public String reason() {
    return reason;
  }
}
