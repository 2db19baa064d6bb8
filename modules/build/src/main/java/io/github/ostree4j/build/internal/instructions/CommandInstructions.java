package io.github.ostree4j.build.internal.instructions;

import io.github.ostree4j.build.CommandLine;
import io.github.ostree4j.build.ContainerfileException;
import io.github.ostree4j.build.Heredoc;
import io.github.ostree4j.build.Instruction;
import io.github.ostree4j.build.RunMount;
import io.github.ostree4j.build.internal.syntax.SyntaxNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** RUN, CMD, ENTRYPOINT and SHELL: exec form (JSON) or shell form. */
final class CommandInstructions {

  private static final Set<String> NETWORKS = Set.of("default", "none", "host");
  private static final Set<String> SECURITY = Set.of("sandbox", "insecure");

  private CommandInstructions() {}

  /** Exec form for a JSON array, else the shell form text (the whole argument text). */
  static CommandLine commandLine(List<String> args, boolean json) {
    return json ? CommandLine.exec(args) : CommandLine.shell(String.join(" ", args));
  }

  static Instruction.Run run(NodeContext ctx) throws ContainerfileException {
    BuilderFlags.Values flags = new BuilderFlags().strings("mount").string("network")
        .string("security").parse(ctx);
    if (ctx.args().isEmpty()) {
      throw ctx.atKeyword("RUN requires at least one argument");
    }
    List<RunMount> mounts = new ArrayList<>();
    List<String> mountValues = flags.all("mount");
    for (int i = 0; i < mountValues.size(); i++) {
      try {
        mounts.add(RunMountParser.parse(mountValues.get(i)));
      } catch (RunMountParser.MountException e) {
        throw ctx.at(BuilderFlags.offsetOf(ctx, "mount", i), "--mount: " + e.getMessage());
      }
    }
    Optional<String> network = flags.get("network");
    if (network.isPresent() && !NETWORKS.contains(network.get())) {
      throw ctx.at(BuilderFlags.offsetOf(ctx, "network", 0),
          "unsupported network mode \"" + network.get() + "\" (default, none or host)");
    }
    Optional<String> security = flags.get("security");
    if (security.isPresent() && !SECURITY.contains(security.get())) {
      throw ctx.at(BuilderFlags.offsetOf(ctx, "security", 0),
          "unsupported security mode \"" + security.get() + "\" (sandbox or insecure)");
    }
    List<Heredoc> heredocs = new ArrayList<>();
    for (SyntaxNode.HeredocBody h : ctx.heredocs()) {
      heredocs.add(new Heredoc(h.name(), h.effectiveContent(), h.expand(), h.chomp(), h.fd()));
    }
    return new Instruction.Run(ctx.location(), ctx.node().original(),
        commandLine(ctx.args(), ctx.node().json()), mounts, network, security, heredocs);
  }

  static Instruction.Cmd cmd(NodeContext ctx) throws ContainerfileException {
    new BuilderFlags().parse(ctx);
    return new Instruction.Cmd(ctx.location(), ctx.node().original(),
        commandLine(ctx.args(), ctx.node().json()));
  }

  static Instruction.Entrypoint entrypoint(NodeContext ctx) throws ContainerfileException {
    new BuilderFlags().parse(ctx);
    return new Instruction.Entrypoint(ctx.location(), ctx.node().original(),
        commandLine(ctx.args(), ctx.node().json()));
  }

  static Instruction.Shell shell(NodeContext ctx) throws ContainerfileException {
    new BuilderFlags().parse(ctx);
    if (ctx.args().isEmpty()) {
      throw ctx.atKeyword("SHELL requires at least one argument");
    }
    if (!ctx.node().json()) {
      throw ctx.atArgs("SHELL requires the arguments to be in JSON form");
    }
    return new Instruction.Shell(ctx.location(), ctx.node().original(), ctx.args());
  }
}
