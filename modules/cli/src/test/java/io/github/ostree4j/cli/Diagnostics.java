package io.github.ostree4j.cli;

import io.github.ostree4j.testing.CmdResult;
import io.github.ostree4j.testing.OstreeCli;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Explains differences between two commits using the real ostree, for failure messages. */
final class Diagnostics {

  private static final int MAX_LINES = 25;

  private Diagnostics() {}

  /**
   * Describes how commit {@code actual} (in {@code actualRepo}) differs from {@code expected}
   * (in {@code expectedRepo}): the {@code ostree ls -R -X -C} lines found in only one of them and
   * both {@code ostree show --raw} outputs.
   */
  static String explain(Path expectedRepo, String expected, Path actualRepo, String actual) {
    StringBuilder sb = new StringBuilder();
    sb.append("commit differs: ostree ").append(expected).append(" vs ostree4j ").append(actual);
    List<String> le = lines(expectedRepo, "ls", "-R", "-X", "-C", expected);
    List<String> la = lines(actualRepo, "ls", "-R", "-X", "-C", actual);
    sb.append(lineDiff(le, la, "ostree ls -R -X -C"));
    sb.append("\n--- ostree show --raw (ostree's commit) ---\n")
        .append(String.join("\n", lines(expectedRepo, "show", "--raw", expected)));
    sb.append("\n--- ostree show --raw (ostree4j's commit) ---\n")
        .append(String.join("\n", lines(actualRepo, "show", "--raw", actual)));
    return sb.toString();
  }

  /** The lines only in {@code expected} ("-") and only in {@code actual} ("+"), capped. */
  static String lineDiff(List<String> expected, List<String> actual, String what) {
    Set<String> a = new LinkedHashSet<>(actual);
    Set<String> e = new LinkedHashSet<>(expected);
    List<String> out = new ArrayList<>();
    for (String l : expected) {
      if (!a.contains(l)) {
        out.add("- " + l);
      }
    }
    for (String l : actual) {
      if (!e.contains(l)) {
        out.add("+ " + l);
      }
    }
    if (out.isEmpty()) {
      if (expected.equals(actual)) {
        return "\n(" + what + ": identical)";
      }
      return "\n(" + what + ": same lines, different order or count; expected " + expected.size()
          + " lines, actual " + actual.size() + ")";
    }
    StringBuilder sb = new StringBuilder("\n--- " + what + ": - only ostree, + only ostree4j ---");
    for (String l : out.subList(0, Math.min(MAX_LINES, out.size()))) {
      sb.append('\n').append(l);
    }
    if (out.size() > MAX_LINES) {
      sb.append("\n... ").append(out.size() - MAX_LINES).append(" more");
    }
    return sb.toString();
  }

  private static List<String> lines(Path repo, String... args) {
    List<String> full = new ArrayList<>();
    full.add("--repo=" + repo);
    full.addAll(List.of(args));
    CmdResult r = OstreeCli.tryRun(full);
    if (!r.success()) {
      return List.of("<ostree failed: " + r.stderrTail(3) + ">");
    }
    return r.stdoutLines();
  }
}
