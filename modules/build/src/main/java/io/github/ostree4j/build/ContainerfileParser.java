package io.github.ostree4j.build;

import io.github.ostree4j.build.internal.instructions.InstructionParser;
import io.github.ostree4j.build.internal.syntax.SyntaxNode;
import io.github.ostree4j.build.internal.syntax.SyntaxParser;
import io.github.ostree4j.build.internal.syntax.SyntaxTree;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parses Containerfile text into {@link Containerfile}: directives, continuations, comments,
 * exec/shell forms, heredocs, flags. Pure: no I/O.
 *
 * <p>The rules are BuildKit's (the Dockerfile frontend of {@code docker build}): parser
 * directives only at the very top, the escape character for line continuations, comments only
 * at the start of a line, JSON arrays for the exec form with a silent fallback to the shell form
 * when the text is not valid JSON, heredocs for RUN, COPY and ADD. Every instruction is checked
 * as far as it can be before variables are known: keyword, flags and their values, argument
 * counts, stage names, mount options, healthcheck durations. Only ARG may precede the first FROM.
 */
public final class ContainerfileParser {

  private ContainerfileParser() {}

  /**
   * @param text the whole file
   * @param fileName the name used in error messages and {@link SourceLocation}s
   * @throws ContainerfileException with file:line:column for anything not valid
   */
  public static Containerfile parse(String text, String fileName) throws ContainerfileException {
    SyntaxTree tree = SyntaxParser.parse(text, fileName);
    List<Instruction> instructions = new ArrayList<>();
    boolean stageSeen = false;
    for (SyntaxNode node : tree.nodes()) {
      Instruction instruction = InstructionParser.parse(fileName, node);
      if (instruction instanceof Instruction.From) {
        stageSeen = true;
      } else if (!stageSeen && !(instruction instanceof Instruction.Arg)) {
        throw new ContainerfileException(fileName, node.lineAt(node.keywordOffset()),
            node.columnAt(node.keywordOffset()), node.keyword().toUpperCase(Locale.ROOT)
                + " before the first FROM: only ARG may come before it");
      }
      instructions.add(instruction);
    }
    if (!stageSeen) {
      throw new ContainerfileException(fileName, 0, 0,
          "file contains no stages to build (no FROM instruction)");
    }
    return new Containerfile(fileName, tree.escape(), tree.directives(), instructions);
  }
}
