package io.github.ostree4j.build;

import java.util.List;
import java.util.Map;

/**
 * A parsed Containerfile: its parser directives (lower-cased keys: {@code syntax}, {@code escape},
 * {@code check}), the escape character in effect and the instructions in file order, global
 * {@code ARG}s before the first {@code FROM} included. Values inside instructions are raw:
 * variable substitution happens at build time with {@link WordExpander}, because it depends on
 * build arguments and the stage's environment.
 */
public record Containerfile(
    String fileName, char escape, Map<String, String> directives, List<Instruction> instructions) {

  public Containerfile {
    directives = Map.copyOf(directives);
    instructions = List.copyOf(instructions);
  }
}
