package io.github.ostree4j.deploy.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code KEY=VALUE} lines of an {@code os-release} file, values unquoted as a POSIX shell
 * would ({@code g_shell_unquote}): single quotes are literal, double quotes honour backslash
 * before {@code $ ` " \} and newline, bare backslashes escape the next character. Lines that do
 * not unquote are skipped, as ostree skips them.
 */
public final class OsRelease {

  private final Map<String, String> values;

  private OsRelease(Map<String, String> values) {
    this.values = values;
  }

  /**
   * Parses os-release text.
   *
   * @param text the file's content
   * @return the values
   */
  public static OsRelease parse(String text) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String line : text.split("\n", -1)) {
      if (line.startsWith("#")) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String v = unquote(line.substring(eq + 1));
      if (v != null) {
        m.put(line.substring(0, eq), v);
      }
    }
    return new OsRelease(m);
  }

  /**
   * A value.
   *
   * @param key e.g. {@code PRETTY_NAME}
   * @return the unquoted value, if the key is present
   */
  public Optional<String> get(String key) {
    return Optional.ofNullable(values.get(key));
  }

  /** Returns null when the text does not unquote (an unterminated quote). */
  static String unquote(String s) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '\'') {
        int end = s.indexOf('\'', i + 1);
        if (end < 0) {
          return null;
        }
        out.append(s, i + 1, end);
        i = end + 1;
      } else if (c == '"') {
        i++;
        boolean closed = false;
        while (i < s.length()) {
          char d = s.charAt(i);
          if (d == '"') {
            closed = true;
            i++;
            break;
          }
          if (d == '\\' && i + 1 < s.length() && "$`\"\\\n".indexOf(s.charAt(i + 1)) >= 0) {
            out.append(s.charAt(i + 1));
            i += 2;
          } else {
            out.append(d);
            i++;
          }
        }
        if (!closed) {
          return null;
        }
      } else if (c == '\\' && i + 1 < s.length()) {
        if (s.charAt(i + 1) != '\n') {
          out.append(s.charAt(i + 1));
        }
        i += 2;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }
}
