package io.github.ostree4j.cli;

import io.github.ostree4j.deploy.CleanupResult;
import io.github.ostree4j.deploy.Node;
import io.github.ostree4j.oci.ByteSizes;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ostree4j cleanup}: remove images, layers and objects no deployment needs. */
@Command(name = "cleanup", description = "Remove leftovers, images no deployment uses, their layers and unreachable objects.")
final class CleanupCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin NodeOptions node;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    CleanupResult r;
    try {
      r = Node.of(node.sysroot).stateroot(node.os).cleanup();
    } catch (IOException e) {
      throw ActionFailedException.during("cleaning up " + node.sysroot, e);
    }
    for (String d : r.deployments()) {
      out.println("Deleted " + d);
    }
    for (String i : r.images()) {
      out.println("Removed image " + i);
    }
    out.println("Pruned " + r.objects() + " objects, " + r.layerRefs().size() + " layers; freed "
        + ByteSizes.human(r.freedBytes()));
    return 0;
  }
}
