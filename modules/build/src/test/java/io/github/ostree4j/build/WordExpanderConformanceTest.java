package io.github.ostree4j.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.ostree4j.build.internal.shell.GoText;
import io.github.ostree4j.testing.SharedTestData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * BuildKit's own lexer conformance data ({@code frontend/dockerfile/shell/envVarTest} and
 * {@code wordsTest}), read the way BuildKit's {@code lex_test.go} reads it. Windows-only cases
 * are skipped: ostree4j builds Linux images.
 */
class WordExpanderConformanceTest {

  private static final Map<String, String> ENV_VAR_TEST_ENV =
      Map.of("PWD", "/home", "SHELL", "bash", "KOREAN", "한국어", "NULL", "");

  private static List<String> lines(String name) throws IOException {
    Path file = SharedTestData.require("buildkit-lexer/" + name);
    return Files.readAllLines(file, StandardCharsets.UTF_8);
  }

  @Test
  void envVarTest() throws IOException {
    WordExpander expander = new WordExpander('\\');
    int run = 0;
    int windowsOnly = 0;
    List<String> failures = new ArrayList<>();
    List<String> lines = lines("envVarTest");
    for (int n = 0; n < lines.size(); n++) {
      String line = lines.get(n);
      if (line.startsWith("#")) {
        continue;
      }
      line = GoText.trim(line);
      if (line.isEmpty()) {
        continue;
      }
      String[] parts = line.split("\\|", -1);
      assertEquals(3, parts.length, "line " + (n + 1));
      String platform = GoText.trim(parts[0]);
      String source = GoText.trim(parts[1]);
      String expected = GoText.trim(parts[2]);
      if (platform.equals("W")) {
        windowsOnly++;
        continue;
      }
      if (!platform.equals("A") && !platform.equals("U")) {
        fail("bad platform tag " + platform + " at line " + (n + 1));
      }
      run++;
      try {
        String got = expander.processWord(source, ENV_VAR_TEST_ENV);
        if (expected.equals("error")) {
          failures.add("line " + (n + 1) + ": " + source + " should fail, got " + got);
        } else if (!expected.equals(got)) {
          failures.add("line " + (n + 1) + ": " + source + " -> " + got + " (want " + expected + ")");
        }
      } catch (VariableExpansionException e) {
        if (!expected.equals("error")) {
          failures.add("line " + (n + 1) + ": " + source + " failed: " + e.getMessage());
        }
      }
    }
    assertEquals(List.of(), failures);
    assertEquals(228, run, "cases for platforms A and U");
    assertEquals(2, windowsOnly);
  }

  @Test
  void wordsTest() throws IOException {
    WordExpander expander = new WordExpander('\\');
    Map<String, String> env = new HashMap<>();
    int run = 0;
    int envLines = 0;
    List<String> failures = new ArrayList<>();
    List<String> lines = lines("wordsTest");
    for (int n = 0; n < lines.size(); n++) {
      String line = lines.get(n);
      if (line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("ENV ")) {
        String assignment = line.substring(3).replaceFirst("^ +", "");
        int eq = assignment.indexOf('=');
        env.put(assignment.substring(0, eq), assignment.substring(eq + 1));
        envLines++;
        continue;
      }
      String[] parts = line.split("\\|", -1);
      assertEquals(2, parts.length, "line " + (n + 1));
      String test = GoText.trim(parts[0]);
      List<String> expected = Arrays.asList(parts[1].replaceFirst("^ +", "").split(",", -1));
      List<String> got;
      try {
        got = expander.processWords(test, env);
      } catch (VariableExpansionException e) {
        got = List.of("error");
      }
      run++;
      if (!expected.equals(got)) {
        failures.add("line " + (n + 1) + ": " + test + " -> " + got + " (want " + expected + ")");
      }
    }
    assertEquals(List.of(), failures);
    assertEquals(24, run);
    assertEquals(4, envLines);
  }

  @Test
  void errorsNameTheWordAndTheProblem() {
    WordExpander expander = new WordExpander('\\');
    VariableExpansionException e = assertThrows(VariableExpansionException.class,
        () -> expander.processWord("a${b", Map.of()));
    assertEquals("failed to process \"a${b\": unsupported modifier (\uFFFD) in substitution",
        e.getMessage());
    e = assertThrows(VariableExpansionException.class,
        () -> expander.processWord("${VAR:?message here$ARG}", Map.of("ARG", "x")));
    assertEquals("failed to process \"${VAR:?message here$ARG}\": VAR: message herex",
        e.getMessage());
  }
}
