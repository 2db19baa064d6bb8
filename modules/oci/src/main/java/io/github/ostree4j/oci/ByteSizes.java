package io.github.ostree4j.oci;

import java.util.Locale;

/** Byte counts for people: {@code 512 B}, {@code 1.5 KiB}, {@code 92.0 MiB}. */
public final class ByteSizes {

  private ByteSizes() {}

  /**
   * Formats a byte count with binary units and one decimal.
   *
   * @param n the count
   * @return e.g. {@code 11.3 KiB}
   */
  public static String human(long n) {
    if (n < 1024) {
      return n + " B";
    }
    double v = n;
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    int u = -1;
    do {
      v /= 1024;
      u++;
    } while (v >= 1024 && u < units.length - 1);
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }
}
