package io.github.ostree4j.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IgnorePatternsTest {

  @ParameterizedTest(name = "{0} / {1} -> {2}")
  @CsvSource(delimiter = '|', value = {
      // plain names: exact, and everything below a matched directory
      "docs|docs|true",
      "docs|docs/a.md|true",
      "docs|docs/sub/x|true",
      "docs|docs2|false",
      "docs|a/docs|false",
      "docs/|docs/a.md|true",
      "/build|build/out|true",
      "./tmp/../cache|cache/x|true",
      "./tmp/../cache|tmp/x|false",
      "a//b///c|a/b/c|true",
      // * and ? stay within one path element
      "*.go|main.go|true",
      "*.go|dir/main.go|false",
      "*|a/b|true",
      "a/*/c|a/b/c|true",
      "a/*/c|a/b/d/c|false",
      "a/*/c|a/b/c/d|true",
      "file?.txt|file1.txt|true",
      "file?.txt|file10.txt|false",
      "file?.txt|file/.txt|false",
      // ** any number of directories
      "**/*.go|main.go|true",
      "**/*.go|a/b/c.go|true",
      "**/node_modules|node_modules|true",
      "**/node_modules|x/y/node_modules|true",
      "**/node_modules|x/node_modules/pkg/index.js|true",
      "**/node_modules|x/my_node_modules|false",
      "dir/**/*.go|dir/x.go|true",
      "dir/**/*.go|dir/a/b/x.go|true",
      "dir/**/*.go|x.go|false",
      "a/**|a/x|true",
      "a/**|a/b/c|true",
      "a/**|a|false",
      "a/**|ab|false",
      "**|anything/at/all|true",
      "**.tmp|x.tmp|true",
      "**.tmp|a/b.tmp|true",
      // classes and escapes as filepath.Match
      "[a-c].txt|b.txt|true",
      "[a-c].txt|d.txt|false",
      "[^a].txt|b.txt|true",
      "[^a].txt|a.txt|false",
      "[!a].txt|!.txt|true",
      "[!a].txt|b.txt|false",
      "[a\\-z].txt|-.txt|true",
      "[a\\-z].txt|m.txt|false",
      "[[].txt|[.txt|true",
      "\\*.txt|*.txt|true",
      "\\*.txt|a.txt|false",
      "a\\[b|a[b|true",
      // regular-expression characters are literal
      "a.(b)+{c}$|a.(b)+{c}$|true",
      "a.(b)+{c}$|aX(b)+{c}$|false",
      "*.(b)|x.(b)|true",
      "*.(b)|x.b|false",
      "ü*|über|true",
      "a^b|a^b|true",
  })
  void singlePattern(String pattern, String path, boolean excluded) {
    assertEquals(excluded, IgnorePatterns.parse(pattern).excludes(path));
  }

  @Test
  void lastMatchWins() {
    IgnorePatterns p = IgnorePatterns.parse("*.md\n!README.md\n");
    assertTrue(p.excludes("CHANGES.md"));
    assertFalse(p.excludes("README.md"));
    assertFalse(p.excludes("docs/x.md"));
    assertTrue(p.hasExclusions());

    IgnorePatterns q = IgnorePatterns.parse("!keep\n*\n");
    assertTrue(q.excludes("keep"));

    IgnorePatterns r = IgnorePatterns.parse("logs\n!logs/keep.log\n");
    assertTrue(r.excludes("logs/other.log"));
    assertFalse(r.excludes("logs/keep.log"));
    assertTrue(r.excludes("logs"));

    IgnorePatterns s = IgnorePatterns.parse("**\n!src/**\n!Containerfile\n");
    assertTrue(s.excludes("target/x.class"));
    assertFalse(s.excludes("src/main/A.java"));
    assertFalse(s.excludes("Containerfile"));
    assertTrue(s.excludes("src"));

    IgnorePatterns t = IgnorePatterns.parse("build\n!build/keep\nbuild/keep/secret\n");
    assertTrue(t.excludes("build/x"));
    assertFalse(t.excludes("build/keep/y"));
    assertTrue(t.excludes("build/keep/secret/z"));
  }

  @Test
  void fileSyntax() {
    IgnorePatterns p = IgnorePatterns.parse(
        "\uFEFF*.tmp\r\n# a comment\r\n   # not a comment\n\n   \t\n  spaced.txt  \n! keep.tmp\n");
    assertTrue(p.excludes("x.tmp"));
    assertFalse(p.excludes("keep.tmp"));
    assertTrue(p.excludes("# not a comment"));
    assertFalse(p.excludes("# a comment"));
    assertTrue(p.excludes("spaced.txt"));
    assertEquals("IgnorePatterns[*.tmp, # not a comment, spaced.txt, !keep.tmp]", p.toString());
  }

  @Test
  void pathsAreCleaned() {
    IgnorePatterns p = IgnorePatterns.parse("a/b\n");
    assertTrue(p.excludes("./a/b"));
    assertTrue(p.excludes("a//b/"));
    assertTrue(p.excludes("/a/b/c"));
    assertTrue(p.excludes("x/../a/b"));
    assertFalse(p.excludes("."));
    assertFalse(p.excludes(""));
    assertFalse(IgnorePatterns.parse("*\n").excludes("."));
  }

  @Test
  void emptyAndNone() {
    assertTrue(IgnorePatterns.none().isEmpty());
    assertFalse(IgnorePatterns.none().excludes("anything"));
    assertTrue(IgnorePatterns.parse("# only a comment\n\n").isEmpty());
    assertFalse(IgnorePatterns.parse("x").isEmpty());
    assertFalse(IgnorePatterns.parse("x").hasExclusions());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "ok\\n[abc|ignore file line 2: syntax error in pattern [abc",
      "a\\|ignore file line 1: syntax error in pattern a\\",
      "!|ignore file line 1: illegal exclusion pattern: \"!\"",
      "[]a]|ignore file line 1: syntax error in pattern []a]",
      "[a-]|ignore file line 1: syntax error in pattern [a-]",
      "*[z-|ignore file line 1: syntax error in pattern *[z-",
  })
  void malformedPatterns(String text, String message) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> IgnorePatterns.parse(text.replace("\\n", "\n")));
    assertEquals(message, e.getMessage());
  }

  @Test
  void locatePrefersTheContainerfileSpecificFile(@TempDir Path dir) throws IOException {
    Path context = Files.createDirectories(dir.resolve("ctx"));
    Path cf = Files.writeString(Files.createDirectories(dir.resolve("files"))
        .resolve("Containerfile.prod"), "FROM scratch\n");
    assertEquals(Optional.empty(), IgnorePatterns.locate(context, cf));
    Path contextDocker = Files.writeString(context.resolve(".dockerignore"), "a\n");
    assertEquals(Optional.of(contextDocker), IgnorePatterns.locate(context, cf));
    Path contextContainer = Files.writeString(context.resolve(".containerignore"), "b\n");
    assertEquals(Optional.of(contextContainer), IgnorePatterns.locate(context, cf));
    Path specificDocker = Files.writeString(dir.resolve("files/Containerfile.prod.dockerignore"),
        "c\n");
    assertEquals(Optional.of(specificDocker), IgnorePatterns.locate(context, cf));
    Path specificContainer =
        Files.writeString(dir.resolve("files/Containerfile.prod.containerignore"), "d\n");
    assertEquals(Optional.of(specificContainer), IgnorePatterns.locate(context, cf));
    assertEquals(Optional.of(contextContainer), IgnorePatterns.locate(context, null));
    Files.createDirectories(dir.resolve("files/Other.containerignore"));
    assertEquals(Optional.of(contextContainer),
        IgnorePatterns.locate(context, dir.resolve("files/Other")));
  }
}
