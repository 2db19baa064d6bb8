package io.github.ostree4j.cli;

import io.github.ostree4j.deploy.Deployer;
import io.github.ostree4j.deploy.Deployment;
import io.github.ostree4j.deploy.Sysroot;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ostree4j admin …}: sysroot administration, like {@code ostree admin}. */
@Command(name = "admin", description = "Create sysroots and stateroots, remove deployments.",
    subcommands = {
      AdminCommand.InitFs.class,
      AdminCommand.OsInit.class,
      AdminCommand.Undeploy.class
    })
final class AdminCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(),
        "missing subcommand; see 'ostree4j admin --help'");
  }

  /** {@code init-fs DIR}. */
  @Command(name = "init-fs", description = "Create a sysroot skeleton with a bare repository at ostree/repo.")
  static final class InitFs implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "The sysroot directory (created if missing).")
    Path dir;

    @Override
    public Integer call() throws Exception {
      try {
        Sysroot.initFs(dir);
      } catch (IOException e) {
        throw ActionFailedException.during("initializing sysroot " + dir, e);
      }
      return 0;
    }
  }

  /** {@code os-init [--sysroot=DIR] NAME}. */
  @Command(name = "os-init", description = "Create a stateroot (ostree/deploy/NAME with its var).")
  static final class OsInit implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--sysroot", paramLabel = "DIR", defaultValue = "/", description = "The sysroot (default /).")
    Path sysroot;

    @Parameters(index = "0", paramLabel = "NAME", description = "The stateroot name.")
    String name;

    @Override
    public Integer call() throws Exception {
      try {
        Sysroot.open(sysroot).osInit(name);
      } catch (IOException e) {
        throw ActionFailedException.during("initializing stateroot " + name, e);
      }
      spec.commandLine().getOut().println("ostree/deploy/" + name + " initialized as OSTree root");
      return 0;
    }
  }

  /** {@code undeploy [--sysroot=DIR] INDEX}. */
  @Command(name = "undeploy", description = "Remove the deployment at INDEX (as listed by status).")
  static final class Undeploy implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin NodeOptions node;

    @Parameters(index = "0", paramLabel = "INDEX", description = "The deployment's index, 0 being the default.")
    int index;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      try {
        Deployment d = new Deployer(Sysroot.open(node.sysroot)).messages(out::println).undeploy(index);
        if (node.os != null && !d.stateroot().equals(node.os)) {
          out.println("note: the deployment was of stateroot " + d.stateroot());
        }
      } catch (IOException e) {
        throw ActionFailedException.during("undeploying " + index, e);
      }
      return 0;
    }
  }
}
