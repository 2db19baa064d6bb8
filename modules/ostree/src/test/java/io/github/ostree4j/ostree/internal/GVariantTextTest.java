package io.github.ostree4j.ostree.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.ostree4j.ostree.gvariant.Variant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** GVariant text parsing and unannotated printing, as GLib does them. */
class GVariantTextTest {

  private static String roundTrip(String text) {
    Variant v = GVariantText.parse(text);
    return v.type().signature() + " " + v.print();
  }

  @Test
  void parsesCommonForms() {
    assertEquals("s 'bar'", roundTrip("'bar'"));
    assertEquals("s \"it's\"", roundTrip("\"it's\""));
    assertEquals("u uint32 5", roundTrip("uint32 5"));
    assertEquals("i 5", roundTrip("5"));
    assertEquals("i -7", roundTrip("-7"));
    assertEquals("t uint64 18446744073709551615", roundTrip("uint64 18446744073709551615"));
    assertEquals("t uint64 10", roundTrip("@t 10"));
    assertEquals("d 1.5", roundTrip("1.5"));
    assertEquals("b true", roundTrip("true"));
    assertEquals("as ['a', 'b']", roundTrip("['a', 'b']"));
    assertEquals("au [uint32 1, 2]", roundTrip("[uint32 1, 2]"));
    assertEquals("as @as []", roundTrip("@as []"));
    assertEquals("a{sv} {'k': <1>}", roundTrip("{'k': <1>}"));
    assertEquals("(si) ('x', 2)", roundTrip("('x', 2)"));
    assertEquals("v <'boxed'>", roundTrip("<'boxed'>"));
    assertEquals("ay b'abc'", roundTrip("b'abc'"));
    assertEquals("ay [byte 0x01, 0x02]", roundTrip("[byte 1, 2]"));
    assertEquals("mi @mi 3", roundTrip("just 3"));
  }

  @Test
  void rejectsBadInput() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GVariantText.parse("bar"));
    assertEquals("0-3: unknown keyword", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> GVariantText.parse("'open"));
    assertThrows(IllegalArgumentException.class, () -> GVariantText.parse("[]"));
    assertThrows(IllegalArgumentException.class, () -> GVariantText.parse("byte 300"));
    assertThrows(IllegalArgumentException.class, () -> GVariantText.parse("1 2"));
    assertThrows(IllegalArgumentException.class, () -> GVariantText.parse("[1, 'a']"));
  }

  @Test
  void printsWithoutTopLevelAnnotations() {
    assertEquals("5", GVariantText.printPlain(GVariantText.parse("uint32 5")));
    assertEquals("[1, 2]", GVariantText.printPlain(GVariantText.parse("[uint32 1, 2]")));
    assertEquals("[]", GVariantText.printPlain(GVariantText.parse("@as []")));
    assertEquals("[0x01, 0x02]", GVariantText.printPlain(GVariantText.parse("[byte 1, 2]")));
    assertEquals("{'k': <uint32 1>}", GVariantText.printPlain(GVariantText.parse("{'k': <uint32 1>}")));
    assertEquals("('a',)", GVariantText.printPlain(GVariantText.parse("('a',)")));
    assertEquals("'x'", GVariantText.printPlain(GVariantText.parse("'x'")));
  }

  @Test
  void formats() {
    assertEquals("0 bytes", Formats.formatSize(0));
    assertEquals("999 bytes", Formats.formatSize(999));
    assertEquals("1.0\u00a0kB", Formats.formatSize(1000));
    assertEquals("209.7\u00a0MB", Formats.formatSize(209_715_200));
    assertEquals("2020-01-01T00:00:00+00", Formats.iso8601(1577836800L, ZoneOffset.UTC));
    assertEquals("2020-01-01T05:30:00+05:30", Formats.iso8601(1577836800L, ZoneOffset.ofHoursMinutes(5, 30)));
    assertEquals("2019-12-31T17:00:00-07", Formats.iso8601(1577836800L, ZoneOffset.ofHours(-7)));
  }
}
