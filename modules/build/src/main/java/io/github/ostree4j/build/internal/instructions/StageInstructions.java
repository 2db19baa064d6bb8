package io.github.ostree4j.build.internal.instructions;

import io.github.ostree4j.build.ContainerfileException;
import io.github.ostree4j.build.Instruction;
import io.github.ostree4j.build.internal.shell.GoQuote;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * FROM and the instructions that set one image property from plain arguments: WORKDIR, USER,
 * EXPOSE, VOLUME, STOPSIGNAL, MAINTAINER.
 */
final class StageInstructions {

  private static final Pattern STAGE_NAME = Pattern.compile("^[a-z][a-z0-9-_.]*$");

  private StageInstructions() {}

  static Instruction.From from(NodeContext ctx) throws ContainerfileException {
    List<String> args = ctx.args();
    Optional<String> stageName = Optional.empty();
    if (args.size() == 3 && args.get(1).equalsIgnoreCase("as")) {
      String name = args.get(2).toLowerCase(Locale.ROOT);
      if (!STAGE_NAME.matcher(name).matches()) {
        int asAt = ctx.node().find(args.get(1), ctx.node().argsOffset() + args.get(0).length());
        throw ctx.at(ctx.node().find(args.get(2), asAt + 2), "invalid name for build stage: "
            + quote(args.get(2)) + ", name can't start with a number or contain symbols");
      }
      stageName = Optional.of(name);
    } else if (args.size() != 1) {
      throw args.isEmpty() ? ctx.atKeyword("FROM requires either one or three arguments")
          : ctx.atArgs("FROM requires either one or three arguments");
    }
    BuilderFlags.Values flags = new BuilderFlags().string("platform").parse(ctx);
    return new Instruction.From(ctx.location(), ctx.node().original(), args.get(0),
        flags.get("platform"), stageName);
  }

  static Instruction.Workdir workdir(NodeContext ctx) throws ContainerfileException {
    return new Instruction.Workdir(ctx.location(), ctx.node().original(), exactlyOne(ctx));
  }

  static Instruction.User user(NodeContext ctx) throws ContainerfileException {
    return new Instruction.User(ctx.location(), ctx.node().original(), exactlyOne(ctx));
  }

  static Instruction.StopSignal stopSignal(NodeContext ctx) throws ContainerfileException {
    return new Instruction.StopSignal(ctx.location(), ctx.node().original(), exactlyOne(ctx));
  }

  static Instruction.Maintainer maintainer(NodeContext ctx) throws ContainerfileException {
    return new Instruction.Maintainer(ctx.location(), ctx.node().original(), exactlyOne(ctx));
  }

  static Instruction.Expose expose(NodeContext ctx) throws ContainerfileException {
    atLeastOne(ctx);
    new BuilderFlags().parse(ctx);
    return new Instruction.Expose(ctx.location(), ctx.node().original(), ctx.args());
  }

  static Instruction.Volume volume(NodeContext ctx) throws ContainerfileException {
    atLeastOne(ctx);
    new BuilderFlags().parse(ctx);
    List<String> paths = new ArrayList<>();
    for (String v : ctx.args()) {
      String trimmed = v.strip();
      if (trimmed.isEmpty()) {
        throw ctx.atArgs("VOLUME specified can not be an empty string");
      }
      paths.add(trimmed);
    }
    return new Instruction.Volume(ctx.location(), ctx.node().original(), paths);
  }

  private static String exactlyOne(NodeContext ctx) throws ContainerfileException {
    if (ctx.args().size() != 1) {
      throw ctx.atKeyword(ctx.name() + " requires exactly one argument");
    }
    new BuilderFlags().parse(ctx);
    return ctx.args().get(0);
  }

  static void atLeastOne(NodeContext ctx) throws ContainerfileException {
    if (ctx.args().isEmpty()) {
      throw ctx.atKeyword(ctx.name() + " requires at least one argument");
    }
  }

  static String quote(String s) {
    return GoQuote.quote(s);
  }
}
