package io.github.ostree4j.build.internal.syntax;

/**
 * The physical lines of a Containerfile, each with its line terminator (heredoc bodies keep
 * them), read front to back. A UTF-8 byte order mark at the start is dropped.
 */
final class SourceLines {

  private final String text;
  private int pos;
  private int lineNumber;

  SourceLines(String text) {
    this.text = text.startsWith("\uFEFF") ? text.substring(1) : text;
  }

  boolean hasNext() {
    return pos < text.length();
  }

  /** The next line including its {@code \n}, if any. */
  String next() {
    int nl = text.indexOf('\n', pos);
    int end = nl < 0 ? text.length() : nl + 1;
    String line = text.substring(pos, end);
    pos = end;
    lineNumber++;
    return line;
  }

  /** The 1-based number of the line last returned by {@link #next()} (0 before the first). */
  int lineNumber() {
    return lineNumber;
  }

  /** Go's {@code bytes.TrimRight(line, "\r\n")}. */
  static String trimNewline(String line) {
    int end = line.length();
    while (end > 0 && (line.charAt(end - 1) == '\n' || line.charAt(end - 1) == '\r')) {
      end--;
    }
    return line.substring(0, end);
  }
}
