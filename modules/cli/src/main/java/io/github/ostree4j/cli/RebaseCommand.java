package io.github.ostree4j.cli;

import io.github.ostree4j.deploy.Node;
import io.github.ostree4j.deploy.UpdateResult;
import io.github.ostree4j.transport.OstreeImageReference;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code ostree4j rebase|switch IMAGE}: deploy an image as the new default (rpm-ostree rebase, bootc switch). */
@Command(name = "rebase", aliases = "switch",
    description = "Pull an image into the sysroot and deploy it as the new default; later upgrades follow it.")
final class RebaseCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin NodeOptions node;
  @Mixin RegistryOptions registry;

  @Parameters(index = "0", paramLabel = "IMAGE",
      description = "ostree-unverified-registry:NAME, ostree-unverified-image:TRANSPORT:NAME, ostree-image-signed:TRANSPORT:NAME, ostree-remote-image:REMOTE:TRANSPORT:NAME, docker://NAME, oci:DIR[:TAG], oci-archive:FILE[:TAG]")
  String image;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    OstreeImageReference ref = NodeOptions.image(image);
    UpdateResult r;
    try {
      r = Node.of(node.sysroot).stateroot(node.os).transport(registry.nodeOptions())
          .messages(out::println).rebase(ref);
    } catch (IOException e) {
      throw ActionFailedException.during("rebasing", e);
    }
    UpgradeCommand.printDeployed(out, r);
    return 0;
  }
}
