package io.github.ostree4j.build.internal.ignore;

/**
 * The pattern syntax check of Go's {@code filepath.Match} (on Unix): character classes must be
 * closed and non-empty, ranges well formed, and a backslash must escape something.
 */
final class GoMatchSyntax {

  private GoMatchSyntax() {}

  /** @return whether {@code filepath.Match} accepts the pattern */
  static boolean isValid(String pattern) {
    String rest = pattern;
    while (!rest.isEmpty()) {
      int i = 0;
      while (i < rest.length() && rest.charAt(i) == '*') {
        i++;
      }
      rest = rest.substring(i);
      int end = chunkEnd(rest);
      if (!chunkValid(rest.substring(0, end))) {
        return false;
      }
      rest = rest.substring(end);
    }
    return true;
  }

  /** Go's {@code scanChunk}: up to the next {@code *} outside brackets. */
  private static int chunkEnd(String pattern) {
    boolean inRange = false;
    int i = 0;
    for (; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '\\') {
        if (i + 1 < pattern.length()) {
          i++;
        }
      } else if (c == '[') {
        inRange = true;
      } else if (c == ']') {
        inRange = false;
      } else if (c == '*' && !inRange) {
        break;
      }
    }
    return i;
  }

  /** The syntax half of Go's {@code matchChunk}. */
  private static boolean chunkValid(String chunk) {
    int i = 0;
    int n = chunk.length();
    while (i < n) {
      char c = chunk.charAt(i);
      if (c == '[') {
        i++;
        if (i < n && chunk.charAt(i) == '^') {
          i++;
        }
        int ranges = 0;
        while (true) {
          if (i < n && chunk.charAt(i) == ']' && ranges > 0) {
            i++;
            break;
          }
          int lo = escaped(chunk, i);
          if (lo < 0) {
            return false;
          }
          i = lo;
          if (chunk.charAt(i) == '-') {
            int hi = escaped(chunk, i + 1);
            if (hi < 0) {
              return false;
            }
            i = hi;
          }
          ranges++;
        }
      } else if (c == '\\') {
        i++;
        if (i >= n) {
          return false;
        }
        i += Character.charCount(chunk.codePointAt(i));
      } else {
        i++;
      }
    }
    return true;
  }

  /**
   * Go's {@code getEsc}: reads one (possibly escaped) class character at {@code i}; returns the
   * index after it, or -1 when the class is malformed (including when nothing follows it).
   */
  private static int escaped(String chunk, int i) {
    int n = chunk.length();
    if (i >= n || chunk.charAt(i) == '-' || chunk.charAt(i) == ']') {
      return -1;
    }
    if (chunk.charAt(i) == '\\') {
      i++;
      if (i >= n) {
        return -1;
      }
    }
    i += Character.charCount(chunk.codePointAt(i));
    return i >= n ? -1 : i;
  }
}
