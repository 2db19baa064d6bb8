package io.github.ostree4j.build.internal;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one container with {@code runc --root STATE run --bundle BUNDLE ID}: standard input from
 * {@code /dev/null}, standard output and error combined and streamed to the caller while the
 * last lines are kept. Whatever happens (failure, timeout, interrupt) the container is gone
 * afterwards: {@code runc run} removes it when its process ends, and otherwise
 * {@code runc delete --force} kills and removes it (killing the container's init kills every
 * process in its PID namespace).
 */
final class RuncRunner {

  static final int TAIL_LINES = 20;
  private static final Duration DRAIN = Duration.ofSeconds(10);

  private final Path runc;
  private final Path stateRoot;

  RuncRunner(Path runc, Path stateRoot) {
    this.runc = runc;
    this.stateRoot = stateRoot;
  }

  /**
   * Runs the bundle's container to its end.
   *
   * @param timeout null for no limit
   * @throws InterruptedIOException when the thread is interrupted (the container is removed)
   * @throws IOException when runc cannot be started, the timeout passes or {@code output} fails
   */
  RunResult run(Path bundle, String id, OutputStream output, Duration timeout) throws IOException {
    Files.createDirectories(stateRoot);
    ProcessBuilder pb = new ProcessBuilder(runc.toString(), "--root", stateRoot.toString(), "run", "--bundle",
        bundle.toString(), id)
        .redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    LiveResources.Container container = new LiveResources.Container(runc, stateRoot, id);
    LiveResources.started(container);
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      LiveResources.removed(container);
      throw new IOException("starting runc: " + e.getMessage(), e);
    }
    OutputTail tail = new OutputTail(TAIL_LINES, 4096);
    Pump pump = new Pump(process.getInputStream(), output, tail);
    pump.start();
    boolean finished = false;
    IOException failure = null;
    try {
      if (timeout == null) {
        process.waitFor();
      } else if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        throw new IOException("the command did not finish within " + timeout.toSeconds() + " s and was killed"
            + lastLine(tail));
      }
      pump.join(DRAIN.toMillis());
      finished = true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure = new InterruptedIOException("interrupted while running a RUN command; its container was removed");
    } catch (IOException e) {
      failure = e;
    }
    boolean interrupted = Thread.interrupted();
    try {
      removeContainer(id, process, !finished);
      pump.close();
    } catch (IOException e) {
      if (failure == null) {
        failure = e;
      } else {
        failure.addSuppressed(e);
      }
    } finally {
      LiveResources.removed(container);
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    if (failure != null) {
      throw failure;
    }
    if (pump.failure != null) {
      throw new IOException("writing the output of a RUN command: " + pump.failure.getMessage(), pump.failure);
    }
    return new RunResult(process.exitValue(), tail.text());
  }

  private void removeContainer(String id, Process process, boolean force) throws IOException {
    if (force || Files.exists(stateRoot.resolve(id))) {
      HostCommand.Result r = HostCommand.run(
          List.of(runc.toString(), "--root", stateRoot.toString(), "delete", "--force", id), null);
      if (r.exitCode() != 0 && Files.exists(stateRoot.resolve(id))) {
        throw new IOException("removing container " + id + ": " + r.oneLine());
      }
    }
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static String lastLine(OutputTail tail) {
    String t = tail.text().strip();
    int nl = t.lastIndexOf('\n');
    String last = nl < 0 ? t : t.substring(nl + 1);
    return last.isEmpty() ? "" : " (last output: " + last + ")";
  }

  /** Copies the container's output to the caller's stream and the tail. */
  private static final class Pump extends Thread {

    private final InputStream in;
    private final OutputStream out;
    private final OutputTail tail;
    volatile IOException failure;

    Pump(InputStream in, OutputStream out, OutputTail tail) {
      super("runc-output");
      setDaemon(true);
      this.in = in;
      this.out = out;
      this.tail = tail;
    }

    @Override
    public void run() {
      byte[] buf = new byte[16 * 1024];
      try {
        for (int n; (n = in.read(buf)) >= 0; ) {
          tail.accept(buf, 0, n);
          if (failure == null) {
            try {
              out.write(buf, 0, n);
              out.flush();
            } catch (IOException e) {
              failure = e;
            }
          }
        }
      } catch (IOException e) {
        // the stream was closed after the container ended
      }
    }

    void close() {
      try {
        in.close();
      } catch (IOException e) {
        // nothing to do
      }
      try {
        join(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
