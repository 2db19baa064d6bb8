package io.github.ostree4j.build.internal.syntax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ostree4j.build.ContainerfileException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden cases in {@code src/test/resources/parser/<case>/}: a {@code Containerfile} and either
 * the expected {@code result} (BuildKit's dump format) or the expected {@code error} message.
 * {@code SOURCES.md} there says where each case comes from.
 */
class SyntaxGoldenTest {

  private static final int EXPECTED_CASES = 27;

  private static List<Path> cases() throws IOException, URISyntaxException {
    Path root = Path.of(SyntaxGoldenTest.class.getResource("/parser").toURI());
    try (Stream<Path> dirs = Files.list(root)) {
      return dirs.filter(Files::isDirectory).sorted().toList();
    }
  }

  @Test
  void allCasesAreFound() throws IOException, URISyntaxException {
    List<Path> cases = cases();
    assertEquals(EXPECTED_CASES, cases.size(), cases.toString());
    for (Path c : cases) {
      assertTrue(Files.exists(c.resolve("Containerfile")), c.toString());
      assertTrue(Files.exists(c.resolve("result")) ^ Files.exists(c.resolve("error")), c.toString());
    }
  }

  @TestFactory
  Stream<DynamicTest> goldenCases() throws IOException, URISyntaxException {
    return cases().stream().map(c -> DynamicTest.dynamicTest(c.getFileName().toString(), () -> {
      String text = Files.readString(c.resolve("Containerfile"), StandardCharsets.UTF_8);
      Path result = c.resolve("result");
      if (Files.exists(result)) {
        String expected = Files.readString(result, StandardCharsets.UTF_8);
        assertFalse(expected.isEmpty());
        assertEquals(expected, SyntaxDump.dump(SyntaxParser.parse(text, "Containerfile")));
      } else {
        String expected = Files.readString(c.resolve("error"), StandardCharsets.UTF_8).strip();
        ContainerfileException e = assertThrows(ContainerfileException.class,
            () -> SyntaxParser.parse(text, "Containerfile"));
        assertEquals(expected, e.getMessage());
      }
    }));
  }
}
