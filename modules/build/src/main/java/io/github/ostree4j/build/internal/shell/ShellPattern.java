package io.github.ostree4j.build.internal.shell;

import io.github.ostree4j.build.VariableExpansionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The glob patterns of {@code ${v#p}}, {@code ${v%p}} and {@code ${v/p/r}}: {@code *} (any
 * string), {@code ?} (one character) and backslash escapes, no bracket expressions. They are
 * turned into regular expressions with Go's leftmost-first semantics, which {@link Pattern}
 * shares.
 */
final class ShellPattern {

  private ShellPattern() {}

  /**
   * BuildKit's {@code convertShellPatternToRegex}.
   *
   * @param greedy whether {@code *} matches the longest string
   * @param anchored whether the match must start at the beginning
   */
  static Pattern toRegex(String pattern, boolean greedy, boolean anchored)
      throws VariableExpansionException {
    StringBuilder out = new StringBuilder(pattern.length() + 4);
    if (anchored) {
      out.append('^');
    }
    String star = greedy ? ".*" : ".*?";
    int i = 0;
    while (i < pattern.length()) {
      int tok = pattern.codePointAt(i);
      i += Character.charCount(tok);
      switch (tok) {
        case '*':
          out.append(star);
          continue;
        case '?':
          out.append('.');
          continue;
        case '\\':
          int peek = i < pattern.length() ? pattern.codePointAt(i) : -1;
          // '}' and '/' are escaped inside ${} but the escape is not part of the pattern
          if (peek == '}' || peek == '/') {
            continue;
          }
          if (peek != '*' && peek != '?' && peek != '\\') {
            throw new VariableExpansionException("invalid pattern (" + pattern
                + ") in substitution: invalid escape '\\" + (peek < 0 ? "" : Character.toString(peek))
                + "'");
          }
          out.append('\\').appendCodePoint(peek);
          i += Character.charCount(peek);
          continue;
        case '[', ']', '{', '}', '.', '+', '(', ')', '|', '^', '$':
          out.append('\\');
          break;
        default:
          break;
      }
      out.appendCodePoint(tok);
    }
    // Go's '.' stops only at '\n'; UNIX_LINES gives Java the same rule
    return Pattern.compile(out.toString(), Pattern.UNIX_LINES);
  }

  /** {@code ${value#pattern}} / {@code ${value##pattern}}. */
  static String trimPrefix(String pattern, String value, boolean greedy)
      throws VariableExpansionException {
    Matcher m = toRegex(pattern, greedy, true).matcher(value);
    return m.find() ? value.substring(m.end()) : value;
  }

  /**
   * {@code ${value%pattern}} / {@code ${value%%pattern}}: a regular expression cannot find the
   * shortest rightmost match, so pattern and value are reversed and the prefix trimmed.
   */
  static String trimSuffix(String pattern, String value, boolean greedy)
      throws VariableExpansionException {
    String reversed = trimPrefix(reversePattern(pattern), reverse(value), greedy);
    return reverse(reversed);
  }

  /** Reverses a pattern keeping each {@code \x} escape pair in order. */
  static String reversePattern(String pattern) {
    int[] in = pattern.codePoints().toArray();
    int[] out = new int[in.length];
    int last = in.length - 1;
    for (int i = 0; i <= last; ) {
      int tok = in[i];
      int outIdx = last - i;
      if (tok == '\\' && i != last) {
        out[outIdx - 1] = tok;
        out[outIdx] = in[i + 1];
        i += 2;
      } else {
        out[outIdx] = tok;
        i++;
      }
    }
    return new String(out, 0, out.length);
  }

  static String reverse(String s) {
    return new StringBuilder(s).reverse().toString();
  }

  /** {@code ${value/pattern/replacement}} and {@code ${value//pattern/replacement}}. */
  static String replace(String pattern, String value, String replacement, boolean all)
      throws VariableExpansionException {
    Pattern re = toRegex(pattern, true, false);
    Matcher m = re.matcher(value);
    if (!all) {
      return m.find() ? value.substring(0, m.start()) + replacement + value.substring(m.end())
          : value;
    }
    return replaceAll(m, value, replacement);
  }

  /**
   * Go's {@code Regexp.ReplaceAllString}: an empty match right after a previous match is not
   * replaced, and {@code $} in the replacement expands submatch references.
   */
  private static String replaceAll(Matcher m, String src, String template) {
    StringBuilder buf = new StringBuilder();
    int lastMatchEnd = 0;
    int searchPos = 0;
    int end = src.length();
    while (searchPos <= end) {
      if (!m.find(searchPos)) {
        break;
      }
      int a0 = m.start();
      int a1 = m.end();
      buf.append(src, lastMatchEnd, a0);
      if (a1 > lastMatchEnd || a0 == 0) {
        expand(buf, template, src.substring(a0, a1));
      }
      lastMatchEnd = a1;
      int width = searchPos < end ? Character.charCount(src.codePointAt(searchPos)) : 0;
      if (searchPos + width > a1) {
        searchPos += width;
      } else if (searchPos + 1 > a1) {
        searchPos++;
      } else {
        searchPos = a1;
      }
    }
    buf.append(src, lastMatchEnd, end);
    return buf.toString();
  }

  /**
   * Go's {@code Regexp.Expand} for a pattern without capture groups: {@code $$} is a dollar,
   * {@code $0}/{@code ${0}} the match, any other well-formed reference empty, a malformed one
   * literal.
   */
  private static void expand(StringBuilder dst, String template, String match) {
    int i = 0;
    while (i < template.length()) {
      int dollar = template.indexOf('$', i);
      if (dollar < 0) {
        break;
      }
      dst.append(template, i, dollar);
      i = dollar + 1;
      if (i < template.length() && template.charAt(i) == '$') {
        dst.append('$');
        i++;
        continue;
      }
      int restStart = i;
      boolean brace = i < template.length() && template.charAt(i) == '{';
      int p = brace ? i + 1 : i;
      int nameStart = p;
      while (p < template.length()) {
        int cp = template.codePointAt(p);
        if (!Character.isLetter(cp) && !Character.isDigit(cp) && cp != '_') {
          break;
        }
        p += Character.charCount(cp);
      }
      String name = template.substring(nameStart, p);
      boolean ok = !name.isEmpty();
      if (ok && brace) {
        if (p >= template.length() || template.charAt(p) != '}') {
          ok = false;
        } else {
          p++;
        }
      }
      if (!ok) {
        dst.append('$');
        i = restStart;
        continue;
      }
      i = p;
      if (isGroupZero(name)) {
        dst.append(match);
      }
    }
    dst.append(template, Math.min(i, template.length()), template.length());
  }

  private static boolean isGroupZero(String name) {
    return name.equals("0");
  }
}
