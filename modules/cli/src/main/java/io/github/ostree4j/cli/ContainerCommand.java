package io.github.ostree4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ostree4j container …}: ostree native container images, like {@code ostree container}. */
@Command(name = "container", description = "Encapsulate commits as container images and import them.",
    subcommands = {
      ContainerEncapsulateCommand.class,
      ContainerUnencapsulateCommand.class,
      ContainerImageCommand.class,
      ContainerCommitCommand.class,
      ContainerLintCommand.class
    })
final class ContainerCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(),
        "missing subcommand; see 'ostree4j container --help'");
  }
}
