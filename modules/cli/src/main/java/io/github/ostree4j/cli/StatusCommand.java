package io.github.ostree4j.cli;

import io.github.ostree4j.deploy.HostStatus;
import io.github.ostree4j.deploy.Node;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ostree4j status [--json]}: deployments, like rpm-ostree status / bootc status. */
@Command(name = "status", description = "Show the deployments: image, digest, version, commit.")
final class StatusCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin NodeOptions node;

  @Option(names = "--json", description = "Print the status as JSON in the shape of 'bootc status --format=json'.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    HostStatus st;
    try {
      st = Node.of(node.sysroot).stateroot(node.os).status();
    } catch (IOException e) {
      throw ActionFailedException.during("reading the status of " + node.sysroot, e);
    }
    spec.commandLine().getOut().print(json ? st.toJsonText() : st.toText());
    spec.commandLine().getOut().flush();
    return 0;
  }
}
