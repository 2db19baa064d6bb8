package io.github.ostree4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs the ostree4j CLI in-process and captures its output, for tests. */
final class Cli {

  /** Exit status and output of one run. */
  record Result(int exitCode, String stdout, String stderr) {

    /** Fails unless the exit code is 0. */
    Result ok() {
      assertEquals(0, exitCode, () -> "ostree4j failed:\nstdout: " + stdout + "\nstderr: " + stderr);
      return this;
    }

    /** The last non-empty line of stdout, trimmed. */
    String lastLine() {
      List<String> lines = stdout.lines().filter(l -> !l.isBlank()).toList();
      return lines.isEmpty() ? "" : lines.get(lines.size() - 1).trim();
    }
  }

  private Cli() {}

  static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      rc = Main.run(args, o, e);
    }
    return new Result(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
