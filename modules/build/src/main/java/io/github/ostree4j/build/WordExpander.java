package io.github.ostree4j.build;

import java.util.List;
import java.util.Map;

/**
 * Dockerfile variable substitution and word splitting, as BuildKit's shell lexer does it
 * ({@code ProcessWord} / {@code ProcessWords}): {@code $v}, {@code ${v}}, the {@code :-}, {@code -},
 * {@code :+}, {@code +}, {@code :?}, {@code ?} forms, the {@code #}, {@code ##}, {@code %},
 * {@code %%}, {@code /}, {@code //} pattern forms, quoting and escapes.
 */
public final class WordExpander {

  private final char escape;

  /** @param escape the Containerfile's escape character ({@code \} or {@code `}) */
  public WordExpander(char escape) {
    this.escape = escape;
  }

  public char escape() {
    return escape;
  }

  /**
   * Expands one word and removes its quoting.
   *
   * @throws VariableExpansionException for malformed substitutions or a failing {@code :?}
   */
  public String processWord(String word, Map<String, String> env)
      throws VariableExpansionException {
    throw new UnsupportedOperationException("not yet");
  }

  /** Expands and splits on unquoted whitespace. */
  public List<String> processWords(String words, Map<String, String> env)
      throws VariableExpansionException {
    throw new UnsupportedOperationException("not yet");
  }
}
