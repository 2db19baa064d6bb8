package io.github.ostree4j.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class CmdTest {

  @Test
  void capturesExitCodeAndOutput() {
    CmdResult r = Cmd.run(List.of("sh", "-c", "echo out; echo err >&2; exit 3"));
    assertEquals(3, r.exitCode());
    assertFalse(r.success());
    assertEquals("out\n", r.stdout());
    assertEquals("err\n", r.stderr());
    assertEquals(List.of("out"), r.stdoutLines());
  }

  @Test
  void checkSuccessReportsCommandExitCodeAndStderrTail() {
    CmdResult r =
        Cmd.of("sh", "-c", "for i in $(seq 1 100); do echo line$i >&2; done; exit 7").run();
    AssertionError e = assertThrows(AssertionError.class, r::checkSuccess);
    assertTrue(e.getMessage().contains("exit code 7"), e.getMessage());
    assertTrue(e.getMessage().contains("sh -c 'for i in"), e.getMessage());
    assertTrue(e.getMessage().contains("line100"), e.getMessage());
    assertFalse(e.getMessage().contains("line1\n"), "only the tail is shown");
  }

  @Test
  void checkSuccessReturnsResultOnSuccess() {
    CmdResult r = Cmd.of("true").run();
    assertTrue(r == r.checkSuccess());
  }

  @Test
  @Timeout(60)
  void drainsLargeOutputOnBothStreamsWithoutDeadlock() {
    // stderr is filled first: a reader that drained only stdout would block the child forever.
    CmdResult r =
        Cmd.of(
                "sh",
                "-c",
                "head -c 2500000 /dev/zero | tr '\\0' e >&2; head -c 3000000 /dev/zero | tr '\\0' o;"
                    + " head -c 1500000 /dev/zero | tr '\\0' e >&2")
            .run()
            .checkSuccess();
    assertEquals(3_000_000, r.stdoutBytes().length);
    assertEquals(4_000_000, r.stderrBytes().length);
    assertTrue(r.stdout().chars().allMatch(c -> c == 'o'));
    assertTrue(r.stderr().chars().allMatch(c -> c == 'e'));
  }

  @Test
  @Timeout(60)
  void feedsLargeStdinWhileDrainingStdout() {
    byte[] input = new byte[5 * 1024 * 1024 + 17];
    new Random(42).nextBytes(input);
    CmdResult r = Cmd.of("cat").stdin(input).run().checkSuccess();
    assertArrayEquals(input, r.stdoutBytes());
  }

  @Test
  void stdinText() {
    CmdResult r = Cmd.of("wc", "-c").stdin("héllo").run().checkSuccess();
    assertEquals("6", r.stdout().trim());
  }

  @Test
  void noStdinMeansEmptyInput() {
    CmdResult r = Cmd.of("wc", "-c").run().checkSuccess();
    assertEquals("0", r.stdout().trim());
  }

  @Test
  void workingDirectoryAndEnvironment(@TempDir Path dir) {
    Map<String, String> env = new HashMap<>();
    env.put("OSTREE4J_TEST_VAR", "value with space");
    env.put("HOME", null);
    CmdResult r =
        Cmd.run(
                List.of("sh", "-c", "pwd -P; echo \"$OSTREE4J_TEST_VAR\"; echo \"${HOME-unset}\""),
                dir,
                env,
                null)
            .checkSuccess();
    List<String> lines = r.stdoutLines();
    assertEquals(List.of(realPath(dir), "value with space", "unset"), lines);
  }

  @Test
  @Timeout(30)
  void timeoutKillsTheCommand() {
    long start = System.nanoTime();
    AssertionError e =
        assertThrows(
            AssertionError.class,
            () ->
                Cmd.of("sh", "-c", "echo started >&2; sleep 30")
                    .timeout(Duration.ofMillis(300))
                    .run());
    assertTrue(e.getMessage().contains("timed out"), e.getMessage());
    assertTrue(e.getMessage().contains("started"), e.getMessage());
    assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 20);
  }

  @Test
  void missingProgramIsAnIoError() {
    assertThrows(
        UncheckedIOException.class, () -> Cmd.of("/nonexistent/ostree4j-no-such-program").run());
  }

  @Test
  void commandLineIsShellQuoted() {
    CmdResult r = Cmd.of("echo", "a b", "it's", "plain").run();
    assertEquals("echo 'a b' 'it'\\''s' plain", r.commandLine());
  }

  private static String realPath(Path p) {
    try {
      return p.toRealPath().toString();
    } catch (java.io.IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
