package io.github.ostree4j.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The outcome of a finished {@link Cmd}: exit code and captured output.
 *
 * <p>Output is kept as bytes; {@link #stdout()} and {@link #stderr()} decode it as UTF-8 (invalid
 * sequences become U+FFFD). Equality compares the byte contents of the outputs.
 *
 * @param command the program and its arguments
 * @param exitCode the exit status (128 + signal number when killed by a signal)
 * @param stdoutBytes everything the command wrote to standard output
 * @param stderrBytes everything the command wrote to standard error
 * @param elapsed wall-clock running time
 */
public record CmdResult(
    List<String> command, int exitCode, byte[] stdoutBytes, byte[] stderrBytes, Duration elapsed) {

  private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

  /**
   * Canonical constructor; copies the command list.
   *
   * @param command the program and its arguments
   * @param exitCode the exit status
   * @param stdoutBytes standard output
   * @param stderrBytes standard error
   * @param elapsed wall-clock running time
   */
  public CmdResult {
    command = List.copyOf(command);
    Objects.requireNonNull(stdoutBytes, "stdoutBytes");
    Objects.requireNonNull(stderrBytes, "stderrBytes");
    Objects.requireNonNull(elapsed, "elapsed");
  }

  /**
   * Returns standard output decoded as UTF-8.
   *
   * @return the text written to standard output
   */
  public String stdout() {
    return new String(stdoutBytes, StandardCharsets.UTF_8);
  }

  /**
   * Returns standard error decoded as UTF-8.
   *
   * @return the text written to standard error
   */
  public String stderr() {
    return new String(stderrBytes, StandardCharsets.UTF_8);
  }

  /**
   * Returns standard output split into lines (without line terminators; no trailing empty line).
   *
   * @return the lines of standard output
   */
  public List<String> stdoutLines() {
    String s = stdout();
    if (s.isEmpty()) {
      return List.of();
    }
    List<String> lines = new ArrayList<>(Arrays.asList(s.split("\r?\n", -1)));
    if (lines.get(lines.size() - 1).isEmpty()) {
      lines.remove(lines.size() - 1);
    }
    return List.copyOf(lines);
  }

  /**
   * Tells whether the command exited with status 0.
   *
   * @return true on success
   */
  public boolean success() {
    return exitCode == 0;
  }

  /**
   * Fails unless the command exited with status 0.
   *
   * @return this, for chaining
   * @throws AssertionError with the command line, the exit code and the tail of standard error
   */
  public CmdResult checkSuccess() {
    if (exitCode != 0) {
      throw new AssertionError(
          "command failed with exit code "
              + exitCode
              + ": "
              + commandLine()
              + "\n--- stderr (tail) ---\n"
              + stderrTail(40));
    }
    return this;
  }

  /**
   * Returns the command as a line that could be pasted into a POSIX shell.
   *
   * @return the quoted command line
   */
  public String commandLine() {
    return quote(command);
  }

  /**
   * Returns the last lines of standard error (at most 8 KiB of them).
   *
   * @param maxLines how many lines to keep at most
   * @return the tail, possibly empty
   */
  public String stderrTail(int maxLines) {
    String s = stderr();
    if (s.length() > 8192) {
      s = "..." + s.substring(s.length() - 8192);
    }
    String[] lines = s.split("\n", -1);
    int end = lines.length;
    if (end > 0 && lines[end - 1].isEmpty()) {
      end--;
    }
    int begin = Math.max(0, end - maxLines);
    return String.join("\n", Arrays.asList(lines).subList(begin, end));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CmdResult r
        && r.exitCode == exitCode
        && r.command.equals(command)
        && Arrays.equals(r.stdoutBytes, stdoutBytes)
        && Arrays.equals(r.stderrBytes, stderrBytes)
        && r.elapsed.equals(elapsed);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        command, exitCode, Arrays.hashCode(stdoutBytes), Arrays.hashCode(stderrBytes), elapsed);
  }

  @Override
  public String toString() {
    return "CmdResult[" + commandLine() + " -> exit " + exitCode + ", stdout " + stdoutBytes.length
        + " bytes, stderr " + stderrBytes.length + " bytes, " + elapsed.toMillis() + " ms]";
  }

  static String quote(List<String> command) {
    return command.stream().map(CmdResult::quoteArg).collect(Collectors.joining(" "));
  }

  private static String quoteArg(String arg) {
    if (!arg.isEmpty() && SHELL_SAFE.matcher(arg).matches()) {
      return arg;
    }
    return "'" + arg.replace("'", "'\\''") + "'";
  }
}
