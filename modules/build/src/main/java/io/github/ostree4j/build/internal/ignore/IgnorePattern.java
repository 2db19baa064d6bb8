package io.github.ostree4j.build.internal.ignore;

import java.util.regex.Pattern;

/**
 * One compiled ignore pattern (moby's {@code patternmatcher.Pattern}): {@code *} and {@code ?}
 * never cross a slash, {@code **} matches any number of directories, {@code [...]} classes and
 * backslash escapes as in Go's {@code filepath.Match}. Plain patterns compare exactly, a
 * pattern ending in {@code **} by prefix, one starting with {@code **} by suffix.
 */
public final class IgnorePattern {

  private enum Kind { EXACT, PREFIX, SUFFIX, REGEXP }

  private static final String ESCAPED = ".+()|{}$";

  private final String cleaned;
  private final boolean exclusion;
  private final Kind kind;
  private final Pattern regex;

  private IgnorePattern(String cleaned, boolean exclusion, Kind kind, Pattern regex) {
    this.cleaned = cleaned;
    this.exclusion = exclusion;
    this.kind = kind;
    this.regex = regex;
  }

  /**
   * Compiles one line's pattern, already trimmed; a leading {@code !} makes it an exclusion
   * (a re-inclusion of what earlier patterns excluded).
   *
   * @throws IllegalArgumentException when {@code filepath.Match} would reject the pattern
   */
  public static IgnorePattern compile(String text) {
    String p = GoPath.clean(text);
    boolean exclusion = false;
    if (p.charAt(0) == '!') {
      if (p.length() == 1) {
        throw new IllegalArgumentException("illegal exclusion pattern: \"!\"");
      }
      exclusion = true;
      p = p.substring(1);
    }
    if (!GoMatchSyntax.isValid(p)) {
      throw new IllegalArgumentException("syntax error in pattern " + p);
    }
    StringBuilder re = new StringBuilder("^");
    Kind kind = Kind.EXACT;
    boolean inClass = false;
    int pos = 0;
    for (int i = 0; pos < p.length(); i++) {
      int ch = p.codePointAt(pos);
      pos += Character.charCount(ch);
      int peek = pos < p.length() ? p.codePointAt(pos) : -1;
      if (inClass && ch != ']') {
        // inside [...] everything is literal, a backslash escapes the next character
        boolean escaped = ch == '\\' && peek >= 0;
        if (escaped) {
          pos += Character.charCount(peek);
          ch = peek;
        }
        if (!Character.isLetterOrDigit(ch) && (ch != '-' || escaped)) {
          re.append('\\');
        }
        re.appendCodePoint(ch);
        continue;
      }
      if (ch == '*') {
        if (peek == '*') {
          pos++;
          if (pos < p.length() && p.charAt(pos) == '/') {
            pos++;
          }
          if (pos >= p.length()) {
            if (kind == Kind.EXACT) {
              kind = Kind.PREFIX;
            } else {
              re.append(".*");
              kind = Kind.REGEXP;
            }
          } else {
            re.append("(.*/)?");
            kind = Kind.REGEXP;
          }
          if (i == 0) {
            kind = Kind.SUFFIX;
          }
        } else {
          re.append("[^/]*");
          kind = Kind.REGEXP;
        }
      } else if (ch == '?') {
        re.append("[^/]");
        kind = Kind.REGEXP;
      } else if (ch < 0x80 && ESCAPED.indexOf(ch) >= 0) {
        re.append('\\').appendCodePoint(ch);
      } else if (ch == '\\') {
        if (peek >= 0) {
          pos += Character.charCount(peek);
          re.append(Pattern.quote(Character.toString(peek)));
          kind = Kind.REGEXP;
        } else {
          re.append("\\\\");
        }
      } else if (ch == '[') {
        re.append('[');
        inClass = true;
        if (peek == '^') {
          re.append('^');
          pos++;
        }
        kind = Kind.REGEXP;
      } else if (ch == ']') {
        re.append(inClass ? "]" : "\\]");
        inClass = false;
        kind = Kind.REGEXP;
      } else {
        re.append(Pattern.quote(Character.toString(ch)));
      }
    }
    Pattern compiled = null;
    if (kind == Kind.REGEXP) {
      re.append('$');
      compiled = Pattern.compile(re.toString(), Pattern.UNIX_LINES);
    }
    return new IgnorePattern(p, exclusion, kind, compiled);
  }

  /** Whether this is a {@code !} pattern. */
  public boolean exclusion() {
    return exclusion;
  }

  /** The pattern after cleaning, without its {@code !}. */
  public String cleaned() {
    return cleaned;
  }

  /** Whether the slash-separated, cleaned path matches (no parent directory logic). */
  public boolean matches(String path) {
    switch (kind) {
      case EXACT:
        return path.equals(cleaned);
      case PREFIX:
        return path.startsWith(cleaned.substring(0, cleaned.length() - 2));
      case SUFFIX: {
        String suffix = cleaned.substring(2);
        if (path.endsWith(suffix)) {
          return true;
        }
        return !suffix.isEmpty() && suffix.charAt(0) == '/' && path.equals(suffix.substring(1));
      }
      default:
        return regex.matcher(path).matches();
    }
  }
}
