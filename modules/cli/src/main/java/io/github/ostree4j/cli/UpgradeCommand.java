package io.github.ostree4j.cli;

import io.github.ostree4j.deploy.DeployResult;
import io.github.ostree4j.deploy.Node;
import io.github.ostree4j.deploy.UpdateResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ostree4j upgrade [--check|--download-only]}: follow the deployed image reference.
 *
 * <p>As {@code rpm-ostree upgrade --check}, {@code --check} exits with {@link #EXIT_UNCHANGED}
 * (77) when no update is available and 0 when one is, so scripts can test for an update without
 * reading the output; errors still exit 1.
 */
@Command(name = "upgrade", aliases = "update",
    description = "Deploy what the default deployment's image reference names now, if its digest changed.",
    exitCodeListHeading = "Exit status:%n",
    exitCodeList = {
        " 0:success; with --check: an update is available",
        "77:with --check: no update is available",
        " 1:error",
        " 2:usage error"})
final class UpgradeCommand implements Callable<Integer> {

  /** Exit status of {@code --check} when no update is available, as rpm-ostree's. */
  static final int EXIT_UNCHANGED = 77;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin NodeOptions node;
  @Mixin RegistryOptions registry;

  @Option(names = "--check", description = "Only fetch the manifest and say whether an update is available.")
  boolean check;

  @Option(names = "--download-only", description = "Download the update into the repository without deploying it.")
  boolean downloadOnly;

  @Override
  public Integer call() throws Exception {
    if (check && downloadOnly) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--check and --download-only cannot be used together");
    }
    PrintWriter out = spec.commandLine().getOut();
    Node n = Node.of(node.sysroot).stateroot(node.os).transport(registry.nodeOptions())
        .messages(out::println);
    UpdateResult r;
    try {
      r = check ? n.check() : downloadOnly ? n.download() : n.upgrade();
    } catch (IOException e) {
      throw ActionFailedException.during(check ? "checking for updates"
          : downloadOnly ? "downloading the update" : "upgrading", e);
    }
    printDeployed(out, r);
    return check && r.outcome() == UpdateResult.Outcome.NO_UPDATE ? EXIT_UNCHANGED : 0;
  }

  static void printDeployed(PrintWriter out, UpdateResult r) {
    if (r.deployed().isPresent()) {
      DeployResult d = r.deployed().get();
      out.println("Deployed " + r.image() + " (" + r.digest() + ") as " + d.deployment().stateroot()
          + " " + d.deployment().dirName() + "; it boots next.");
    }
    out.flush();
  }
}
