package io.github.ostree4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ostree4j.testing.Cmd;
import io.github.ostree4j.testing.CmdResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher {@code bin/ostree4j}: the JVM options it adds (compiler directives, class data
 * sharing) never reach the command's standard output, and the directives are in effect.
 */
class LauncherIT {

  static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
  static final Path LAUNCHER = ROOT.resolve("bin/ostree4j");
  static final Path JAR = ROOT.resolve("modules/cli/target/ostree4j.jar");
  static final Pattern DIRECTIVES_FLAG =
      Pattern.compile("(?m)^\\s*ccstr CompilerDirectivesFile\\s*=\\s*(.*?)\\s*\\{");

  @TempDir Path tmp;

  @Test
  void standardOutputHoldsOnlyTheCommandsOutput() throws Exception {
    // the first run of a command records its class data sharing archive, later ones map it
    for (int i = 0; i < 2; i++) {
      CmdResult v = Cmd.of(LAUNCHER.toString(), "--version").run();
      assertEquals(0, v.exitCode(), v::toString);
      assertEquals(1, v.stdoutLines().size(), v::toString);
      assertTrue(v.stdout().startsWith("ostree4j "), v::toString);
      assertEquals("", v.stderr(), v::toString);
    }
    Path repo = tmp.resolve("repo");
    Path tree = Files.createDirectories(tmp.resolve("tree/usr/share"));
    Files.writeString(tree.resolve("hello"), "hello\n");
    Cmd.of(LAUNCHER.toString(), "init", "--repo=" + repo, "--mode=bare-user").run().checkSuccess();
    for (int i = 0; i < 2; i++) {
      CmdResult c = Cmd.of(LAUNCHER.toString(), "commit", "--repo=" + repo, "-b", "t",
          "--timestamp=2020-01-01T00:00:00Z", tmp.resolve("tree").toString()).run();
      assertEquals(0, c.exitCode(), c::toString);
      assertEquals(1, c.stdoutLines().size(), c::toString);
      assertTrue(c.stdoutLines().get(0).matches("[0-9a-f]{64}"), c::toString);
      assertEquals("", c.stderr(), c::toString);
    }
  }

  @Test
  void theCompilerDirectivesAreLoaded() {
    // HotSpot's console output is off in the launcher; turned back on, it shows the flag's value
    // and the directives being added
    CmdResult r = Cmd.of(LAUNCHER.toString(), "--version")
        .env("OSTREE4J_JAVA_OPTS", "-XX:+DisplayVMOutput -XX:+PrintFlagsFinal").run();
    assertEquals(0, r.exitCode(), r::toString);
    var m = DIRECTIVES_FLAG.matcher(r.stdout());
    assertTrue(m.find(), "no CompilerDirectivesFile flag in:\n" + r.stderrTail(5));
    assertEquals(ROOT.resolve("bin/ostree4j.directives.json").toString(), m.group(1));
    assertTrue(r.stdout().contains("compiler directives added"), r::toString);
  }

  @Test
  void withoutTheDirectivesFileTheLauncherRunsWithoutThem() throws Exception {
    Path copy = tmp.resolve("copy with space");
    Files.createDirectories(copy.resolve("bin"));
    Files.createDirectories(copy.resolve("modules/cli/target"));
    Files.copy(LAUNCHER, copy.resolve("bin/ostree4j"));
    Files.createSymbolicLink(copy.resolve("modules/cli/target/ostree4j.jar"), JAR);
    CmdResult plain = Cmd.of(copy.resolve("bin/ostree4j").toString(), "--version").run();
    assertEquals(0, plain.exitCode(), plain::toString);
    assertEquals(List.of(plain.stdoutLines().get(0)), plain.stdoutLines(), plain::toString);
    CmdResult flags = Cmd.of(copy.resolve("bin/ostree4j").toString(), "--version")
        .env("OSTREE4J_JAVA_OPTS", "-XX:+UnlockDiagnosticVMOptions -XX:+PrintFlagsFinal").run();
    assertEquals(0, flags.exitCode(), flags::toString);
    var m = DIRECTIVES_FLAG.matcher(flags.stdout());
    assertTrue(m.find(), flags::toString);
    assertEquals("", m.group(1), "no directives file, no flag");

    // with the file next to it (in a directory whose name has a space) the copy loads it
    Files.copy(ROOT.resolve("bin/ostree4j.directives.json"),
        copy.resolve("bin/ostree4j.directives.json"));
    CmdResult with = Cmd.of(copy.resolve("bin/ostree4j").toString(), "--version")
        .env("OSTREE4J_JAVA_OPTS", "-XX:+DisplayVMOutput -XX:+PrintFlagsFinal").run();
    assertEquals(0, with.exitCode(), with::toString);
    var w = DIRECTIVES_FLAG.matcher(with.stdout());
    assertTrue(w.find(), with::toString);
    assertEquals(copy.resolve("bin/ostree4j.directives.json").toString(), w.group(1));
  }
}
