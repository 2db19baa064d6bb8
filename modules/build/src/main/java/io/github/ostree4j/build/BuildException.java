package io.github.ostree4j.build;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * A build step that failed: a RUN that exited non-zero, a COPY whose source is missing, a base
 * image that cannot be pulled. The first line of the message is {@code file:line: what failed:
 * why}, e.g. {@code Containerfile:7: RUN failed with exit code 2: make install}; for a RUN, the
 * last lines of its output follow on the next lines ({@link #outputTail()}).
 */
public class BuildException extends Exception {

  private static final long serialVersionUID = 1L;

  private final transient SourceLocation location;
  private final String summary;
  private final int exitCode;
  private final String outputTail;

  /**
   * A failed step other than a RUN exit code.
   *
   * @param location the instruction
   * @param reason what failed and why, without the location
   * @param cause the underlying failure, or null
   */
  public BuildException(SourceLocation location, String reason, Throwable cause) {
    super(location + ": " + reason, cause);
    this.location = Objects.requireNonNull(location, "location");
    this.summary = location + ": " + reason;
    this.exitCode = -1;
    this.outputTail = "";
  }

  /**
   * A RUN that exited non-zero.
   *
   * @param location the instruction
   * @param command the command as written
   * @param exitCode its exit code
   * @param outputTail the last lines of its output (may be empty)
   */
  public BuildException(SourceLocation location, String command, int exitCode, String outputTail) {
    super(runMessage(location, command, exitCode, outputTail));
    this.location = Objects.requireNonNull(location, "location");
    this.summary = firstLine(runMessage(location, command, exitCode, ""));
    this.exitCode = exitCode;
    this.outputTail = outputTail == null ? "" : outputTail.strip();
  }

  private static String runMessage(SourceLocation location, String command, int exitCode,
      String tail) {
    String cmd = command.strip().replace('\n', ' ');
    if (cmd.length() > 200) {
      cmd = cmd.substring(0, 197) + "...";
    }
    String first = location + ": RUN failed with exit code " + exitCode + ": " + cmd;
    String t = tail == null ? "" : tail.strip();
    return t.isEmpty() ? first : first + "\n" + t;
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** @return the instruction that failed */
  public SourceLocation location() {
    return location;
  }

  /** @return the first line of the message: location, what failed and why */
  public String summary() {
    return summary;
  }

  /** @return the RUN's exit code, or empty when the failure was not a RUN's exit code */
  public OptionalInt exitCode() {
    return exitCode < 0 ? OptionalInt.empty() : OptionalInt.of(exitCode);
  }

  /** @return the last lines of the RUN's output, or an empty string */
  public String outputTail() {
    return outputTail;
  }
}
