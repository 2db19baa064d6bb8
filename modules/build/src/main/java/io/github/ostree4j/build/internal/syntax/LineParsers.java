package io.github.ostree4j.build.internal.syntax;

import io.github.ostree4j.build.internal.shell.GoQuote;
import io.github.ostree4j.build.internal.shell.GoText;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-keyword argument parsers of BuildKit's {@code line_parsers.go}. Each turns the text
 * after keyword and flags into an argument list, keeping quotes and escapes (they are removed
 * later, by variable expansion). Offsets in {@link SyntaxException}s are relative to that text.
 */
final class LineParsers {

  private LineParsers() {}

  /**
   * Arguments and whether they came from a JSON array.
   *
   * @param args the arguments
   * @param json true for the exec (JSON array) form
   */
  record Parsed(List<String> args, boolean json) {
    static final Parsed NONE = new Parsed(List.of(), false);
  }

  /** Dispatches on the lower-case keyword; unknown keywords get no arguments. */
  static Parsed parse(String command, String rest, char escape) throws SyntaxException {
    switch (command) {
      case "add", "copy", "volume":
        return maybeJsonToList(rest);
      case "arg":
        return new Parsed(words(rest, escape), false);
      case "cmd", "entrypoint", "run", "shell":
        return maybeJson(rest);
      case "env":
        return nameValue(rest, "ENV", escape);
      case "label":
        return nameValue(rest, "LABEL", escape);
      case "expose", "from":
        return whitespaceDelimited(rest);
      case "healthcheck":
        return healthConfig(rest);
      case "maintainer", "stopsignal", "user", "workdir":
        return rest.isEmpty() ? Parsed.NONE : new Parsed(List.of(rest), false);
      default:
        return Parsed.NONE;
    }
  }

  private enum Phase { SPACES, WORD, QUOTE }

  /**
   * BuildKit's {@code parseWords}: splits on white space outside quotes; quotes and escapes are
   * kept in the words, an escape at the very end is dropped.
   */
  static List<String> words(String rest, char escape) {
    List<String> words = new ArrayList<>();
    Phase phase = Phase.SPACES;
    StringBuilder word = new StringBuilder();
    int quote = 0;
    boolean blankOk = false;
    int ch = 0;
    int width = 0;
    int len = rest.length();
    for (int pos = 0; pos <= len; pos += width) {
      if (pos != len) {
        ch = rest.codePointAt(pos);
        width = Character.charCount(ch);
      }
      if (phase == Phase.SPACES) {
        if (pos == len) {
          break;
        }
        if (GoText.isSpace(ch)) {
          continue;
        }
        phase = Phase.WORD;
      }
      if (pos == len) {
        if (blankOk || word.length() > 0) {
          words.add(word.toString());
        }
        break;
      }
      if (phase == Phase.WORD) {
        if (GoText.isSpace(ch)) {
          phase = Phase.SPACES;
          if (blankOk || word.length() > 0) {
            words.add(word.toString());
          }
          word.setLength(0);
          blankOk = false;
          continue;
        }
        if (ch == '\'' || ch == '"') {
          quote = ch;
          blankOk = true;
          phase = Phase.QUOTE;
        }
        if (ch == escape) {
          if (pos + width == len) {
            continue;
          }
          word.appendCodePoint(ch);
          pos += width;
          ch = rest.codePointAt(pos);
          width = Character.charCount(ch);
        }
        word.appendCodePoint(ch);
        continue;
      }
      if (ch == quote) {
        phase = Phase.WORD;
      }
      if (ch == escape && quote != '\'') {
        if (pos + width == len) {
          phase = Phase.WORD;
          continue;
        }
        pos += width;
        word.appendCodePoint(ch);
        ch = rest.codePointAt(pos);
        width = Character.charCount(ch);
      }
      word.appendCodePoint(ch);
    }
    return words;
  }

