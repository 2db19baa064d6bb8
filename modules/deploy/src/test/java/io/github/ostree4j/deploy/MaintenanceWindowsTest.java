package io.github.ostree4j.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Window math: boundaries, day and week crossings, time zones and daylight saving time. The
 * wall-clock times of the instants used were checked with {@code TZ=... date -d INSTANT}.
 */
class MaintenanceWindowsTest {

  private static final ZoneId UTC = ZoneId.of("UTC");
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  private static MaintenanceWindows windows(ZoneId zone, MaintenanceWindows.Window... w) {
    return MaintenanceWindows.of(List.of(w), zone);
  }

  private static MaintenanceWindows.Window w(DayOfWeek d, int h, int m, int len) {
    return new MaintenanceWindows.Window(d, LocalTime.of(h, m), len);
  }

  private static Instant t(String s) {
    return Instant.parse(s);
  }

  @Test
  void aWindowCoversStartUpToButNotIncludingItsEnd() {
    // 2024-06-03 is a Monday
    MaintenanceWindows ws = windows(UTC, w(DayOfWeek.MONDAY, 14, 30, 120));
    assertFalse(ws.contains(t("2024-06-03T14:29:59Z")));
    assertTrue(ws.contains(t("2024-06-03T14:30:00Z")));
    assertTrue(ws.contains(t("2024-06-03T16:29:59Z")));
    assertFalse(ws.contains(t("2024-06-03T16:30:00Z")));
    assertFalse(ws.contains(t("2024-06-04T15:00:00Z")), "Tuesday");
    assertTrue(ws.contains(t("2024-06-10T15:00:00Z")), "next Monday");
    assertEquals(120, ws.weeklyMinutes());
  }

  @Test
  void windowsCrossDayBoundaries() {
    MaintenanceWindows ws = windows(UTC, w(DayOfWeek.SATURDAY, 23, 30, 60));
    assertTrue(ws.contains(t("2024-06-08T23:45:00Z")), "Saturday");
    assertTrue(ws.contains(t("2024-06-09T00:29:00Z")), "Sunday");
    assertFalse(ws.contains(t("2024-06-09T00:30:00Z")));
  }

  @Test
  void windowsCrossTheWeekBoundary() {
    MaintenanceWindows ws = windows(UTC, w(DayOfWeek.SUNDAY, 23, 45, 60));
    assertFalse(ws.contains(t("2024-06-09T23:44:00Z")));
    assertTrue(ws.contains(t("2024-06-09T23:59:59Z")), "Sunday");
    assertTrue(ws.contains(t("2024-06-10T00:00:00Z")), "Monday");
    assertTrue(ws.contains(t("2024-06-10T00:44:00Z")));
    assertFalse(ws.contains(t("2024-06-10T00:45:00Z")));
    assertEquals(60, ws.weeklyMinutes());
  }

  @Test
  void aWeekLongWindowIsAlwaysOpenAndOverlapsCountOnce() {
    MaintenanceWindows all = windows(UTC, w(DayOfWeek.WEDNESDAY, 12, 0, MaintenanceWindows.WEEK_MINUTES));
    assertTrue(all.contains(t("2024-06-05T11:59:00Z")));
    assertTrue(all.contains(t("2024-06-09T03:00:00Z")));
    assertEquals(MaintenanceWindows.WEEK_MINUTES, all.weeklyMinutes());
    MaintenanceWindows overlapping = windows(UTC, w(DayOfWeek.MONDAY, 1, 0, 60),
        w(DayOfWeek.MONDAY, 1, 30, 60));
    assertEquals(90, overlapping.weeklyMinutes());
  }

  @Test
  void wallClockOfTheConfiguredZone() {
    // Monday 03:00 in Berlin is 01:00Z in summer (CEST) and 02:00Z in winter (CET)
    MaintenanceWindows ws = windows(BERLIN, w(DayOfWeek.MONDAY, 3, 0, 60));
    assertFalse(ws.contains(t("2024-06-03T10:00:00Z")));
    assertTrue(ws.contains(t("2024-06-10T01:00:00Z")));
    assertFalse(ws.contains(t("2024-06-10T02:00:00Z")));
    assertTrue(ws.contains(t("2024-01-08T02:30:00Z")));
    assertEquals(Optional.of(t("2024-06-10T01:00:00Z")), ws.nextOpening(t("2024-06-03T10:00:00Z")));
    assertEquals(Optional.of(t("2024-06-10T01:10:00Z")), ws.nextOpening(t("2024-06-10T01:10:00Z")),
        "inside: now");
  }

