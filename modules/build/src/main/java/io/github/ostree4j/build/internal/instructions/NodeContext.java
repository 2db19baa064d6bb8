package io.github.ostree4j.build.internal.instructions;

import io.github.ostree4j.build.ContainerfileException;
import io.github.ostree4j.build.SourceLocation;
import io.github.ostree4j.build.internal.syntax.SyntaxNode;
import java.util.List;
import java.util.Locale;

/**
 * One syntax node being turned into an instruction, with what error messages need: the file
 * name, the instruction name and positions of its tokens.
 *
 * @param file the Containerfile name
 * @param node the node
 * @param heredocs the heredoc bodies that belong to the node (an ONBUILD trigger gets the
 *     bodies read for its ONBUILD line)
 */
record NodeContext(String file, SyntaxNode node, List<SyntaxNode.HeredocBody> heredocs) {

  /** The instruction name in upper case, as messages name it. */
  String name() {
    return node.keyword().toUpperCase(Locale.ROOT);
  }

  List<String> args() {
    return node.args();
  }

  SourceLocation location() {
    return new SourceLocation(file, node.startLine(), node.endLine());
  }

  /** An error at a character of the logical line. */
  ContainerfileException at(int offset, String reason) {
    return new ContainerfileException(file, node.lineAt(offset), node.columnAt(offset), reason);
  }

  /** An error about the instruction as a whole, pointing at its keyword. */
  ContainerfileException atKeyword(String reason) {
    return at(node.keywordOffset(), reason);
  }

  /** An error about the arguments, pointing at their start. */
  ContainerfileException atArgs(String reason) {
    return at(node.argsOffset(), reason);
  }

  /** An error about one argument, pointing at it when it can be found in the text. */
  ContainerfileException atArg(String arg, String reason) {
    return at(node.find(arg, node.argsOffset()), reason);
  }
}
