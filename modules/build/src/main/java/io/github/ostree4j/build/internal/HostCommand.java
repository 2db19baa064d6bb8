package io.github.ostree4j.build.internal;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Short-lived helper programs of the host ({@code mount}, {@code umount}, {@code mknod},
 * {@code runc delete}, ...): found on {@code PATH} or in the {@code sbin} directories, run with
 * standard input from {@code /dev/null} and their combined output kept (up to 64 KiB) for the
 * error message.
 */
final class HostCommand {

  private static final List<String> SBIN = List.of("/usr/local/sbin", "/usr/sbin", "/sbin");
  private static final int MAX_OUTPUT = 64 * 1024;
  private static final long TIMEOUT_SECONDS = 120;

  /** How a command ended. */
  record Result(int exitCode, String output) {

    /** The output on one line, for messages. */
    String oneLine() {
      String s = output.strip().replaceAll("\\s*\\n\\s*", "; ");
      return s.isEmpty() ? "exit code " + exitCode : s;
    }
  }

  private HostCommand() {}

  /** The executable named {@code program}, if installed. */
  static Optional<Path> find(String program) {
    List<String> dirs = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      dirs.addAll(List.of(path.split(File.pathSeparator)));
    }
    dirs.addAll(SBIN);
    for (String d : dirs) {
      if (d.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(d, program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate.toAbsolutePath());
      }
    }
    return Optional.empty();
  }

  /**
   * The executable named {@code program}.
   *
   * @throws IOException naming the program when it is not installed
   */
  static Path require(String program, String purpose) throws IOException {
    return find(program).orElseThrow(() -> new IOException(
        program + " is not installed (needed to " + purpose + "); install it and retry"));
  }

  /** Runs a command in {@code dir} (null: the current directory) and waits for it. */
  static Result run(List<String> command, Path dir) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.environment().put("LC_ALL", "C");
    if (dir != null) {
      pb.directory(dir.toFile());
    }
    Process p = pb.start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream in = p.getInputStream()) {
      byte[] buf = new byte[8192];
      for (int n; (n = in.read(buf)) >= 0; ) {
        if (out.size() < MAX_OUTPUT) {
          out.write(buf, 0, Math.min(n, MAX_OUTPUT - out.size()));
        }
      }
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(command.get(0) + " did not finish within " + TIMEOUT_SECONDS + " s");
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while running " + command.get(0));
    }
    return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8));
  }

  /**
   * Runs a command that must succeed.
   *
   * @throws IOException with {@code what} and the command's own message when it fails
   */
  static void check(List<String> command, Path dir, String what) throws IOException {
    Result r = run(command, dir);
    if (r.exitCode() != 0) {
      throw new IOException(what + ": " + r.oneLine());
    }
  }
}
