package io.github.ostree4j.build.internal.syntax;

import io.github.ostree4j.build.VariableExpansionException;
import io.github.ostree4j.build.internal.shell.ShellLexer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds heredoc openers ({@code <<EOF}, {@code <<-EOF}, {@code <<'EOF'}, {@code 3<<EOF}) in an
 * instruction line, as BuildKit does: the line is split into shell words (quotes, escapes and
 * unset variables kept), and each word that looks like {@code [fd]<<[-]delimiter} is one. The
 * delimiter is lexed twice, with and without its quotes: when the quote counts differ, part of
 * it was quoted and the body is not expanded. Blanks between {@code <<} and the delimiter are
 * allowed ({@code cat << EOF}), as in BuildKit 0.22 and later; {@code <<- EOF} is not an opener.
 */
public final class HeredocOpeners {

  /** Go's {@code ^(\d*)<<(-?)\s*([^<]*)$}. */
  private static final Pattern OPENER =
      Pattern.compile("^([0-9]*)<<(-?)[\\t\\n\\f\\r ]*([^<]*)\\z");

  private static final ShellLexer.Options LINE_WORDS =
      new ShellLexer.Options('\\', true, true, false, true, true);
  private static final ShellLexer.Options DELIMITER =
      new ShellLexer.Options('\\', false, false, false, true, false);
  private static final ShellLexer.Options DELIMITER_RAW =
      new ShellLexer.Options('\\', true, false, false, true, false);

  private HeredocOpeners() {}

  /**
   * One opener found in a line.
   *
   * @param word the shell word as written (for locating it)
   * @param name the delimiter
   * @param expand whether the body is expanded
   * @param chomp whether leading tabs are stripped
   * @param fd the file descriptor prefix
   */
  public record Opener(String word, String name, boolean expand, boolean chomp, int fd) {}

  /**
   * The openers of {@code line} in order.
   *
   * @throws SyntaxException for a delimiter whose quotes do not close; offset in {@code line}
   */
  static List<Opener> openers(String line) throws SyntaxException {
    List<String> words;
    try {
      words = new ShellLexer(LINE_WORDS).process(line, Map.of()).words();
    } catch (VariableExpansionException e) {
      return List.of();
    }
    List<Opener> out = new ArrayList<>();
    int from = 0;
    for (String word : words) {
      int at = line.indexOf(word, from);
      if (at >= 0) {
        from = at + word.length();
      }
      try {
        Opener o = parse(word);
        if (o != null) {
          out.add(o);
        }
      } catch (VariableExpansionException e) {
        throw new SyntaxException("invalid heredoc " + word + ": " + e.getMessage(),
            Math.max(at, 0));
      }
    }
    return out;
  }

  /** BuildKit's {@code ParseHeredoc}: null when {@code word} is not a heredoc opener. */
  public static Opener parse(String word) throws VariableExpansionException {
    Matcher m = OPENER.matcher(word);
    if (!m.find()) {
      return null;
    }
    String rest = m.group(3);
    if (rest.isEmpty()) {
      return null;
    }
    List<String> plain = new ShellLexer(DELIMITER).process(rest, Map.of()).words();
    if (plain.size() != 1) {
      return null;
    }
    List<String> raw = new ShellLexer(DELIMITER_RAW).process(rest, Map.of()).words();
    if (raw.size() != plain.size()) {
      throw new VariableExpansionException(
          "internal lexing of heredoc produced inconsistent results: " + rest);
    }
    String name = plain.get(0);
    boolean expand = quotes(name) == quotes(raw.get(0));
    return new Opener(word, name, expand, m.group(2).equals("-"), fd(m.group(1)));
  }

  private static int fd(String digits) {
    if (digits.isEmpty()) {
      return 0;
    }
    try {
      return Integer.parseInt(digits);
    } catch (NumberFormatException e) {
      return Integer.MAX_VALUE;
    }
  }

  private static long quotes(String s) {
    return s.chars().filter(c -> c == '\'' || c == '"').count();
  }
}
