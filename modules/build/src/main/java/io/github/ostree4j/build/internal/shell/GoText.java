package io.github.ostree4j.build.internal.shell;

/**
 * Go's notions of white space and trimming ({@code unicode.IsSpace}, {@code strings.TrimSpace}),
 * which differ from Java's: Go counts NEL and NO-BREAK SPACE as spaces, Java does not.
 */
public final class GoText {

  private GoText() {}

  /** {@code unicode.IsSpace}: Latin-1 spaces plus the Unicode White_Space property. */
  public static boolean isSpace(int cp) {
    switch (cp) {
      case '\t', '\n', 0x0B, '\f', '\r', ' ', 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F,
          0x3000:
        return true;
      default:
        return cp >= 0x2000 && cp <= 0x200A;
    }
  }

  /** The characters of BuildKit's {@code [\t\v\f\r ]} token separator. */
  public static boolean isTokenSpace(int cp) {
    return cp == '\t' || cp == 0x0B || cp == '\f' || cp == '\r' || cp == ' ';
  }

  /** {@code strings.TrimLeftFunc(s, unicode.IsSpace)}. */
  public static String trimLeft(String s) {
    return s.substring(leadingSpaces(s));
  }

  /** Number of chars of leading Go white space. */
  public static int leadingSpaces(String s) {
    int i = 0;
    while (i < s.length()) {
      int cp = s.codePointAt(i);
      if (!isSpace(cp)) {
        break;
      }
      i += Character.charCount(cp);
    }
    return i;
  }

  /** {@code strings.TrimRightFunc(s, unicode.IsSpace)}. */
  public static String trimRight(String s) {
    int end = s.length();
    while (end > 0) {
      int cp = s.codePointBefore(end);
      if (!isSpace(cp)) {
        break;
      }
      end -= Character.charCount(cp);
    }
    return s.substring(0, end);
  }

  /** {@code strings.TrimSpace}. */
  public static String trim(String s) {
    return trimRight(trimLeft(s));
  }
}