  /**
   * ENV and LABEL: {@code key=value ...} or the legacy {@code key value}, decided by whether the
   * first word holds an {@code =}. Produces key, value, separator triples.
   */
  static Parsed nameValue(String rest, String name, char escape) throws SyntaxException {
    List<String> words = words(rest, escape);
    if (words.isEmpty()) {
      return Parsed.NONE;
    }
    if (!words.get(0).contains("=")) {
      int i = 0;
      while (i < rest.length() && !GoText.isTokenSpace(rest.charAt(i))) {
        i++;
      }
      if (i == rest.length()) {
        throw new SyntaxException(name + " must have two arguments", 0);
      }
      int j = i;
      while (j < rest.length() && GoText.isTokenSpace(rest.charAt(j))) {
        j++;
      }
      return new Parsed(List.of(rest.substring(0, i), rest.substring(j), ""), false);
    }
    List<String> args = new ArrayList<>();
    int from = 0;
    for (String word : words) {
      int at = rest.indexOf(word, from);
      if (at >= 0) {
        from = at + word.length();
      }
      int eq = word.indexOf('=');
      if (eq < 0) {
        throw new SyntaxException("Syntax error - can't find = in " + GoQuote.quote(word)
            + ". Must be of the form: name=value", Math.max(at, 0));
      }
      args.add(word.substring(0, eq));
      args.add(word.substring(eq + 1));
      args.add("=");
    }
    return new Parsed(args, false);
  }

  /** BuildKit's {@code parseStringsWhitespaceDelimited}: split on {@code [\t\v\f\r ]+}. */
  static Parsed whitespaceDelimited(String rest) {
    if (rest.isEmpty()) {
      return Parsed.NONE;
    }
    List<String> out = new ArrayList<>();
    int i = 0;
    int start = 0;
    while (i <= rest.length()) {
      if (i == rest.length() || GoText.isTokenSpace(rest.charAt(i))) {
        out.add(rest.substring(start, i));
        while (i < rest.length() && GoText.isTokenSpace(rest.charAt(i))) {
          i++;
        }
        start = i;
        if (i == rest.length()) {
          break;
        }
        continue;
      }
      i++;
    }
    return new Parsed(out, false);
  }

  /** RUN, CMD, ENTRYPOINT, SHELL: a JSON array, or else the whole text as one argument. */
  static Parsed maybeJson(String rest) throws SyntaxException {
    if (rest.isEmpty()) {
      return Parsed.NONE;
    }
    List<String> json = json(rest);
    return json != null ? new Parsed(json, true) : new Parsed(List.of(rest), false);
  }

  /** ADD, COPY, VOLUME: a JSON array, or else white-space separated words. */
  static Parsed maybeJsonToList(String rest) throws SyntaxException {
    List<String> json = json(rest);
    return json != null ? new Parsed(json, true) : whitespaceDelimited(rest);
  }

  private static List<String> json(String rest) throws SyntaxException {
    try {
      return JsonArray.parse(rest);
    } catch (JsonArray.NotStringArray e) {
      throw new SyntaxException(e.getMessage(), 0);
    }
  }

  /** HEALTHCHECK: a type word ({@code CMD}, {@code NONE}) followed by a maybe-JSON command. */
  static Parsed healthConfig(String rest) throws SyntaxException {
    int sep = 0;
    while (sep < rest.length() && !GoText.isSpace(rest.charAt(sep))) {
      sep++;
    }
    int next = sep;
    while (next < rest.length() && GoText.isSpace(rest.charAt(next))) {
      next++;
    }
    if (sep == 0) {
      return Parsed.NONE;
    }
    Parsed command;
    try {
      command = maybeJson(rest.substring(next));
    } catch (SyntaxException e) {
      throw new SyntaxException(e.getMessage(), next + e.offset());
    }
    List<String> args = new ArrayList<>();
    args.add(rest.substring(0, sep));
    args.addAll(command.args());
    return new Parsed(args, command.json());
  }
}
