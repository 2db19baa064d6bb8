package io.github.ostree4j.build.internal.syntax;

import io.github.ostree4j.build.internal.shell.GoQuote;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * BuildKit's {@code Node.Dump()} rendering, the format of its {@code testfiles/<case>/result}
 * files: one s-expression per instruction, keyword in lower case, flags as Go's {@code %q} of a
 * string slice, arguments as Go-quoted strings, the ONBUILD trigger nested in parentheses.
 */
final class SyntaxDump {

  private SyntaxDump() {}

  /** The whole file, one line per instruction, with the trailing newline the tests compare. */
  static String dump(SyntaxTree tree) {
    StringBuilder sb = new StringBuilder();
    for (SyntaxNode node : tree.nodes()) {
      sb.append('(').append(dump(node)).append(")\n");
    }
    return sb.toString();
  }

  static String dump(SyntaxNode node) {
    StringBuilder sb = new StringBuilder(node.keyword().toLowerCase(Locale.ROOT));
    if (!node.flags().isEmpty()) {
      sb.append(" [")
          .append(node.flags().stream().map(f -> GoQuote.quote(f.text()))
              .collect(Collectors.joining(" ")))
          .append(']');
    }
    if (node.child() != null) {
      sb.append(" (").append(dump(node.child())).append(')');
    }
    for (String arg : node.args()) {
      sb.append(' ').append(GoQuote.quote(arg));
    }
    return sb.toString().strip();
  }
}
