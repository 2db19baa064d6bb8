package io.github.ostree4j.build.internal.instructions;

import io.github.ostree4j.build.CommandLine;
import io.github.ostree4j.build.ContainerfileException;
import io.github.ostree4j.build.Instruction;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * HEALTHCHECK: {@code NONE}, or {@code CMD} with a command and the duration and retry flags,
 * which are checked here as BuildKit does (Go durations, at least 1ms unless 0; retries a
 * non-negative 32-bit integer).
 */
final class HealthcheckInstruction {

  private static final long MINIMUM_NANOS = 1_000_000L;

  private HealthcheckInstruction() {}

  static Instruction.Healthcheck parse(NodeContext ctx) throws ContainerfileException {
    List<String> args = ctx.args();
    if (args.isEmpty()) {
      throw ctx.atKeyword("HEALTHCHECK requires at least one argument");
    }
    String type = args.get(0).toUpperCase(Locale.ROOT);
    List<String> rest = args.subList(1, args.size());
    if (type.equals("NONE")) {
      if (!rest.isEmpty()) {
        throw ctx.atArgs("HEALTHCHECK NONE takes no arguments");
      }
      return new Instruction.Healthcheck(ctx.location(), ctx.node().original(), Optional.empty(),
          Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
          Optional.empty());
    }
    BuilderFlags.Values flags = new BuilderFlags().string("interval").string("timeout")
        .string("start-period").string("start-interval").string("retries").parse(ctx);
    if (!type.equals("CMD")) {
      throw ctx.atArgs("Unknown type " + StageInstructions.quote(type)
          + " in HEALTHCHECK (try CMD)");
    }
    if (rest.isEmpty()) {
      throw ctx.atArgs("Missing command after HEALTHCHECK CMD");
    }
    CommandLine command = CommandInstructions.commandLine(rest, ctx.node().json());
    for (String name : List.of("interval", "timeout", "start-period", "start-interval")) {
      Optional<String> value = flags.get(name);
      if (value.isPresent() && !value.get().isEmpty()) {
        checkInterval(ctx, name, value.get());
      }
    }
    Optional<String> retries = flags.get("retries");
    if (retries.isPresent() && !retries.get().isEmpty()) {
      checkRetries(ctx, retries.get());
    }
    return new Instruction.Healthcheck(ctx.location(), ctx.node().original(),
        Optional.of(command), flags.get("interval"), flags.get("timeout"),
        flags.get("start-period"), flags.get("start-interval"), retries);
  }

  private static void checkInterval(NodeContext ctx, String name, String value)
      throws ContainerfileException {
    long nanos;
    try {
      nanos = GoDuration.parseNanos(value);
    } catch (IllegalArgumentException e) {
      throw ctx.at(BuilderFlags.offsetOf(ctx, name, 0), "--" + name + ": " + e.getMessage());
    }
    if (nanos != 0 && nanos < MINIMUM_NANOS) {
      throw ctx.at(BuilderFlags.offsetOf(ctx, name, 0),
          "Interval \"" + name + "\" cannot be less than 1ms");
    }
  }

  private static void checkRetries(NodeContext ctx, String value) throws ContainerfileException {
    long retries;
    try {
      retries = Long.parseLong(value);
      if (retries != (int) retries) {
        throw new NumberFormatException();
      }
    } catch (NumberFormatException e) {
      throw ctx.at(BuilderFlags.offsetOf(ctx, "retries", 0),
          "--retries: not a 32-bit integer: " + value);
    }
    if (retries < 0) {
      throw ctx.at(BuilderFlags.offsetOf(ctx, "retries", 0),
          "--retries cannot be negative (" + retries + ")");
    }
  }
}
