package io.github.ostree4j.build.internal.syntax;

import io.github.ostree4j.build.ContainerfileException;
import io.github.ostree4j.build.internal.shell.GoText;

/**
 * Turns physical lines into logical lines the way BuildKit does: leading white space of the
 * first line dropped, comment lines and blank lines skipped, a line whose last non-blank
 * character is the escape character (not itself escaped) continued by the next line. Inside a
 * continuation, comment lines and blank lines are dropped and leading white space is kept. A
 * continuation at the end of the file simply ends the instruction.
 */
final class LineJoiner {

  private final String fileName;
  private final SourceLines source;
  private final Directives directives;

  LineJoiner(String fileName, SourceLines source, Directives directives) {
    this.fileName = fileName;
    this.source = source;
    this.directives = directives;
  }

  /** Result of stripping a continuation character. */
  private record Stripped(String text, boolean continued) {}

  /**
   * The next logical line, or null at the end of the file.
   *
   * @throws ContainerfileException for a repeated parser directive or a bad escape character
   */
  LogicalLine next() throws ContainerfileException {
    while (source.hasNext()) {
      String text = SourceLines.trimNewline(source.next());
      int lineNumber = source.lineNumber();
      int lead = GoText.leadingSpaces(text);
      String token = text.substring(lead);
      inspect(token, lineNumber);
      Stripped first = stripContinuation(isComment(token) ? "" : token);
      if (!first.continued() && first.text().isEmpty()) {
        continue;
      }
      PositionMap positions = new PositionMap();
      positions.add(0, lineNumber, lead + 1);
      StringBuilder line = new StringBuilder(first.text());
      boolean continued = first.continued();
      while (continued && source.hasNext()) {
        String next = SourceLines.trimNewline(source.next());
        inspect(next, source.lineNumber());
        String trimmed = GoText.trimLeft(next);
        if (isComment(trimmed) || trimmed.isEmpty()) {
          continue;
        }
        Stripped part = stripContinuation(next);
        positions.add(line.length(), source.lineNumber(), 1);
        line.append(part.text());
        continued = part.continued();
      }
      return new LogicalLine(line.toString(), lineNumber, source.lineNumber(), positions);
    }
    return null;
  }

  private void inspect(String line, int lineNumber) throws ContainerfileException {
    try {
      directives.inspect(line);
    } catch (SyntaxException e) {
      throw new ContainerfileException(fileName, lineNumber, 0, e.getMessage());
    }
  }

  static boolean isComment(String leftTrimmed) {
    return leftTrimmed.startsWith("#");
  }

  /**
   * BuildKit's continuation rule, {@code ([^E])E[ \t]*$|^E[ \t]*$} for escape E: the escape must
   * be the last character before trailing blanks and must not itself be escaped.
   */
  private Stripped stripContinuation(String line) {
    char escape = directives.escape();
    int end = line.length();
    while (end > 0 && (line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\t')) {
      end--;
    }
    if (end == 0 || line.charAt(end - 1) != escape) {
      return new Stripped(line, false);
    }
    int at = end - 1;
    if (at == 0) {
      return new Stripped("", true);
    }
    if (line.charAt(at - 1) == escape) {
      return new Stripped(line, false);
    }
    return new Stripped(line.substring(0, at), true);
  }
}
