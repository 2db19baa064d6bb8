package io.github.ostree4j.container.internal;

/**
 * The ostree-ext escaping of arbitrary strings (digests, image references) into ostree ref names.
 * ASCII letters and digits pass through, and so does {@code -}; {@code /} passes through only
 * after a letter or digit and when it is not the last character; {@code _} becomes {@code __};
 * every other character becomes {@code _XX_}, XX being its Unicode code point in upper-case hex
 * (at least two digits).
 */
public final class RefEscape {

  private RefEscape() {}

  /**
   * Escapes {@code s}.
   *
   * @throws IllegalArgumentException if {@code s} is empty or contains NUL
   */
  public static String escape(String s) {
    if (s.isEmpty()) {
      throw new IllegalArgumentException("cannot escape an empty string into an ostree ref");
    }
    StringBuilder out = new StringBuilder(s.length() + 16);
    boolean previousAlnum = false;
    int i = 0;
    while (i < s.length()) {
      int c = s.codePointAt(i);
      int next = i + Character.charCount(c);
      boolean alnum = isAsciiAlnum(c);
      if (c == 0) {
        throw new IllegalArgumentException("cannot escape a string with an embedded NUL into an ostree ref");
      } else if (alnum || c == '-') {
        out.append((char) c);
      } else if (c == '/' && previousAlnum && next < s.length()) {
        out.append('/');
      } else if (c == '_') {
        out.append("__");
      } else {
        out.append('_').append(String.format("%02X", c)).append('_');
      }
      previousAlnum = alnum;
      i = next;
    }
    return out.toString();
  }

  /**
   * Reverses {@link #escape}.
   *
   * @throws IllegalArgumentException if {@code ref} is not the output of {@link #escape}
   */
  public static String unescape(String ref) {
    StringBuilder out = new StringBuilder(ref.length());
    int i = 0;
    while (i < ref.length()) {
      char c = ref.charAt(i);
      if (isAsciiAlnum(c) || c == '-' || c == '/') {
        out.append(c);
        i++;
      } else if (c == '_') {
        if (i + 1 < ref.length() && ref.charAt(i + 1) == '_') {
          out.append('_');
          i += 2;
          continue;
        }
        int end = ref.indexOf('_', i + 1);
        if (end < 0) {
          throw new IllegalArgumentException("invalid escaped ref '" + ref + "': unterminated escape at offset " + i);
        }
        String hex = ref.substring(i + 1, end);
        int cp = parseCodePoint(hex);
        if (cp < 0) {
          throw new IllegalArgumentException("invalid escaped ref '" + ref + "': bad escape '_" + hex + "_'");
        }
        out.appendCodePoint(cp);
        i = end + 1;
      } else {
        throw new IllegalArgumentException("invalid escaped ref '" + ref + "': unexpected character '" + c + "'");
      }
    }
    return out.toString();
  }

  /** The code point written as 2 to 6 hex digits, or -1. */
  private static int parseCodePoint(String hex) {
    if (hex.length() < 2 || hex.length() > 6) {
      return -1;
    }
    int cp = 0;
    for (int k = 0; k < hex.length(); k++) {
      int d = Character.digit(hex.charAt(k), 16);
      if (d < 0) {
        return -1;
      }
      cp = cp * 16 + d;
    }
    if (cp == 0 || cp > Character.MAX_CODE_POINT || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return -1;
    }
    return cp;
  }

  private static boolean isAsciiAlnum(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }
}
