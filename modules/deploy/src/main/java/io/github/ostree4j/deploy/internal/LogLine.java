package io.github.ostree4j.deploy.internal;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * One structured log line in logfmt style: {@code time=... level=info event=update-staged
 * key=value ...}. A value is quoted when it is empty or holds a space, a quote, an {@code =} or a
 * control character; inside quotes {@code \} and {@code "} are escaped and line breaks written as
 * {@code \n}, so one event is always one line.
 */
public final class LogLine {

  private final StringBuilder sb = new StringBuilder();

  private LogLine(Instant time, String level, String event) {
    append("time", time.truncatedTo(ChronoUnit.SECONDS).toString());
    append("level", level);
    append("event", event);
  }

  /**
   * Starts a line.
   *
   * @param time when it happened
   * @param level {@code info}, {@code warn} or {@code error}
   * @param event what happened, e.g. {@code update-staged}
   * @return the line
   */
  public static LogLine of(Instant time, String level, String event) {
    return new LogLine(time, level, event);
  }

  /**
   * Adds a field; null values are left out.
   *
   * @param key the key
   * @param value the value
   * @return this
   */
  public LogLine with(String key, Object value) {
    if (value != null) {
      append(key, String.valueOf(value));
    }
    return this;
  }

  private void append(String key, String value) {
    if (sb.length() > 0) {
      sb.append(' ');
    }
    sb.append(key).append('=').append(quote(value));
  }

  /**
   * A value as written in a line.
   *
   * @param v the value
   * @return it, quoted if needed
   */
  public static String quote(String v) {
    boolean plain = !v.isEmpty();
    for (int i = 0; i < v.length() && plain; i++) {
      char c = v.charAt(i);
      plain = c > ' ' && c != '"' && c != '=' && c != '\\' && c != 0x7f;
    }
    if (plain) {
      return v;
    }
    StringBuilder q = new StringBuilder("\"");
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      switch (c) {
        case '"' -> q.append("\\\"");
        case '\\' -> q.append("\\\\");
        case '\n' -> q.append("\\n");
        case '\r' -> q.append("\\r");
        case '\t' -> q.append("\\t");
        default -> {
          if (c < ' ' || c == 0x7f) {
            q.append(String.format("\\u%04x", (int) c));
          } else {
            q.append(c);
          }
        }
      }
    }
    return q.append('"').toString();
  }

  @Override
  public String toString() {
    return sb.toString();
  }
}
