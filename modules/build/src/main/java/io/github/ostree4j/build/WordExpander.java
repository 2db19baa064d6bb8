package io.github.ostree4j.build;

import io.github.ostree4j.build.internal.shell.ShellLexer;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Dockerfile variable substitution and word splitting, as BuildKit's shell lexer does it
 * ({@code ProcessWord} / {@code ProcessWords}): {@code $v}, {@code ${v}}, the {@code :-}, {@code -},
 * {@code :+}, {@code +}, {@code :?}, {@code ?} forms, the {@code #}, {@code ##}, {@code %},
 * {@code %%}, {@code /}, {@code //} pattern forms, quoting and escapes.
 *
 * <p>Unknown variables expand to the empty string, positional and special parameters
 * ({@code $1}, {@code $@}, ...) are never set. Instances are immutable and thread-safe; the
 * {@code with...} methods return variants for the places where BuildKit processes words
 * differently (heredoc bodies keep their quotes, for example).
 */
public final class WordExpander {

  private final ShellLexer.Options options;

  /** @param escape the Containerfile's escape character ({@code \} or {@code `}) */
  public WordExpander(char escape) {
    this(ShellLexer.Options.of(escape));
  }

  private WordExpander(ShellLexer.Options options) {
    this.options = options;
  }

  public char escape() {
    return options.escape();
  }

  /** A variant that treats quote characters as ordinary text (for heredoc bodies). */
  public WordExpander withSkipProcessQuotes() {
    ShellLexer.Options o = options;
    return new WordExpander(new ShellLexer.Options(o.escape(), o.rawQuotes(), o.rawEscapes(), true,
        o.skipUnsetEnv(), o.heredocWords()));
  }

  /** A variant that keeps quote characters in its results. */
  public WordExpander withRawQuotes() {
    ShellLexer.Options o = options;
    return new WordExpander(new ShellLexer.Options(o.escape(), true, o.rawEscapes(),
        o.skipProcessQuotes(), o.skipUnsetEnv(), o.heredocWords()));
  }

  /** A variant that keeps escape characters in its results. */
  public WordExpander withRawEscapes() {
    ShellLexer.Options o = options;
    return new WordExpander(new ShellLexer.Options(o.escape(), o.rawQuotes(), true,
        o.skipProcessQuotes(), o.skipUnsetEnv(), o.heredocWords()));
  }

  /** A variant that leaves references to unset variables as written instead of emptying them. */
  public WordExpander withSkipUnsetEnv() {
    ShellLexer.Options o = options;
    return new WordExpander(new ShellLexer.Options(o.escape(), o.rawQuotes(), o.rawEscapes(),
        o.skipProcessQuotes(), true, o.heredocWords()));
  }

  /**
   * Expands one word and removes its quoting.
   *
   * @param word the raw text
   * @param env the variables in scope (names are case-sensitive)
   * @throws VariableExpansionException for malformed substitutions, unterminated quotes or a
   *     failing {@code :?}
   */
  public String processWord(String word, Map<String, String> env)
      throws VariableExpansionException {
    return lexer().process(Objects.requireNonNull(word), env).word();
  }

  /**
   * Expands and splits on unquoted whitespace; spaces coming from quotes stay inside words,
   * spaces coming from variable values split.
   *
   * @throws VariableExpansionException as {@link #processWord}
   */
  public List<String> processWords(String words, Map<String, String> env)
      throws VariableExpansionException {
    return lexer().process(Objects.requireNonNull(words), env).words();
  }

  private ShellLexer lexer() {
    return new ShellLexer(options);
  }
}
