package io.github.ostree4j.build.internal.instructions;

import io.github.ostree4j.build.internal.shell.GoQuote;
import java.math.BigInteger;
import java.util.Map;

/**
 * Go's {@code time.ParseDuration}, which HEALTHCHECK flag values follow: a sign, then one or more
 * decimal numbers with optional fraction, each with a unit ({@code ns}, {@code us}/{@code µs},
 * {@code ms}, {@code s}, {@code m}, {@code h}); {@code 0} alone needs no unit.
 */
public final class GoDuration {

  private static final Map<String, Long> UNITS = Map.of(
      "ns", 1L,
      "us", 1_000L,
      "\u00b5s", 1_000L,
      "\u03bcs", 1_000L,
      "ms", 1_000_000L,
      "s", 1_000_000_000L,
      "m", 60_000_000_000L,
      "h", 3_600_000_000_000L);

  private static final BigInteger LIMIT = BigInteger.ONE.shiftLeft(63);

  private GoDuration() {}

  /**
   * @return the duration in nanoseconds
   * @throws IllegalArgumentException with Go's message for malformed text or overflow
   */
  public static long parseNanos(String text) {
    String s = text;
    boolean negative = false;
    if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
      negative = s.charAt(0) == '-';
      s = s.substring(1);
    }
    if (s.equals("0")) {
      return 0;
    }
    if (s.isEmpty()) {
      throw invalid(text);
    }
    BigInteger total = BigInteger.ZERO;
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c != '.' && !isDigit(c)) {
        throw invalid(text);
      }
      int start = i;
      BigInteger v = BigInteger.ZERO;
      while (i < s.length() && isDigit(s.charAt(i))) {
        v = v.multiply(BigInteger.TEN).add(BigInteger.valueOf(s.charAt(i) - '0'));
        if (v.compareTo(LIMIT) > 0) {
          throw invalid(text);
        }
        i++;
      }
      boolean pre = i != start;
      boolean post = false;
      long fraction = 0;
      double scale = 1;
      if (i < s.length() && s.charAt(i) == '.') {
        i++;
        int fracStart = i;
        boolean overflow = false;
        while (i < s.length() && isDigit(s.charAt(i))) {
          if (!overflow) {
            if (fraction > (Long.MAX_VALUE - 9) / 10) {
              overflow = true;
            } else {
              fraction = fraction * 10 + (s.charAt(i) - '0');
              scale *= 10;
            }
          }
          i++;
        }
        post = i != fracStart;
      }
      if (!pre && !post) {
        throw invalid(text);
      }
      int unitStart = i;
      while (i < s.length() && s.charAt(i) != '.' && !isDigit(s.charAt(i))) {
        i++;
      }
      if (i == unitStart) {
        throw new IllegalArgumentException("time: missing unit in duration " + quote(text));
      }
      String u = s.substring(unitStart, i);
      Long unit = UNITS.get(u);
      if (unit == null) {
        throw new IllegalArgumentException(
            "time: unknown unit " + quote(u) + " in duration " + quote(text));
      }
      BigInteger value = v.multiply(BigInteger.valueOf(unit));
      if (fraction > 0) {
        value = value.add(BigInteger.valueOf((long) (fraction * (unit / scale))));
      }
      total = total.add(value);
      if (value.compareTo(LIMIT) > 0 || total.compareTo(LIMIT) > 0) {
        throw invalid(text);
      }
    }
    if (negative) {
      return total.negate().longValueExact();
    }
    if (total.compareTo(LIMIT) >= 0) {
      throw invalid(text);
    }
    return total.longValueExact();
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static IllegalArgumentException invalid(String text) {
    return new IllegalArgumentException("time: invalid duration " + quote(text));
  }

  private static String quote(String s) {
    return GoQuote.quote(s);
  }
}
