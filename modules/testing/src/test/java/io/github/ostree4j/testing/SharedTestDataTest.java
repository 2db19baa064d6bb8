package io.github.ostree4j.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SharedTestDataTest {

  @Test
  void locatesTheVectors() {
    Path script = SharedTestData.require("ostree-vectors/make-vectors.sh");
    assertTrue(Files.isRegularFile(script));
    assertTrue(SharedTestData.require().endsWith("testdata"));
  }
}
