package io.github.ostree4j.build.internal.syntax;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One instruction as BuildKit's parser sees it (its {@code Node}): keyword, raw flags, the
 * argument list produced by the keyword's line parser, and for {@code ONBUILD} the nested
 * instruction. ENV and LABEL arguments come in threes: key, value and separator ({@code "="}, or
 * {@code ""} for the legacy {@code KEY value} form).
 *
 * @param keyword the keyword as written
 * @param flags the {@code --flags} as written (quotes and escapes removed)
 * @param args the arguments
 * @param child the instruction wrapped by {@code ONBUILD}, or null
 * @param json whether the arguments came from a JSON array
 * @param heredocs the heredoc bodies that follow the instruction line
 * @param original the instruction text after continuation lines were joined
 * @param startLine the first physical line
 * @param endLine the last physical line (heredoc bodies included)
 * @param positions maps offsets in {@code original} to lines and columns
 * @param keywordOffset where the keyword starts in {@code original}
 * @param argsOffset where the argument text starts in {@code original}
 * @param argsText the argument text the arguments were parsed from
 */
public record SyntaxNode(String keyword, List<Flag> flags, List<String> args, SyntaxNode child,
    boolean json, List<HeredocBody> heredocs, String original, int startLine, int endLine,
    PositionMap positions, int keywordOffset, int argsOffset, String argsText) {

  /**
   * One flag word.
   *
   * @param text the flag with its {@code --} prefix, e.g. {@code --from=build}
   * @param offset where it starts in the logical line
   */
  public record Flag(String text, int offset) {}

  /**
   * A heredoc attached to the instruction, body unmodified (tabs not yet stripped).
   *
   * @param name the delimiter word with quotes removed
   * @param content the body lines with their line terminators
   * @param expand whether variables in the body are expanded (delimiter not quoted)
   * @param chomp whether leading tabs are stripped ({@code <<-})
   * @param fd the file descriptor prefix ({@code 3<<EOF}), 0 when absent
   * @param line the physical line holding the {@code <<} word
   */
  public record HeredocBody(String name, String content, boolean expand, boolean chomp, int fd,
      int line) {

    private static final Pattern LEADING_TABS =
        Pattern.compile("^\\t+", Pattern.MULTILINE
            | Pattern.UNIX_LINES);

    /** The body as used: with leading tabs removed from every line for {@code <<-}. */
    public String effectiveContent() {
      return chomp ? LEADING_TABS.matcher(content).replaceAll("") : content;
    }
  }

  public SyntaxNode {
    flags = List.copyOf(flags);
    args = List.copyOf(args);
    heredocs = List.copyOf(heredocs);
  }

  /** The keyword in lower case, as BuildKit dispatches on it. */
  public String command() {
    return keyword.toLowerCase(Locale.ROOT);
  }

  SyntaxNode withHeredocs(List<HeredocBody> bodies, int newEndLine) {
    return new SyntaxNode(keyword, flags, args, child, json, bodies, original, startLine,
        newEndLine, positions, keywordOffset, argsOffset, argsText);
  }

  /** The 1-based line of a character of the logical line. */
  public int lineAt(int offset) {
    return positions.line(offset);
  }

  /** The 1-based column of a character of the logical line. */
  public int columnAt(int offset) {
    return positions.column(offset);
  }

  /**
   * Where {@code token} appears in the argument text (searched from {@code from}, an offset in
   * the logical line), or the start of the arguments when it cannot be found.
   */
  public int find(String token, int from) {
    int base = Math.max(from, argsOffset) - argsOffset;
    int i = token.isEmpty() ? -1 : argsText.indexOf(token, Math.min(base, argsText.length()));
    return i < 0 ? argsOffset : argsOffset + i;
  }
}