  @Test
  void springForwardSkipsOrShrinksWindows() {
    // Berlin, 2024-03-31: 01:59 CET (00:59Z) is followed by 03:00 CEST (01:00Z)
    MaintenanceWindows skipped = windows(BERLIN, w(DayOfWeek.SUNDAY, 2, 0, 60));
    for (Instant i = t("2024-03-30T22:00:00Z"); i.isBefore(t("2024-03-31T04:00:00Z")); i = i.plusSeconds(60)) {
      assertFalse(skipped.contains(i), "02:00-03:00 does not exist that day: " + i);
    }
    assertEquals(Optional.of(t("2024-04-07T00:00:00Z")), skipped.nextOpening(t("2024-03-31T00:00:00Z")),
        "next Sunday 02:00 CEST");

    MaintenanceWindows shrunk = windows(BERLIN, w(DayOfWeek.SUNDAY, 1, 30, 60));
    int open = 0;
    for (Instant i = t("2024-03-30T22:00:00Z"); i.isBefore(t("2024-03-31T04:00:00Z")); i = i.plusSeconds(60)) {
      open += shrunk.contains(i) ? 1 : 0;
    }
    assertEquals(30, open, "01:30-01:59 CET only");
    assertTrue(shrunk.contains(t("2024-03-31T00:30:00Z")));
    assertFalse(shrunk.contains(t("2024-03-31T01:00:00Z")));
  }

  @Test
  void fallBackStretchesWindows() {
    // Berlin, 2024-10-27: 02:00-02:59 happens twice, CEST (00:00Z-00:59Z) then CET (01:00Z-01:59Z)
    MaintenanceWindows ws = windows(BERLIN, w(DayOfWeek.SUNDAY, 2, 0, 60));
    int open = 0;
    for (Instant i = t("2024-10-26T20:00:00Z"); i.isBefore(t("2024-10-27T06:00:00Z")); i = i.plusSeconds(60)) {
      open += ws.contains(i) ? 1 : 0;
    }
    assertEquals(120, open);
    assertTrue(ws.contains(t("2024-10-27T00:30:00Z")));
    assertTrue(ws.contains(t("2024-10-27T01:30:00Z")));
    assertFalse(ws.contains(t("2024-10-27T02:00:00Z")));
  }

  @Test
  void otherZonesAndTheirTransitions() {
    // Toronto, 2024-03-10: 01:59 EST (06:59Z) is followed by 03:00 EDT (07:00Z)
    ZoneId toronto = ZoneId.of("America/Toronto");
    MaintenanceWindows ws = windows(toronto, w(DayOfWeek.SUNDAY, 1, 0, 120));
    assertTrue(ws.contains(t("2024-03-10T06:59:00Z")));
    assertFalse(ws.contains(t("2024-03-10T07:00:00Z")), "03:00 EDT is past the window's wall-clock end");
    // 2024-11-03: 01:30 happens at 05:30Z (EDT) and 06:30Z (EST)
    assertTrue(ws.contains(t("2024-11-03T05:30:00Z")));
    assertTrue(ws.contains(t("2024-11-03T06:30:00Z")));
  }

  @Test
  void noWindowsNeverOpen() {
    MaintenanceWindows none = MaintenanceWindows.of(List.of(), UTC);
    assertFalse(none.contains(t("2024-06-03T10:00:00Z")));
    assertEquals(Optional.empty(), none.nextOpening(t("2024-06-03T10:00:00Z")));
  }

  @Test
  void lengthsOutsideOneMinuteToOneWeekAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> w(DayOfWeek.MONDAY, 0, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> w(DayOfWeek.MONDAY, 0, 0, MaintenanceWindows.WEEK_MINUTES + 1));
  }
}
