package io.github.ostree4j.cli;

import io.github.ostree4j.ostree.OstreeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Parses {@code --timestamp} values in the forms ostree accepts. */
final class TimestampParser {

  private TimestampParser() {}

  /**
   * Seconds since the epoch from {@code @SECONDS}, ISO 8601 ({@code 2020-01-01T00:00:00Z},
   * with an offset, or without one meaning UTC), {@code YYYY-MM-DD HH:MM:SS [+ZZZZ]} or a date.
   */
  static long parse(String s) throws OstreeException {
    String t = s.strip();
    try {
      if (t.startsWith("@")) {
        return Long.parseLong(t.substring(1));
      }
      if (t.matches("-?\\d+") && t.length() > 8) {
        return Long.parseLong(t);
      }
      String iso = t.replace(' ', 'T');
      if (iso.matches(".*T.*[+-]\\d{4}$")) {
        iso = iso.substring(0, iso.length() - 2) + ":" + iso.substring(iso.length() - 2);
      }
      iso = iso.replace("T+", "+").replace("T-", "-");
      try {
        return OffsetDateTime.parse(iso).toEpochSecond();
      } catch (DateTimeParseException e) {
        // fall through
      }
      try {
        return LocalDateTime.parse(iso, DateTimeFormatter.ISO_LOCAL_DATE_TIME).toEpochSecond(ZoneOffset.UTC);
      } catch (DateTimeParseException e) {
        // fall through
      }
      return LocalDate.parse(t).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
    } catch (DateTimeParseException | NumberFormatException e) {
      throw new OstreeException("Could not parse '" + s + "' as a timestamp (expected e.g. 2020-01-01T00:00:00Z or @1577836800)");
    }
  }
}
