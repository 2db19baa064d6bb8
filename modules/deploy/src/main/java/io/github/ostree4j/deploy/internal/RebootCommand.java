package io.github.ostree4j.deploy.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs the reboot command ({@code systemctl reboot} by default) and tells whether it succeeded:
 * exit status 0 within the time limit. Its output (standard output and error together) is kept up
 * to the last {@value #TAIL} bytes for the log.
 */
public final class RebootCommand {

  /** Bytes of output kept. */
  public static final int TAIL = 2048;

  private RebootCommand() {}

  /**
   * What the command did.
   *
   * @param exitCode its exit status, or -1 when it did not run or was killed
   * @param output the end of its output
   * @param failure why it did not run or was killed, or empty
   */
  public record Result(int exitCode, String output, String failure) {

    /** Whether it exited with status 0. */
    public boolean ok() {
      return exitCode == 0 && failure.isEmpty();
    }
  }

  /**
   * Runs a command.
   *
   * @param command program and arguments
   * @param timeout how long it may run
   * @return what it did
   */
  public static Result run(List<String> command, Duration timeout) {
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    } catch (IOException e) {
      return new Result(-1, "", "cannot run " + command.get(0) + ": "
          + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    }
    AtomicReference<byte[]> tail = new AtomicReference<>(new byte[0]);
    Thread reader = new Thread(() -> tail.set(drain(p.getInputStream())), "reboot-command-output");
    reader.setDaemon(true);
    reader.start();
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        return new Result(-1, text(tail.get()), "still running after " + timeout.toSeconds() + " s; killed");
      }
      reader.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "", "interrupted");
    }
    return new Result(p.exitValue(), text(tail.get()), "");
  }

  private static byte[] drain(InputStream in) {
    byte[] ring = new byte[TAIL];
    long total = 0;
    byte[] buf = new byte[8192];
    try (in) {
      int n;
      while ((n = in.read(buf)) > 0) {
        for (int i = 0; i < n; i++) {
          ring[(int) (total++ % TAIL)] = buf[i];
        }
      }
    } catch (IOException e) {
      // the process went away: keep what was read
    }
    int len = (int) Math.min(total, TAIL);
    byte[] out = new byte[len];
    for (int i = 0; i < len; i++) {
      out[i] = ring[(int) ((total - len + i) % TAIL)];
    }
    return out;
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8).strip();
  }
}
