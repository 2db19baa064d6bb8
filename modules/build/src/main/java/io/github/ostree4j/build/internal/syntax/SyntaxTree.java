package io.github.ostree4j.build.internal.syntax;

import java.util.List;
import java.util.Map;

/**
 * A parsed file at the syntax level.
 *
 * @param nodes the instructions in file order
 * @param escape the escape character in effect
 * @param directives the parser directives found at the top (lower-case keys)
 */
public record SyntaxTree(List<SyntaxNode> nodes, char escape, Map<String, String> directives) {

  public SyntaxTree {
    nodes = List.copyOf(nodes);
    directives = Map.copyOf(directives);
  }
}
