package io.github.ostree4j.cli;

import io.github.ostree4j.deploy.Deployment;
import io.github.ostree4j.deploy.Node;
import io.github.ostree4j.deploy.Sysroot;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ostree4j rollback}: swap the default and the rollback deployment. */
@Command(name = "rollback", description = "Make the rollback deployment the default (and the default the rollback).")
final class RollbackCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin NodeOptions node;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Sysroot s;
    try {
      s = Node.of(node.sysroot).stateroot(node.os).messages(out::println).rollback();
    } catch (IOException e) {
      throw ActionFailedException.during("rolling back", e);
    }
    Deployment d = s.deployments().get(0);
    out.println("Moving " + d.stateroot() + " " + d.dirName() + " to be first deployment; it boots next.");
    return 0;
  }
}
