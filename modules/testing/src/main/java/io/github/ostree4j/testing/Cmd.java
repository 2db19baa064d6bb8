package io.github.ostree4j.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Runs an external command to completion and captures its output.
 *
 * <p>Standard output and standard error are drained concurrently by two threads and standard
 * input is fed by a third, so neither large outputs nor large inputs can deadlock the child. The
 * command is killed (with all its descendants) when it exceeds its timeout, which defaults to
 * {@link #DEFAULT_TIMEOUT}.
 *
 * <pre>{@code
 * CmdResult r = Cmd.of("ostree", "--version").run().checkSuccess();
 * CmdResult s = Cmd.of("sha256sum").stdin("abc").env("LC_ALL", "C").run();
 * }</pre>
 *
 * <p>A {@code Cmd} is a mutable, reusable description; it is not thread-safe. Commands that
 * leave background processes holding the output pipes open make {@link #run()} wait until the
 * timeout; start daemons with {@link ProcessBuilder} instead.
 */
public final class Cmd {

  /** The timeout used when none is given: 10 minutes. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

  private final List<String> command;
  private Path dir;
  private final Map<String, String> env = new LinkedHashMap<>();
  private byte[] stdin;
  private Duration timeout = DEFAULT_TIMEOUT;

  private Cmd(List<String> command) {
    if (command.isEmpty()) {
      throw new IllegalArgumentException("empty command");
    }
    for (String arg : command) {
      Objects.requireNonNull(arg, "command argument");
    }
    this.command = List.copyOf(command);
  }

  /**
   * Starts describing a command.
   *
   * @param command the program and its arguments
   * @return a new description, run it with {@link #run()}
   */
  public static Cmd of(String... command) {
    return new Cmd(List.of(command));
  }

  /**
   * Starts describing a command.
   *
   * @param command the program and its arguments
   * @return a new description, run it with {@link #run()}
   */
  public static Cmd of(List<String> command) {
    return new Cmd(command);
  }

  /**
   * Runs {@code command} in the current directory with the inherited environment, no input and
   * the default timeout.
   *
   * @param command the program and its arguments
   * @return the result, whatever the exit code
   */
  public static CmdResult run(List<String> command) {
    return of(command).run();
  }

  /**
   * Runs {@code command} with the default timeout.
   *
   * @param command the program and its arguments
   * @param dirOrNull working directory, or null for the current one
   * @param envOverrides variables to set (a null value removes the variable); may be empty
   * @param stdinOrNull bytes fed to standard input, or null for an empty input
   * @return the result, whatever the exit code
   */
  public static CmdResult run(
      List<String> command, Path dirOrNull, Map<String, String> envOverrides, byte[] stdinOrNull) {
    return run(command, dirOrNull, envOverrides, stdinOrNull, DEFAULT_TIMEOUT);
  }

  /**
   * Runs {@code command}.
   *
   * @param command the program and its arguments
   * @param dirOrNull working directory, or null for the current one
   * @param envOverrides variables to set (a null value removes the variable); may be empty
   * @param stdinOrNull bytes fed to standard input, or null for an empty input
   * @param timeout how long the command may run before it is killed
   * @return the result, whatever the exit code
   */
  public static CmdResult run(
      List<String> command,
      Path dirOrNull,
      Map<String, String> envOverrides,
      byte[] stdinOrNull,
      Duration timeout) {
    return of(command).dir(dirOrNull).env(envOverrides).stdin(stdinOrNull).timeout(timeout).run();
  }

  /**
   * Sets the working directory.
   *
   * @param dirOrNull the directory, or null for the current directory of the JVM
   * @return this
   */
  public Cmd dir(Path dirOrNull) {
    this.dir = dirOrNull;
    return this;
  }

  /**
   * Overrides one environment variable.
   *
   * @param name the variable name
   * @param valueOrNull its value, or null to remove it from the inherited environment
   * @return this
   */
  public Cmd env(String name, String valueOrNull) {
    env.put(Objects.requireNonNull(name, "name"), valueOrNull);
    return this;
  }

  /**
   * Overrides several environment variables (null values remove variables).
   *
   * @param overrides the variables; may be null or empty
   * @return this
   */
  public Cmd env(Map<String, String> overrides) {
    if (overrides != null) {
      overrides.forEach(this::env);
    }
    return this;
  }

  /**
   * Sets the bytes fed to standard input; by default standard input is empty.
   *
   * @param bytes the input, or null for none
   * @return this
   */
  public Cmd stdin(byte[] bytes) {
    this.stdin = bytes == null ? null : bytes.clone();
    return this;
  }

  /**
   * Sets standard input to the UTF-8 encoding of {@code text}.
   *
   * @param text the input
   * @return this
   */
  public Cmd stdin(String text) {
    this.stdin = text.getBytes(StandardCharsets.UTF_8);
    return this;
  }

  /**
   * Sets the timeout after which the command and its descendants are killed.
   *
   * @param timeout a positive duration
   * @return this
   */
  public Cmd timeout(Duration timeout) {
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    this.timeout = timeout;
    return this;
  }

  /**
   * Runs the command and waits for it to finish.
   *
   * @return the result, whatever the exit code; use {@link CmdResult#checkSuccess()} to insist on
   *     success
   * @throws UncheckedIOException when the program cannot be started
   * @throws AssertionError when the command exceeds its timeout (it is killed first)
   */
  public CmdResult run() {
    ProcessBuilder pb = new ProcessBuilder(command);
    if (dir != null) {
      pb.directory(dir.toFile());
    }
    Map<String, String> environment = pb.environment();
    env.forEach(
        (k, v) -> {
          if (v == null) {
            environment.remove(k);
          } else {
            environment.put(k, v);
          }
        });
    long start = System.nanoTime();
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + CmdResult.quote(command), e);
    }
    Drainer out = new Drainer(process.getInputStream(), "stdout");
    Drainer err = new Drainer(process.getErrorStream(), "stderr");
    Thread feeder = feed(process.getOutputStream(), stdin);
    out.start();
    err.start();
    long deadline = start + timeout.toNanos();
    boolean finished;
    try {
      finished = process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
      if (finished) {
        long left = Math.max(deadline - System.nanoTime(), TimeUnit.SECONDS.toNanos(1));
        out.join(TimeUnit.NANOSECONDS.toMillis(left) + 1);
        err.join(Math.max(TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()), 1000));
        finished = !out.isAlive() && !err.isAlive();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill(process);
      throw new AssertionError("interrupted while running " + CmdResult.quote(command), e);
    }
    if (!finished) {
      kill(process);
      closeQuietly(process.getInputStream());
      closeQuietly(process.getErrorStream());
      joinQuietly(out);
      joinQuietly(err);
      CmdResult partial =
          new CmdResult(command, -1, out.bytes(), err.bytes(), elapsed(start));
      throw new AssertionError(
          "command timed out after "
              + timeout
              + ": "
              + partial.commandLine()
              + "\n--- stderr (tail) ---\n"
              + partial.stderrTail(40));
    }
    joinQuietly(feeder);
    return new CmdResult(command, process.exitValue(), out.bytes(), err.bytes(), elapsed(start));
  }

  /**
   * Returns the command this description runs.
   *
   * @return the program and its arguments (unmodifiable)
   */
  public List<String> command() {
    return command;
  }

  /**
   * Returns the environment overrides set so far.
   *
   * @return an unmodifiable view; null values mean "remove"
   */
  public Map<String, String> envOverrides() {
    return Collections.unmodifiableMap(env);
  }

  @Override
  public String toString() {
    return CmdResult.quote(command);
  }

  private static Duration elapsed(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  private static Thread feed(OutputStream stdinStream, byte[] input) {
    Thread t =
        new Thread(
            () -> {
              try (OutputStream os = stdinStream) {
                if (input != null && input.length > 0) {
                  int off = 0;
                  while (off < input.length) {
                    int n = Math.min(64 * 1024, input.length - off);
                    os.write(input, off, n);
                    off += n;
                  }
                }
              } catch (IOException e) {
                // The child closed its standard input early (e.g. broken pipe): not our concern.
              }
            },
            "cmd-stdin");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static void kill(Process process) {
    List<ProcessHandle> descendants = new ArrayList<>();
    process.descendants().forEach(descendants::add);
    process.destroyForcibly();
    descendants.forEach(ProcessHandle::destroyForcibly);
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException e) {
      // ignored: best effort while giving up on a command
    }
  }

  private static void joinQuietly(Thread t) {
    try {
      t.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Copies one output stream of the child into memory on its own thread. */
  private static final class Drainer extends Thread {
    private final InputStream in;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    Drainer(InputStream in, String name) {
      super("cmd-" + name);
      this.in = in;
      setDaemon(true);
    }

    @Override
    public void run() {
      byte[] chunk = new byte[64 * 1024];
      try (InputStream is = in) {
        int n;
        while ((n = is.read(chunk)) >= 0) {
          synchronized (buffer) {
            buffer.write(chunk, 0, n);
          }
        }
      } catch (IOException e) {
        // stream closed after a timeout; keep what was read
      }
    }

    byte[] bytes() {
      synchronized (buffer) {
        return buffer.toByteArray();
      }
    }
  }
}
