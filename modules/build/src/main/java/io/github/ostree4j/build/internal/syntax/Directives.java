package io.github.ostree4j.build.internal.syntax;

import io.github.ostree4j.build.internal.shell.GoText;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parser directives ({@code # syntax=}, {@code # escape=}, {@code # check=}): recognised only in
 * the comment lines at the very top of the file; the first line that is not such a directive (a
 * blank line, another comment, an instruction, an unknown key) ends the search for good.
 */
final class Directives {

  /** Go's {@code \s} is {@code [\t\n\f\r ]}; {@code \z} is Go's {@code $} without multi-line. */
  private static final Pattern DIRECTIVE =
      Pattern.compile("^([a-zA-Z][a-zA-Z0-9]*)[\\t\\n\\f\\r ]*=[\\t\\n\\f\\r ]*(.+?)[\\t\\n\\f\\r ]*\\z",
          Pattern.UNIX_LINES);

  private static final Set<String> KNOWN = Set.of("syntax", "escape", "check");

  private final Map<String, String> values = new LinkedHashMap<>();
  private boolean done;
  private char escape = '\\';

  /**
   * Looks at one line (newline removed, leading white space removed) while directives are still
   * possible.
   *
   * @throws SyntaxException for a repeated directive or an invalid escape character
   */
  void inspect(String line) throws SyntaxException {
    if (done) {
      return;
    }
    if (!line.startsWith("#")) {
      done = true;
      return;
    }
    Matcher m = DIRECTIVE.matcher(GoText.trimLeft(line.substring(1)));
    if (!m.find()) {
      done = true;
      return;
    }
    String key = m.group(1).toLowerCase(Locale.ROOT);
    if (!KNOWN.contains(key)) {
      done = true;
      return;
    }
    if (values.containsKey(key)) {
      throw new SyntaxException("only one " + key + " parser directive can be used", 0);
    }
    String value = m.group(2);
    if (key.equals("escape")) {
      if (!value.equals("`") && !value.equals("\\")) {
        throw new SyntaxException(
            "invalid escape token '" + value + "' does not match ` or \\", 0);
      }
      escape = value.charAt(0);
    }
    values.put(key, value);
  }

  char escape() {
    return escape;
  }

  Map<String, String> values() {
    return Map.copyOf(values);
  }
}
