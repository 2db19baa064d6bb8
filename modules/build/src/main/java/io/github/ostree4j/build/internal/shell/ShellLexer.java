package io.github.ostree4j.build.internal.shell;

import io.github.ostree4j.build.VariableExpansionException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * BuildKit's shell lexer ({@code shell.Lex}): expands {@code $name} and {@code ${...}} forms,
 * removes quotes and escapes, and splits into words on unquoted white space that was not produced
 * by quoting. One instance processes one word at a time; it is not thread-safe.
 */
public final class ShellLexer {

  private static final int EOF = -1;

  private final Options options;

  private String input;
  private int pos;
  private Map<String, String> env;
  private boolean rawEscapes;
  private Set<String> matched;
  private Set<String> unmatched;

  /**
   * How the lexer treats its input; the flags mirror BuildKit's {@code Lex} fields.
   *
   * @param escape the escape character ({@code \} or {@code `})
   * @param rawQuotes keep quote characters in the result
   * @param rawEscapes keep escape characters in the result
   * @param skipProcessQuotes treat quotes as ordinary characters
   * @param skipUnsetEnv leave references to unset variables as written
   * @param heredocWords keep {@code <<} and the blanks after it in the word that follows
   */
  public record Options(char escape, boolean rawQuotes, boolean rawEscapes,
      boolean skipProcessQuotes, boolean skipUnsetEnv, boolean heredocWords) {

    /** Plain Dockerfile processing with the given escape character. */
    public static Options of(char escape) {
      return new Options(escape, false, false, false, false, false);
    }
  }

  /**
   * The outcome of one {@link #process} call.
   *
   * @param word the expanded word with spaces between words kept
   * @param words the word split on unquoted white space
   * @param matched names of variables that were looked up and found
   * @param unmatched names of variables that were looked up and not found
   */
  public record Result(String word, List<String> words, Set<String> matched,
      Set<String> unmatched) {}

  /** @param options how quotes, escapes and unset variables are treated */
  public ShellLexer(Options options) {
    this.options = options;
  }

  /**
   * Expands and unquotes {@code word}.
   *
   * @throws VariableExpansionException with BuildKit's message, prefixed by
   *     {@code failed to process "word": }
   */
  public Result process(String word, Map<String, String> env) throws VariableExpansionException {
    this.input = word;
    this.pos = 0;
    this.env = env;
    this.rawEscapes = options.rawEscapes();
    this.matched = new LinkedHashSet<>();
    this.unmatched = new LinkedHashSet<>();
    try {
      Segment s = processStopOn(EOF, options.rawEscapes());
      return new Result(s.text, s.words, Set.copyOf(matched), Set.copyOf(unmatched));
    } catch (VariableExpansionException e) {
      throw new VariableExpansionException(
          "failed to process " + GoQuote.quote(word) + ": " + e.getMessage());
    }
  }

  private record Segment(String text, List<String> words) {}

  private int peek() {
    return pos < input.length() ? input.codePointAt(pos) : EOF;
  }

  private int next() {
    if (pos >= input.length()) {
      return EOF;
    }
    int cp = input.codePointAt(pos);
    pos += Character.charCount(cp);
    return cp;
  }

  private Segment processStopOn(int stopChar, boolean raw) throws VariableExpansionException {
    boolean saved = rawEscapes;
    rawEscapes = raw;
    try {
      StringBuilder result = new StringBuilder();
      Words words = new Words();
      while (peek() != EOF) {
        int ch = peek();
        if (stopChar != EOF && ch == stopChar) {
          next();
          return new Segment(result.toString(), words.finish());
        }
        String special = special(ch);
        if (special != null) {
          result.append(special);
          if (ch == '$') {
            words.addString(special);
          } else {
            words.addRawString(special);
          }
          continue;
        }
        ch = next();
        if (ch == options.escape()) {
          if (rawEscapes) {
            words.addRawChar(ch);
            result.appendCodePoint(ch);
          }
          ch = next();
          if (ch == EOF) {
            break;
          }
          words.addRawChar(ch);
        } else {
          words.addChar(ch);
        }
        result.appendCodePoint(ch);
      }
      if (stopChar != EOF) {
        throw new VariableExpansionException(
            "unexpected end of statement while looking for matching " + Character.toString(stopChar));
      }
      return new Segment(result.toString(), words.finish());
    } finally {
      rawEscapes = saved;
    }
  }

