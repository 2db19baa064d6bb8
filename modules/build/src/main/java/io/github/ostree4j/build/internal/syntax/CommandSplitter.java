package io.github.ostree4j.build.internal.syntax;

import io.github.ostree4j.build.internal.shell.GoText;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits an instruction into keyword, {@code --flags} and the rest (BuildKit's
 * {@code splitCommand} and {@code extractBuilderFlags}). Flags are the leading words that start
 * with {@code --}; a lone {@code --} ends them. Inside flags, quotes group and backslash escapes
 * whatever the file's escape character; the flag text keeps its {@code --} prefix.
 */
final class CommandSplitter {

  private CommandSplitter() {}

  /**
   * The parts of one instruction; offsets are relative to the logical line.
   *
   * @param keyword the instruction keyword as written
   * @param keywordOffset where the keyword starts
   * @param flags the flags in order
   * @param args the text after keyword and flags, trimmed
   * @param argsOffset where {@code args} starts
   */
  record Split(String keyword, int keywordOffset, List<SyntaxNode.Flag> flags, String args,
      int argsOffset) {}

  private enum Phase { SPACES, WORD, QUOTE }

  /**
   * @param line the instruction text
   * @param base the offset of {@code line} in its logical line
   */
  static Split split(String line, int base) {
    int start = GoText.leadingSpaces(line);
    String trimmed = GoText.trim(line);
    int i = 0;
    while (i < trimmed.length() && !GoText.isTokenSpace(trimmed.charAt(i))) {
      i++;
    }
    String keyword = trimmed.substring(0, i);
    int keywordOffset = base + start;
    if (i == trimmed.length()) {
      return new Split(keyword, keywordOffset, List.of(), "", keywordOffset + i);
    }
    while (i < trimmed.length() && GoText.isTokenSpace(trimmed.charAt(i))) {
      i++;
    }
    String rest = trimmed.substring(i);
    int restOffset = keywordOffset + i;
    List<SyntaxNode.Flag> flags = new ArrayList<>();
    int remainder = extractFlags(rest, restOffset, flags);
    String tail = rest.substring(remainder);
    int lead = GoText.leadingSpaces(tail);
    return new Split(keyword, keywordOffset, List.copyOf(flags), GoText.trim(tail),
        restOffset + remainder + lead);
  }

  /** Collects the flags at the start of {@code line}; returns where the arguments start. */
  private static int extractFlags(String line, int base, List<SyntaxNode.Flag> flags) {
    Phase phase = Phase.SPACES;
    StringBuilder word = new StringBuilder();
    int wordStart = 0;
    char quote = 0;
    boolean blankOk = false;
    int len = line.length();
    for (int pos = 0; pos <= len; pos++) {
      char ch = pos != len ? line.charAt(pos) : 0;
      if (phase == Phase.SPACES) {
        if (pos == len) {
          break;
        }
        if (GoText.isSpace(ch)) {
          continue;
        }
        if (ch != '-' || pos + 1 == len || line.charAt(pos + 1) != '-') {
          return pos;
        }
        phase = Phase.WORD;
        wordStart = pos;
      }
      if (pos == len) {
        if (!word.toString().equals("--") && (blankOk || word.length() > 0)) {
          flags.add(new SyntaxNode.Flag(word.toString(), base + wordStart));
        }
        break;
      }
      if (phase == Phase.WORD) {
        if (GoText.isSpace(ch)) {
          phase = Phase.SPACES;
          if (word.toString().equals("--")) {
            return pos;
          }
          if (blankOk || word.length() > 0) {
            flags.add(new SyntaxNode.Flag(word.toString(), base + wordStart));
          }
          word.setLength(0);
          blankOk = false;
          continue;
        }
        if (ch == '\'' || ch == '"') {
          quote = ch;
          blankOk = true;
          phase = Phase.QUOTE;
          continue;
        }
        if (ch == '\\') {
          if (pos + 1 == len) {
            continue;
          }
          pos++;
          ch = line.charAt(pos);
        }
        word.append(ch);
        continue;
      }
      if (ch == quote) {
        phase = Phase.WORD;
        continue;
      }
      if (ch == '\\') {
        if (pos + 1 == len) {
          phase = Phase.WORD;
          continue;
        }
        pos++;
        ch = line.charAt(pos);
      }
      word.append(ch);
    }
    return len;
  }
}
