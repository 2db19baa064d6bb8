package io.github.ostree4j.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Runs the ostree4j CLI in-process through {@link Main#run(String[], PrintStream, PrintStream)}
 * and captures what it prints, for the integration tests. {@code cat} writes through {@link
 * CatCommand#sink}, which is redirected for the duration of each call.
 */
final class Ostree4j {

  private static final Pattern CHECKSUM = Pattern.compile("[0-9a-f]{64}");

  private Ostree4j() {}

  /** The outcome of one in-process run. */
  record Result(List<String> args, int exitCode, byte[] stdoutBytes, byte[] stderrBytes) {

    String stdout() {
      return new String(stdoutBytes, StandardCharsets.UTF_8);
    }

    String stderr() {
      return new String(stderrBytes, StandardCharsets.UTF_8);
    }

    /** The lines of standard error (without a trailing empty line). */
    List<String> stderrLines() {
      String s = stderr();
      if (s.isEmpty()) {
        return List.of();
      }
      List<String> lines = new ArrayList<>(Arrays.asList(s.split("\n", -1)));
      if (lines.get(lines.size() - 1).isEmpty()) {
        lines.remove(lines.size() - 1);
      }
      return lines;
    }

    Result checkSuccess() {
      if (exitCode != 0) {
        throw new AssertionError("ostree4j " + String.join(" ", args) + " failed with exit code "
            + exitCode + "\n--- stderr ---\n" + stderr());
      }
      return this;
    }

    @Override
    public String toString() {
      return "ostree4j " + String.join(" ", args) + " -> exit " + exitCode + ", stderr: " + stderr();
    }
  }

  /** Runs {@code ostree4j ARGS...} whatever the outcome. */
  static synchronized Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    OutputStream savedSink = CatCommand.sink;
    CatCommand.sink = out;
    int rc;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      rc = Main.run(args.clone(), o, e);
      o.flush();
      e.flush();
    } finally {
      CatCommand.sink = savedSink;
    }
    return new Result(List.of(args), rc, out.toByteArray(), err.toByteArray());
  }

  /** Runs {@code ostree4j ARGS...} and insists on success. */
  static Result ok(String... args) {
    return run(args).checkSuccess();
  }

  /** Runs {@code ostree4j ARGS...} and insists on success. */
  static Result ok(List<String> args) {
    return ok(args.toArray(String[]::new));
  }

  /** {@code ostree4j init --repo=REPO --mode=MODE}. */
  static void init(Path repo, String mode) {
    ok("init", "--repo=" + repo, "--mode=" + mode);
  }

  /**
   * {@code ostree4j commit --repo=REPO OPTIONS... [TREE]}; returns the printed commit checksum.
   */
  static String commit(Path repo, List<String> options, Path treeOrNull) {
    List<String> args = new ArrayList<>();
    args.add("commit");
    args.add("--repo=" + repo);
    args.addAll(options);
    if (treeOrNull != null) {
      args.add(treeOrNull.toString());
    }
    Result r = ok(args);
    String last = r.stdout().strip();
    if (!CHECKSUM.matcher(last).matches()) {
      throw new AssertionError("ostree4j commit printed no checksum: " + r + "\n" + r.stdout());
    }
    return last;
  }
}