  /** Runs the handler of a special character, or returns null for an ordinary one. */
  private String special(int ch) throws VariableExpansionException {
    if (ch == '$') {
      return processDollar();
    }
    if (!options.skipProcessQuotes()) {
      if (ch == '\'') {
        return processSingleQuote();
      }
      if (ch == '"') {
        return processDoubleQuote();
      }
    }
    if (ch == '<' && options.heredocWords()) {
      return processPossibleHeredoc();
    }
    return null;
  }

  private String processSingleQuote() throws VariableExpansionException {
    StringBuilder result = new StringBuilder();
    int ch = next();
    if (options.rawQuotes()) {
      result.appendCodePoint(ch);
    }
    while (true) {
      ch = next();
      if (ch == EOF) {
        throw new VariableExpansionException(
            "unexpected end of statement while looking for matching single-quote");
      }
      if (ch == '\'') {
        if (options.rawQuotes()) {
          result.appendCodePoint(ch);
        }
        return result.toString();
      }
      result.appendCodePoint(ch);
    }
  }

  private String processDoubleQuote() throws VariableExpansionException {
    StringBuilder result = new StringBuilder();
    int ch = next();
    if (options.rawQuotes()) {
      result.appendCodePoint(ch);
    }
    while (true) {
      int p = peek();
      if (p == EOF) {
        throw new VariableExpansionException(
            "unexpected end of statement while looking for matching double-quote");
      }
      if (p == '"') {
        ch = next();
        if (options.rawQuotes()) {
          result.appendCodePoint(ch);
        }
        return result.toString();
      }
      if (p == '$') {
        result.append(processDollar());
        continue;
      }
      ch = next();
      if (ch == options.escape()) {
        if (rawEscapes) {
          result.appendCodePoint(ch);
        }
        int after = peek();
        if (after == EOF) {
          continue; // a trailing escape is dropped; the loop then reports the missing quote
        }
        if (after == '"' || after == '$' || after == options.escape()) {
          ch = next();
        }
      }
      result.appendCodePoint(ch);
    }
  }

  private String processPossibleHeredoc() {
    next();
    if (peek() != '<') {
      return "<";
    }
    next();
    StringBuilder sb = new StringBuilder("<<");
    while (peek() == ' ' || peek() == '\t') {
      sb.appendCodePoint(next());
    }
    return sb.toString();
  }

  private String processDollar() throws VariableExpansionException {
    next();
    if (peek() != '{') {
      String name = processName();
      if (name.isEmpty()) {
        return "$";
      }
      String value = getEnv(name);
      if (value == null && options.skipUnsetEnv()) {
        return "$" + name;
      }
      return value == null ? "" : value;
    }
    next();
    int first = peek();
    if (first == EOF) {
      throw new VariableExpansionException("syntax error: missing '}'");
    }
    if (first == '{' || first == '}' || first == ':') {
      throw new VariableExpansionException("syntax error: bad substitution");
    }
    String name = processName();
    int ch = next();
    String chs = runeString(ch);
    boolean nullIsUnset = false;
    switch (ch) {
      case '}': {
        String value = getEnv(name);
        if (value == null && options.skipUnsetEnv()) {
          return "${" + name + "}";
        }
        return value == null ? "" : value;
      }
      case ':':
        nullIsUnset = true;
        ch = next();
        chs += runeString(ch);
        return modifier(name, ch, chs, nullIsUnset);
      case '+', '-', '?', '#', '%':
        return modifier(name, ch, chs, nullIsUnset);
      case '/':
        return substitute(name);
      default:
        throw new VariableExpansionException(
            "unsupported modifier (" + chs + ") in substitution");
    }
  }

