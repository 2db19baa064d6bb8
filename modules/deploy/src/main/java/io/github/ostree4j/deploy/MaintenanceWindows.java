package io.github.ostree4j.deploy;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The weekly maintenance windows of the {@code periodic} strategy, with Zincati's semantics: each
 * window starts on a weekday at a wall-clock time and lasts a number of minutes; windows may cross
 * day and week boundaries (a window starting Sunday 23:00 for 120 minutes ends Monday 01:00) and
 * may overlap. All windows are in one time zone. Whether an instant is inside is decided on the
 * wall clock of that zone (weekday, hour and minute), so daylight saving time can stretch, shrink
 * or skip a window: a window of wall-clock times that do not exist on the day clocks move forward
 * does not open that day, one containing the repeated hour in autumn lasts an hour longer.
 *
 * <p>A window covers {@code [start, start + length)}, to the minute. Immutable.
 */
public final class MaintenanceWindows {

  /** Minutes in a week: the longest window. */
  public static final int WEEK_MINUTES = 7 * 24 * 60;

  private final List<Window> windows;
  private final ZoneId zone;
  private final BitSet minutes = new BitSet(WEEK_MINUTES);

  /**
   * One window.
   *
   * @param day the weekday it starts on
   * @param start the wall-clock time it starts at (whole minutes)
   * @param lengthMinutes how long it lasts: 1 to {@link #WEEK_MINUTES} minutes
   */
  public record Window(DayOfWeek day, LocalTime start, int lengthMinutes) {

    /** Checks the values. */
    public Window {
      Objects.requireNonNull(day, "day");
      Objects.requireNonNull(start, "start");
      if (lengthMinutes < 1 || lengthMinutes > WEEK_MINUTES) {
        throw new IllegalArgumentException("a window lasts 1 to " + WEEK_MINUTES + " minutes, not "
            + lengthMinutes);
      }
      start = start.truncatedTo(ChronoUnit.MINUTES);
    }

    /** The minute of the week it starts at, Monday 00:00 being 0. */
    public int startMinuteOfWeek() {
      return minuteOfWeek(day, start);
    }

    @Override
    public String toString() {
      return day.getDisplayName(TextStyle.SHORT, Locale.ROOT) + " " + start + " for "
          + lengthMinutes + " min";
    }
  }

  private MaintenanceWindows(List<Window> windows, ZoneId zone) {
    this.windows = List.copyOf(windows);
    this.zone = Objects.requireNonNull(zone, "zone");
    for (Window w : this.windows) {
      int s = w.startMinuteOfWeek();
      for (int i = 0; i < w.lengthMinutes(); i++) {
        minutes.set((s + i) % WEEK_MINUTES);
      }
    }
  }

  /**
   * Windows in a time zone.
   *
   * @param windows the windows (may be empty: then nothing is ever inside)
   * @param zone the zone of their wall-clock times
   * @return the schedule
   */
  public static MaintenanceWindows of(List<Window> windows, ZoneId zone) {
    return new MaintenanceWindows(windows, zone);
  }

  /** The windows, as configured. */
  public List<Window> windows() {
    return windows;
  }

  /** The time zone of the windows. */
  public ZoneId zone() {
    return zone;
  }

  /** How many minutes of a week are inside a window (overlaps counted once). */
  public int weeklyMinutes() {
    return minutes.cardinality();
  }

  /**
   * Whether an instant is inside a window.
   *
   * @param t the instant
   * @return whether an update may be finalized then
   */
  public boolean contains(Instant t) {
    ZonedDateTime local = t.atZone(zone);
    return minutes.get(minuteOfWeek(local.getDayOfWeek(), local.toLocalTime()));
  }

  /**
   * When the next window opens: {@code t} itself when it is inside one, else the first whole
   * minute after it that is.
   *
   * @param t the instant
   * @return the instant, or empty when there are no windows
   */
  public Optional<Instant> nextOpening(Instant t) {
    if (minutes.isEmpty()) {
      return Optional.empty();
    }
    if (contains(t)) {
      return Optional.of(t);
    }
    Instant m = t.truncatedTo(ChronoUnit.MINUTES);
    Instant limit = t.plus(Duration.ofDays(8));
    while (m.isBefore(limit)) {
      m = m.plus(Duration.ofMinutes(1));
      if (contains(m)) {
        return Optional.of(m);
      }
    }
    return Optional.empty(); // every window falls in skipped wall-clock times
  }

  /**
   * The minute of the week of a weekday and time.
   *
   * @param day the weekday
   * @param time the time
   * @return minutes since Monday 00:00
   */
  static int minuteOfWeek(DayOfWeek day, LocalTime time) {
    return (day.getValue() - 1) * 24 * 60 + time.getHour() * 60 + time.getMinute();
  }

  @Override
  public String toString() {
    return windows + " " + zone;
  }
}
