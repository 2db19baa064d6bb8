package io.github.ostree4j.build.internal.instructions;

import io.github.ostree4j.build.ContainerfileException;
import io.github.ostree4j.build.Instruction;
import io.github.ostree4j.build.internal.syntax.SyntaxNode;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns one {@link SyntaxNode} into its typed {@link Instruction} (BuildKit's
 * {@code ParseInstruction}), dispatching on the keyword.
 */
public final class InstructionParser {

  /** Go's {@code (?i)^\s*ONBUILD\s*}. */
  private static final Pattern ONBUILD_PREFIX =
      Pattern.compile("^[\\t\\n\\f\\r ]*ONBUILD[\\t\\n\\f\\r ]*", Pattern.CASE_INSENSITIVE);

  private InstructionParser() {}

  /**
   * @param file the Containerfile name, for locations and errors
   * @param node the syntax node
   * @throws ContainerfileException for anything BuildKit would reject before building
   */
  public static Instruction parse(String file, SyntaxNode node) throws ContainerfileException {
    return parse(new NodeContext(file, node, node.heredocs()));
  }

  private static Instruction parse(NodeContext ctx) throws ContainerfileException {
    switch (ctx.node().command()) {
      case "from":
        return StageInstructions.from(ctx);
      case "arg":
        return KeyValueInstructions.arg(ctx);
      case "env":
        return KeyValueInstructions.env(ctx);
      case "label":
        return KeyValueInstructions.label(ctx);
      case "run":
        return CommandInstructions.run(ctx);
      case "cmd":
        return CommandInstructions.cmd(ctx);
      case "entrypoint":
        return CommandInstructions.entrypoint(ctx);
      case "shell":
        return CommandInstructions.shell(ctx);
      case "healthcheck":
        return HealthcheckInstruction.parse(ctx);
      case "copy":
        return CopyInstructions.copy(ctx);
      case "add":
        return CopyInstructions.add(ctx);
      case "workdir":
        return StageInstructions.workdir(ctx);
      case "user":
        return StageInstructions.user(ctx);
      case "expose":
        return StageInstructions.expose(ctx);
      case "volume":
        return StageInstructions.volume(ctx);
      case "stopsignal":
        return StageInstructions.stopSignal(ctx);
      case "maintainer":
        return StageInstructions.maintainer(ctx);
      case "onbuild":
        return onbuild(ctx);
      default:
        throw ctx.atKeyword("unknown instruction: " + ctx.node().keyword());
    }
  }

  private static Instruction onbuild(NodeContext ctx) throws ContainerfileException {
    SyntaxNode child = ctx.node().child();
    if (child == null) {
      throw ctx.atKeyword("ONBUILD requires at least one argument");
    }
    new BuilderFlags().parse(ctx);
    String trigger = child.keyword().toUpperCase(Locale.ROOT);
    switch (trigger) {
      case "ONBUILD" -> throw ctx.at(child.keywordOffset(),
          "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
      case "MAINTAINER", "FROM" -> throw ctx.at(child.keywordOffset(),
          trigger + " isn't allowed as an ONBUILD trigger");
      default -> { }
    }
    List<SyntaxNode.HeredocBody> heredocs = ctx.heredocs();
    SyntaxNode childWithText = new SyntaxNode(child.keyword(), child.flags(), child.args(),
        child.child(), child.json(), heredocs, ctx.node().argsText(), child.startLine(),
        child.endLine(), child.positions(), child.keywordOffset(), child.argsOffset(),
        child.argsText());
    Instruction parsed = parse(new NodeContext(ctx.file(), childWithText, heredocs));
    StringBuilder text =
        new StringBuilder(ONBUILD_PREFIX.matcher(ctx.node().original()).replaceFirst(""));
    for (SyntaxNode.HeredocBody h : heredocs) {
      text.append('\n').append(h.content()).append(h.name());
    }
    return new Instruction.Onbuild(ctx.location(), ctx.node().original(), parsed,
        text.toString());
  }
}