  private String modifier(String name, int ch, String chs, boolean nullIsUnset)
      throws VariableExpansionException {
    boolean raw = ch == '#' || ch == '%';
    String word;
    try {
      word = processStopOn('}', raw).text;
    } catch (VariableExpansionException e) {
      if (peek() == EOF) {
        throw new VariableExpansionException("syntax error: missing '}'");
      }
      throw e;
    }
    String value = getEnv(name);
    boolean set = value != null;
    if (!set && options.skipUnsetEnv()) {
      return "${" + name + chs + word + "}";
    }
    String v = set ? value : "";
    switch (ch) {
      case '-':
        return !set || (nullIsUnset && v.isEmpty()) ? word : v;
      case '+':
        return !set || (nullIsUnset && v.isEmpty()) ? "" : word;
      case '?':
        if (!set) {
          throw new VariableExpansionException(
              name + ": " + (word.isEmpty() ? "is not allowed to be unset" : word));
        }
        if (nullIsUnset && v.isEmpty()) {
          throw new VariableExpansionException(
              name + ": " + (word.isEmpty() ? "is not allowed to be empty" : word));
        }
        return v;
      case '%', '#': {
        boolean greedy = false;
        if (!word.isEmpty() && word.charAt(0) == ch) {
          greedy = true;
          word = word.substring(1);
        }
        return ch == '%' ? ShellPattern.trimSuffix(word, v, greedy)
            : ShellPattern.trimPrefix(word, v, greedy);
      }
      default:
        throw new VariableExpansionException(
            "unsupported modifier (" + chs + ") in substitution");
    }
  }

  private String substitute(String name) throws VariableExpansionException {
    boolean all = peek() == '/';
    if (all) {
      next();
    }
    String pattern;
    try {
      pattern = processStopOn('/', true).text;
    } catch (VariableExpansionException e) {
      if (peek() == EOF) {
        throw new VariableExpansionException("syntax error: missing '/' in ${}");
      }
      throw e;
    }
    String replacement;
    try {
      replacement = processStopOn('}', true).text;
    } catch (VariableExpansionException e) {
      if (peek() == EOF) {
        throw new VariableExpansionException("syntax error: missing '}'");
      }
      throw e;
    }
    String value = getEnv(name);
    if (value == null && options.skipUnsetEnv()) {
      return "${" + name + "/" + pattern + "/" + replacement + "}";
    }
    return ShellPattern.replace(pattern, value == null ? "" : value, replacement, all);
  }

  private String processName() {
    StringBuilder name = new StringBuilder();
    while (peek() != EOF) {
      int ch = peek();
      if (name.length() == 0 && Character.isDigit(ch)) {
        while (peek() != EOF && Character.isDigit(peek())) {
          name.appendCodePoint(next());
        }
        return name.toString();
      }
      if (name.length() == 0 && isSpecialParam(ch)) {
        return runeString(next());
      }
      if (!Character.isLetter(ch) && !Character.isDigit(ch) && ch != '_') {
        break;
      }
      name.appendCodePoint(next());
    }
    return name.toString();
  }

  private static boolean isSpecialParam(int ch) {
    switch (ch) {
      case '@', '*', '#', '?', '-', '$', '!', '0':
        return true;
      default:
        return false;
    }
  }

  private String getEnv(String name) {
    String value = env.get(name);
    if (value != null) {
      matched.add(name);
    } else {
      unmatched.add(name);
    }
    return value;
  }

  /** Go's {@code string(rune)}; EOF (-1) becomes U+FFFD like an invalid rune. */
  private static String runeString(int cp) {
    return cp < 0 ? "\uFFFD" : Character.toString(cp);
  }

  /** BuildKit's {@code wordsStruct}: accumulates words, splitting on unquoted spaces. */
  private static final class Words {
    private final StringBuilder word = new StringBuilder();
    private final List<String> words = new ArrayList<>();
    private boolean inWord;

    void addChar(int ch) {
      if (GoText.isSpace(ch) && inWord) {
        if (word.length() != 0) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else if (!GoText.isSpace(ch)) {
        addRawChar(ch);
      }
    }

    void addRawChar(int ch) {
      word.appendCodePoint(ch);
      inWord = true;
    }

    void addString(String s) {
      s.codePoints().forEach(this::addChar);
    }

    void addRawString(String s) {
      word.append(s);
      inWord = true;
    }

    List<String> finish() {
      if (word.length() > 0) {
        words.add(word.toString());
        word.setLength(0);
        inWord = false;
      }
      return List.copyOf(words);
    }
  }
}
