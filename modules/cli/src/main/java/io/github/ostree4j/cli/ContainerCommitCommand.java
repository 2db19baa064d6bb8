package io.github.ostree4j.cli;

import io.github.ostree4j.container.ContainerCommit;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ostree4j container commit}: clean up at the end of a RUN in an ostree container build. */
@Command(name = "commit", description = "Clean up /run, /tmp, /var/tmp and /var/cache at the end of a container build step.")
final class ContainerCommitCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--root", paramLabel = "DIR", defaultValue = "/", description = "The container root (default /).")
  Path root;

  @Override
  public Integer call() throws Exception {
    long n = new ContainerCommit(root, System.getenv()).run();
    spec.commandLine().getOut().println("Removed " + n + " entries");
    return 0;
  }
}
