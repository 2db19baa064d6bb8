package io.github.ostree4j.build.internal.instructions;

import io.github.ostree4j.build.ContainerfileException;
import io.github.ostree4j.build.Instruction;
import io.github.ostree4j.build.KeyValue;
import java.util.ArrayList;
import java.util.List;

/** ENV, LABEL (key/value/separator triples from the syntax level) and ARG (names with defaults). */
final class KeyValueInstructions {

  private KeyValueInstructions() {}

  static Instruction.Env env(NodeContext ctx) throws ContainerfileException {
    return new Instruction.Env(ctx.location(), ctx.node().original(), pairs(ctx));
  }

  static Instruction.Label label(NodeContext ctx) throws ContainerfileException {
    return new Instruction.Label(ctx.location(), ctx.node().original(), pairs(ctx));
  }

  private static List<KeyValue> pairs(NodeContext ctx) throws ContainerfileException {
    new BuilderFlags().parse(ctx);
    List<String> args = ctx.args();
    if (args.isEmpty()) {
      throw ctx.atKeyword(ctx.name() + " requires at least one argument");
    }
    if (args.size() % 3 != 0) {
      throw ctx.atArgs(ctx.name() + " has too many arguments");
    }
    List<KeyValue> out = new ArrayList<>();
    for (int i = 0; i < args.size(); i += 3) {
      if (args.get(i).isEmpty()) {
        throw ctx.atArgs(ctx.name() + " names can not be blank");
      }
      out.add(new KeyValue(args.get(i), args.get(i + 1), args.get(i + 2).isEmpty()));
    }
    return out;
  }

  /** ARG: each word is {@code name} (no default; value null) or {@code name=default}. */
  static Instruction.Arg arg(NodeContext ctx) throws ContainerfileException {
    new BuilderFlags().parse(ctx);
    if (ctx.args().isEmpty()) {
      throw ctx.atKeyword("ARG requires at least one argument");
    }
    List<KeyValue> out = new ArrayList<>();
    for (String word : ctx.args()) {
      int eq = word.indexOf('=');
      if (eq == 0) {
        throw ctx.atArg(word, "ARG names can not be blank");
      }
      out.add(eq < 0 ? new KeyValue(word, null, false)
          : new KeyValue(word.substring(0, eq), word.substring(eq + 1), false));
    }
    return new Instruction.Arg(ctx.location(), ctx.node().original(), out);
  }
}
