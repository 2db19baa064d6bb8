package io.github.ostree4j.build;

/**
 * A Containerfile that cannot be parsed or built as written. The message starts with
 * {@code file:line:column} (column omitted when unknown) so editors can jump to it.
 */
public class ContainerfileException extends Exception {

  private static final long serialVersionUID = 1L;

  private final String file;
  private final int line;
  private final int column;
  private final String reason;

  /**
   * @param file the Containerfile's name as the user gave it
   * @param line 1-based line, or 0 when the problem is not tied to a line
   * @param column 1-based column, or 0 when unknown
   * @param reason what is wrong, without the location
   */
  public ContainerfileException(String file, int line, int column, String reason) {
    super(format(file, line, column, reason));
    this.file = file;
    this.line = line;
    this.column = column;
    this.reason = reason;
  }

  /** An error about a whole instruction. */
  public ContainerfileException(SourceLocation location, String reason) {
    this(location.file(), location.startLine(), 0, reason);
  }

  public String file() {
    return file;
  }

  public int line() {
    return line;
  }

  public int column() {
    return column;
  }

  /** The message without the location prefix. */
  public String reason() {
    return reason;
  }

  private static String format(String file, int line, int column, String reason) {
    StringBuilder sb = new StringBuilder(file);
    if (line > 0) {
      sb.append(':').append(line);
      if (column > 0) {
        sb.append(':').append(column);
      }
    }
    return sb.append(": ").append(reason).toString();
  }
}
