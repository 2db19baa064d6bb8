package io.github.ostree4j.build.internal.syntax;

/**
 * A problem found while splitting a line into words, tied to a character offset of the text being
 * parsed so that the caller can turn it into a line and column.
 */
final class SyntaxException extends Exception {

  private static final long serialVersionUID = 1L;

  private final int offset;

  SyntaxException(String message, int offset) {
    super(message);
    this.offset = offset;
  }

  int offset() {
    return offset;
  }
}
