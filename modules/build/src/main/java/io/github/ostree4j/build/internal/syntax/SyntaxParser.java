package io.github.ostree4j.build.internal.syntax;

import io.github.ostree4j.build.ContainerfileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads a Containerfile into {@link SyntaxNode}s: logical lines, keyword, flags, per-keyword
 * arguments, ONBUILD nesting, heredoc bodies. Mirrors BuildKit's {@code parser.Parse}; it accepts
 * unknown keywords and does not check argument counts.
 */
public final class SyntaxParser {

  private static final Set<String> HEREDOC_COMMANDS = Set.of("add", "copy", "run");

  private final String fileName;
  private final SourceLines source;
  private final Directives directives = new Directives();

  private SyntaxParser(String text, String fileName) {
    this.fileName = fileName;
    this.source = new SourceLines(text);
  }

  /**
   * @param text the whole file
   * @param fileName the name used in errors
   * @throws ContainerfileException for malformed directives, JSON arrays of non-strings, ENV or
   *     LABEL without a value, bad or unterminated heredocs, and a file without instructions
   */
  public static SyntaxTree parse(String text, String fileName) throws ContainerfileException {
    return new SyntaxParser(text, fileName).parse();
  }

  private SyntaxTree parse() throws ContainerfileException {
    LineJoiner joiner = new LineJoiner(fileName, source, directives);
    List<SyntaxNode> nodes = new ArrayList<>();
    while (true) {
      LogicalLine line = joiner.next();
      if (line == null) {
        break;
      }
      SyntaxNode node = node(line.text(), 0, line);
      if (canContainHeredoc(node) && line.text().contains("<<")) {
        node = readHeredocs(node, line);
      }
      nodes.add(node);
    }
    if (nodes.isEmpty()) {
      throw new ContainerfileException(fileName, 0, 0, "file with no instructions");
    }
    return new SyntaxTree(nodes, directives.escape(), directives.values());
  }

  /** BuildKit's {@code newNodeFromLine}; recursive for ONBUILD. */
  private SyntaxNode node(String text, int base, LogicalLine line)
      throws ContainerfileException {
    CommandSplitter.Split split = CommandSplitter.split(text, base);
    String command = split.keyword().toLowerCase(Locale.ROOT);
    SyntaxNode child = null;
    LineParsers.Parsed parsed = LineParsers.Parsed.NONE;
    if (command.equals("onbuild")) {
      if (!split.args().isEmpty()) {
        child = node(split.args(), split.argsOffset(), line);
      }
    } else {
      try {
        parsed = LineParsers.parse(command, split.args(), directives.escape());
      } catch (SyntaxException e) {
        throw error(line, split.argsOffset() + e.offset(), e.getMessage());
      }
    }
    return new SyntaxNode(split.keyword(), split.flags(), parsed.args(), child, parsed.json(),
        List.of(), line.text(), line.startLine(), line.endLine(), line.positions(),
        split.keywordOffset(), split.argsOffset(), split.args());
  }

  private static boolean canContainHeredoc(SyntaxNode node) {
    SyntaxNode n = node.command().equals("onbuild") && node.child() != null ? node.child() : node;
    return HEREDOC_COMMANDS.contains(n.command()) && !n.json();
  }

  /** Reads the bodies of the line's heredocs, one after the other, from the following lines. */
  private SyntaxNode readHeredocs(SyntaxNode node, LogicalLine line)
      throws ContainerfileException {
    List<HeredocOpeners.Opener> openers;
    try {
      openers = HeredocOpeners.openers(line.text());
    } catch (SyntaxException e) {
      throw error(line, e.offset(), e.getMessage());
    }
    List<SyntaxNode.HeredocBody> bodies = new ArrayList<>();
    int from = 0;
    for (HeredocOpeners.Opener opener : openers) {
      int at = line.text().indexOf(opener.word(), from);
      if (at >= 0) {
        from = at + opener.word().length();
      }
      int openerLine = at >= 0 ? line.positions().line(at) : line.startLine();
      StringBuilder content = new StringBuilder();
      boolean terminated = false;
      while (source.hasNext()) {
        String raw = source.next();
        String candidate = SourceLines.trimNewline(raw);
        if (opener.chomp()) {
          candidate = candidate.replaceFirst("^\\t+", "");
        }
        if (candidate.equals(opener.name())) {
          terminated = true;
          break;
        }
        content.append(raw);
      }
      if (!terminated) {
        throw new ContainerfileException(fileName, openerLine, 0,
            "unterminated heredoc " + opener.name() + " (started here)");
      }
      bodies.add(new SyntaxNode.HeredocBody(opener.name(), content.toString(), opener.expand(),
          opener.chomp(), opener.fd(), openerLine));
    }
    return node.withHeredocs(bodies, source.lineNumber());
  }

  private ContainerfileException error(LogicalLine line, int offset, String reason) {
    return new ContainerfileException(fileName, line.positions().line(offset),
        line.positions().column(offset), reason);
  }
}
