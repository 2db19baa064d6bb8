package io.github.ostree4j.ostree.internal;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Text formats of GLib functions whose output ostree prints: sizes and ISO 8601 times. */
public final class Formats {

  private static final String[] UNITS = {"kB", "MB", "GB", "TB", "PB", "EB"};
  private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss", Locale.ROOT);

  private Formats() {}

  /**
   * A size as {@code g_format_size()} prints it: {@code 231 bytes}, {@code 1 byte}, {@code 1.2 kB},
   * {@code 3.4 MB} (SI units, one decimal; GLib separates number and unit with a no-break space,
   * U+00A0, but uses a plain space before "bytes").
   */
  public static String formatSize(long size) {
    if (size >= 0 && size < 1000) {
      return size == 1 ? "1 byte" : size + " bytes";
    }
    double unsigned = size >= 0 ? size : (double) (size >>> 1) * 2.0 + (size & 1);
    double factor = 1000;
    int i = 0;
    while (i < UNITS.length - 1 && unsigned >= factor * 1000) {
      factor *= 1000;
      i++;
    }
    return String.format(Locale.ROOT, "%.1f\u00a0%s", unsigned / factor, UNITS[i]);
  }

  /**
   * Seconds since the epoch in the local time zone as ostree prints them
   * ({@code g_date_time_format (local, "%FT%T%:::z")}), e.g. {@code 2020-01-01T00:00:00+00}.
   */
  public static String iso8601(long epochSeconds) {
    return iso8601(epochSeconds, ZoneId.systemDefault());
  }

  /** Like {@link #iso8601(long)} in the given zone. */
  public static String iso8601(long epochSeconds, ZoneId zone) {
    ZonedDateTime t = Instant.ofEpochSecond(epochSeconds).atZone(zone);
    ZoneOffset off = t.getOffset();
    int total = off.getTotalSeconds();
    int abs = Math.abs(total);
    StringBuilder sb = new StringBuilder(LOCAL.format(t));
    sb.append(total < 0 ? '-' : '+').append(String.format(Locale.ROOT, "%02d", abs / 3600));
    int minutes = (abs / 60) % 60;
    int seconds = abs % 60;
    if (minutes != 0 || seconds != 0) {
      sb.append(String.format(Locale.ROOT, ":%02d", minutes));
    }
    if (seconds != 0) {
      sb.append(String.format(Locale.ROOT, ":%02d", seconds));
    }
    return sb.toString();
  }
}
