package io.github.ostree4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BuildCommandTest {

  private static final CommandLine CL = new CommandLine(new BuildCommand());

  @Test
  void tagsWithoutTransportAreLocalLayoutTags() {
    Path root = Path.of("/srv/build");
    assertEquals("oci:/srv/build/images:custom:latest",
        BuildCommand.destination(CL, "custom", root).toString());
    assertEquals("oci:/srv/build/images:localhost:5000/os/custom:1",
        BuildCommand.destination(CL, "localhost:5000/os/custom:1", root).toString());
    assertEquals("oci:/srv/build/images:localhost:5000/os:latest",
        BuildCommand.destination(CL, "localhost:5000/os", root).toString());
    assertEquals("docker://quay.io/x/y:1", BuildCommand.destination(CL, "docker://quay.io/x/y:1", root).toString());
    assertEquals("oci-archive:/tmp/x.tar", BuildCommand.destination(CL, "oci-archive:/tmp/x.tar", root).toString());
  }

  @Test
  void invalidTagsAreUsageErrors() {
    CommandLine.ParameterException e = assertThrows(CommandLine.ParameterException.class,
        () -> BuildCommand.destination(CL, "Bad Name!", Path.of("/r")));
    assertTrue(e.getMessage().startsWith("invalid -t 'Bad Name!'"), e.getMessage());
  }

  @Test
  void usageErrorsExitTwo() {
    Cli.Result r = Cli.run("build", "--compression=none", ".");
    assertEquals(2, r.exitCode(), r.stderr());
    assertTrue(r.stderr().contains("--compression must be gzip or zstd"), r.stderr());
    Cli.Result s = Cli.run("build", "--secret", "nonsense", ".");
    assertEquals(2, s.exitCode(), s.stderr());
    assertTrue(s.stderr().contains("invalid --secret 'nonsense'"), s.stderr());
  }
}
