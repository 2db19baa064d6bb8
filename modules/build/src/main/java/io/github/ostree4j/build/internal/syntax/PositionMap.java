package io.github.ostree4j.build.internal.syntax;

import java.util.ArrayList;
import java.util.List;

/**
 * Maps character offsets in a logical line (physical lines joined by continuations) back to the
 * physical line and column they came from.
 */
public final class PositionMap {

  /** One piece of the logical line: where it starts there and where it came from. */
  private record Segment(int offset, int line, int column) {}

  private final List<Segment> segments = new ArrayList<>();

  /** Records that the text appended at {@code offset} starts at {@code line}:{@code column}. */
  void add(int offset, int line, int column) {
    segments.add(new Segment(offset, line, column));
  }

  private Segment segment(int offset) {
    Segment found = segments.get(0);
    for (Segment s : segments) {
      if (s.offset() > offset) {
        break;
      }
      found = s;
    }
    return found;
  }

  /** The 1-based physical line of the character at {@code offset}. */
  public int line(int offset) {
    return segment(offset).line();
  }

  /** The 1-based column of the character at {@code offset}. */
  public int column(int offset) {
    Segment s = segment(offset);
    return s.column() + Math.max(0, offset - s.offset());
  }
}
