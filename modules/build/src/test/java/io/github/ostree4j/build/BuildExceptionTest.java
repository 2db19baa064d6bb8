package io.github.ostree4j.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BuildExceptionTest {

  @Test
  void runFailuresNameTheLineTheExitCodeAndTheOutput() {
    BuildException e = new BuildException(new SourceLocation("Containerfile", 7, 8),
        "make install", 2, "line 1\nmake: *** [install] Error 2\n");
    assertEquals("Containerfile:7: RUN failed with exit code 2: make install", e.summary());
    assertEquals("line 1\nmake: *** [install] Error 2", e.outputTail());
    assertEquals(e.summary() + "\n" + e.outputTail(), e.getMessage());
    assertEquals(2, e.exitCode().getAsInt());
  }

  @Test
  void otherFailuresAreOneLine() {
    BuildException e = new BuildException(new SourceLocation("Containerfile", 3, 3),
        "COPY failed: no such file", null);
    assertEquals("Containerfile:3: COPY failed: no such file", e.getMessage());
    assertTrue(e.exitCode().isEmpty());
    assertEquals("", e.outputTail());
  }
}
