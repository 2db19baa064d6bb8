package io.github.ostree4j.build.internal.instructions;

import io.github.ostree4j.build.ContainerfileException;
import io.github.ostree4j.build.internal.syntax.SyntaxNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The flags an instruction accepts and their values (BuildKit's {@code BFlags}): booleans
 * ({@code --link}, {@code --link=false}), strings ({@code --from=x}, once) and repeatable strings
 * ({@code --mount=...}). Values are raw; variables in them are expanded at build time.
 */
final class BuilderFlags {

  private enum Kind { BOOL, STRING, STRINGS }

  private final Map<String, Kind> declared = new LinkedHashMap<>();

  BuilderFlags bool(String name) {
    declared.put(name, Kind.BOOL);
    return this;
  }

  BuilderFlags string(String name) {
    declared.put(name, Kind.STRING);
    return this;
  }

  BuilderFlags strings(String name) {
    declared.put(name, Kind.STRINGS);
    return this;
  }

  /** The flag values of one instruction. */
  static final class Values {
    private final Map<String, String> single = new HashMap<>();
    private final Map<String, List<String>> repeated = new HashMap<>();

    /** A string flag's value, or a boolean's {@code "true"}/{@code "false"}, when given. */
    Optional<String> get(String name) {
      return Optional.ofNullable(single.get(name));
    }

    boolean isTrue(String name) {
      return "true".equals(single.get(name));
    }

    List<String> all(String name) {
      return List.copyOf(repeated.getOrDefault(name, List.of()));
    }
  }

  /**
   * Checks the node's flags against the declared ones.
   *
   * @throws ContainerfileException for an unknown or repeated flag, a missing value or a
   *     boolean that is neither true nor false; it points at the flag
   */
  Values parse(NodeContext ctx) throws ContainerfileException {
    Values values = new Values();
    for (SyntaxNode.Flag flag : ctx.node().flags()) {
      String text = flag.text();
      if (text.equals("--")) {
        break;
      }
      String arg = text.substring(2);
      int eq = arg.indexOf('=');
      String name = eq >= 0 ? arg.substring(0, eq) : arg;
      String value = eq >= 0 ? arg.substring(eq + 1) : "";
      Kind kind = declared.get(name);
      if (kind == null) {
        throw ctx.at(flag.offset(), "unknown flag for " + ctx.name() + ": --" + name
            + (declared.isEmpty() ? " (it takes no flags)" : ""));
      }
      if (kind != Kind.STRINGS && values.single.containsKey(name)) {
        throw ctx.at(flag.offset(), "duplicate flag specified: --" + name);
      }
      switch (kind) {
        case BOOL -> {
          if (eq >= 0 && value.isEmpty()) {
            throw ctx.at(flag.offset(), "missing a value on flag: --" + name);
          }
          String lower = value.toLowerCase(Locale.ROOT);
          if (lower.isEmpty() || lower.equals("true")) {
            values.single.put(name, "true");
          } else if (lower.equals("false")) {
            values.single.put(name, "false");
          } else {
            throw ctx.at(flag.offset(),
                "expecting boolean value for flag --" + name + ", not: " + value);
          }
        }
        case STRING -> {
          if (eq < 0) {
            throw ctx.at(flag.offset(), "missing a value on flag: --" + name);
          }
          values.single.put(name, value);
        }
        case STRINGS -> {
          if (eq < 0) {
            throw ctx.at(flag.offset(), "missing a value on flag: --" + name);
          }
          values.repeated.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
      }
    }
    return values;
  }

  /** The offset of the first use of flag {@code name}, for errors about its value. */
  static int offsetOf(NodeContext ctx, String name, int occurrence) {
    int seen = 0;
    for (SyntaxNode.Flag flag : ctx.node().flags()) {
      String t = flag.text();
      if (t.equals("--" + name) || t.startsWith("--" + name + "=")) {
        if (seen++ == occurrence) {
          return flag.offset();
        }
      }
    }
    return ctx.node().keywordOffset();
  }
}
