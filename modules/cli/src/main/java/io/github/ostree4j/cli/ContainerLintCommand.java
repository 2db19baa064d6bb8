package io.github.ostree4j.cli;

import io.github.ostree4j.container.ContainerLint;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ostree4j container lint [ROOTFS]}: check a bootable container root filesystem. */
@Command(name = "lint", description = "Check a container root filesystem for problems on nodes (exit 1 on errors).")
final class ContainerLintCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "ROOTFS", defaultValue = "/", description = "The root filesystem (default /).")
  Path root;

  @Option(names = "--fatal-warnings", description = "Exit 1 on warnings too.")
  boolean fatalWarnings;

  @Override
  public Integer call() throws Exception {
    List<ContainerLint.Finding> findings;
    try {
      findings = ContainerLint.check(root);
    } catch (java.io.IOException e) {
      throw ActionFailedException.during("checking " + root, e);
    }
    boolean fail = false;
    for (ContainerLint.Finding f : findings) {
      spec.commandLine().getOut().println(f);
      fail |= f.level() == ContainerLint.Level.ERROR || fatalWarnings;
    }
    if (findings.isEmpty()) {
      spec.commandLine().getOut().println("Checks passed.");
    }
    return fail ? 1 : 0;
  }
}
