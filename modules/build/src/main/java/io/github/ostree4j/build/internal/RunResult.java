package io.github.ostree4j.build.internal;

/** How a RUN step ended: its exit code and the last lines of its combined output. */
public record RunResult(int exitCode, String outputTail) {

  public boolean succeeded() {
    return exitCode == 0;
  }
}
