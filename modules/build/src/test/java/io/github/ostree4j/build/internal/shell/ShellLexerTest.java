package io.github.ostree4j.build.internal.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.ostree4j.build.VariableExpansionException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ShellLexerTest {

  private static String word(String input, Map<String, String> env)
      throws VariableExpansionException {
    return new ShellLexer(ShellLexer.Options.of('\\')).process(input, env).word();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
      // pattern removal: shortest and longest, prefix and suffix
      "${FOO#*x*y}|xxyy|y",
      "${FOO#*}|xxyy|xxyy",
      "${FOO##*x}|xxyy|yy",
      "${FOO#}|xxyy|xxyy",
      "${FOO##}|xxyy|xxyy",
      "${FOO#?\\?}|???y|?y",
      "${FOO%x}|xxyy|xxyy",
      "${FOO%y}|xxyy|xxy",
      "${FOO%%y*}|xxyy|xx",
      "${FOO%%\\**}|xx**|xx",
      "${FOO%%\\**\\*}|a***yy*|a",
      "${FOO%}|xxyy|xxyy",
      "${FOO%.*}|archive.tar.gz|archive.tar",
      "${FOO%%.*}|archive.tar.gz|archive",
      "${FOO#*/}|usr/local/bin|local/bin",
      "${FOO##*/}|usr/local/bin|bin",
      // replacement, first and all
      "${FOO/o/0}|foo boo|f0o boo",
      "${FOO//o/0}|foo boo|f00 b00",
      "${FOO//\\//\\/}|/tmp/foo.txt|\\/tmp\\/foo.txt",
      "${FOO/*o/X}|foo boo|X",
      "${FOO///}|xxyy|xxyy",
      "${FOO/x/}|xxyy|xyy",
      // Go's ReplaceAll: no empty match right after a match
      "${FOO//*/-}|ab|-",
      "${FOO///-}|ab|-a-b-",
  })
  void patternForms(String input, String value, String expected)
      throws VariableExpansionException {
    assertEquals(expected, word(input, Map.of("FOO", value)));
  }

  @Test
  void regexMetacharactersAreLiteral() throws VariableExpansionException {
    assertEquals("x", word("${FOO#()[]{\\}^$.\\*\\?|\\\\}", Map.of("FOO", "()[]{}^$.*?|\\x")));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"[$0]|x[y]z", "$$|x$z", "$name|xz", "${0}|xyz",
      "${0|x${0z", "$|x$z", "a$0b$0|xayz", "a${0}b$0|xaybyz"})
  void replaceAllExpandsTheReplacementLikeGo(String replacement, String expected)
      throws VariableExpansionException {
    assertEquals(expected, word("${FOO//y/$R}", Map.of("FOO", "xyz", "R", replacement)));
    assertEquals("x" + replacement + "z", word("${FOO/y/$R}", Map.of("FOO", "xyz", "R", replacement)));
  }

  @Test
  void emptyPatternMatchesAtTheStart() throws VariableExpansionException {
    assertEquals("wwxxyy", word("${FOO/$BAR/ww}", Map.of("FOO", "xxyy", "BAR", "")));
  }

  @Test
  void patternsFromVariablesAreNotSplitOnSlash() throws VariableExpansionException {
    Map<String, String> env =
        Map.of("FOO", "/a/foo/b/c.txt", "NEEDLE", "/?/", "REPLACEMENT", "/");
    assertEquals("/foo/b/c.txt - /foo/c.txt",
        word("${FOO/$NEEDLE/$REPLACEMENT} - ${FOO//$NEEDLE/$REPLACEMENT}", env));
    assertEquals("/foo.*/*.txt - /foo..*.txt", word("${FOO/$NEEDLE/.} - ${FOO//$NEEDLE/.}",
        Map.of("FOO", "/foo*/*/*.txt", "NEEDLE", "\\*/")));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"${FOO//ww}", "${FOO//}", "${FOO=aaa}", "${FOO=:aaa}",
      "${FOO=}", "${FOO#\\x}", "${BAZ?ccc}", "${BAR:?bbb}", "${BAZ:?}"})
  void malformedOrFailing(String input) {
    assertThrows(VariableExpansionException.class,
        () -> word(input, Map.of("FOO", "xxyy", "BAR", "")));
  }

  @Test
  void requiredVariables() throws VariableExpansionException {
    assertEquals("xxx", word("${FOO?aaa}", Map.of("FOO", "xxx")));
    assertEquals("", word("${BAR?bbb}", Map.of("BAR", "")));
    assertEquals("xxx", word("${FOO:?aaa}", Map.of("FOO", "xxx")));
  }

  @Test
  void setButEmptyVersusUnset() throws VariableExpansionException {
    Map<String, String> env = Map.of("FOO", "xxx", "BAR", "");
    assertEquals("xxx  ccc", word("${FOO-aaa} ${BAR-bbb} ${BAZ-ccc}", env));
    assertEquals("xxx bbb ccc", word("${FOO:-aaa} ${BAR:-bbb} ${BAZ:-ccc}", env));
    assertEquals("aaa bbb ", word("${FOO+aaa} ${BAR+bbb} ${BAZ+ccc}", env));
    assertEquals("aaa  ", word("${FOO:+aaa} ${BAR:+bbb} ${BAZ:+ccc}", env));
  }

  @Test
  void reportsMatchedAndUnmatchedNames() throws VariableExpansionException {
    ShellLexer.Result r = new ShellLexer(ShellLexer.Options.of('\\'))
        .process("${FOO-aaa} ${BAR-bbb} ${BAZ-ccc}", Map.of("FOO", "xxx", "BAR", ""));
    assertEquals(Set.of("FOO", "BAR"), r.matched());
    assertEquals(Set.of("BAZ"), r.unmatched());
  }

  @Test
  void backtickEscape() throws VariableExpansionException {
    ShellLexer lexer = new ShellLexer(ShellLexer.Options.of('`'));
    assertEquals("C:\\dir $X", lexer.process("C:\\dir `$X", Map.of("X", "no")).word());
    assertEquals(List.of("a b", "c"), lexer.process("a` b c", Map.of()).words());
  }

  @Test
  void skipUnsetEnvKeepsReferences() throws VariableExpansionException {
    ShellLexer lexer =
        new ShellLexer(new ShellLexer.Options('\\', false, false, false, true, false));
    assertEquals("$A ${B} ${C:-x} ${D/a/b} set",
        lexer.process("$A ${B} ${C:-x} ${D/a/b} $E", Map.of("E", "set")).word());
  }

  @Test
  void skipProcessQuotesLeavesQuotesAlone() throws VariableExpansionException {
    ShellLexer lexer =
        new ShellLexer(new ShellLexer.Options('\\', false, false, true, false, false));
    assertEquals("echo 'v' \"v\"", lexer.process("echo '$A' \"$A\"", Map.of("A", "v")).word());
  }

  @Test
  void reversePatternKeepsEscapePairs() {
    assertEquals("c\\*a", ShellPattern.reversePattern("a\\*c"));
    assertEquals("b\\a\\\\", ShellPattern.reversePattern("\\\\\\ab"));
    assertEquals("\\ba", ShellPattern.reversePattern("ab\\"));
    assertEquals("🖖\\🚀👽", ShellPattern.reversePattern("👽\\🚀🖖"));
  }

  @Test
  void patternConversion() throws VariableExpansionException {
    assertEquals("^.*", ShellPattern.toRegex("*", true, true).pattern());
    assertEquals("^.", ShellPattern.toRegex("?", true, true).pattern());
    assertEquals("^\\*", ShellPattern.toRegex("\\*", true, true).pattern());
    assertEquals("^\\(\\(\\)\\[\\]\\{\\}\\^\\$\\.\\*\\?\\|\\\\",
        ShellPattern.toRegex("(()[]{\\}^$.\\*\\?|\\\\", true, true).pattern());
    for (String bad : List.of("\\", "\\x", "\\\\\\")) {
      assertThrows(VariableExpansionException.class, () -> ShellPattern.toRegex(bad, true, true));
    }
  }
}
