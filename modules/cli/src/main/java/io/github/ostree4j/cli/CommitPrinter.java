package io.github.ostree4j.cli;

import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.ostree.Commit;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Prints a commit the way {@code ostree log} and {@code ostree show} do. */
final class CommitPrinter {

  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xx");

  private CommitPrinter() {}

  static void print(PrintWriter out, Checksum checksum, Commit c) {
    out.println("commit " + checksum.hex());
    c.parent().ifPresent(p -> out.println("Parent:  " + p.hex()));
    out.println("ContentChecksum:  " + c.contentChecksum().hex());
    out.println("Date:  " + DATE.format(Instant.ofEpochSecond(c.timestamp()).atOffset(ZoneOffset.UTC)));
    c.version().ifPresent(v -> out.println("Version: " + v));
    if (!c.subject().isEmpty()) {
      out.println();
      indented(out, c.subject());
    } else {
      out.println("(no subject)");
    }
    if (!c.body().isEmpty()) {
      out.println();
      indented(out, c.body());
    }
    out.println();
  }

  /** As ostree's dump_indented_lines: every line indented; a trailing newline adds no line. */
  private static void indented(PrintWriter out, String text) {
    String[] lines = text.split("\n", -1);
    int n = lines.length;
    if (n > 1 && lines[n - 1].isEmpty()) {
      n--;
    }
    for (int i = 0; i < n; i++) {
      out.println("    " + lines[i]);
    }
  }
}
