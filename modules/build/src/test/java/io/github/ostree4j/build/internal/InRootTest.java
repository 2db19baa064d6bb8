package io.github.ostree4j.build.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InRootTest {

  @TempDir Path tmp;

  @Test
  void symlinksResolveInsideTheRoot() throws IOException {
    Path root = Files.createDirectories(tmp.resolve("root"));
    Files.createDirectories(root.resolve("usr/bin"));
    Files.createSymbolicLink(root.resolve("bin"), Path.of("usr/bin"));
    Files.createSymbolicLink(root.resolve("abs"), Path.of("/etc"));
    Files.createSymbolicLink(root.resolve("up"), Path.of("../../../../etc"));
    assertEquals(root.resolve("usr/bin/sh"), InRoot.resolve(root, "/bin/sh", true));
    assertEquals(root.resolve("etc/passwd"), InRoot.resolve(root, "abs/passwd", true));
    assertEquals(root.resolve("etc/passwd"), InRoot.resolve(root, "/up/passwd", true));
    assertEquals(root.resolve("etc"), InRoot.resolve(root, "../../../etc", true));
    // the last component is not followed on request
    assertEquals(root.resolve("bin"), InRoot.resolve(root, "/bin", false));
    assertEquals(root.resolve("usr/bin"), InRoot.resolve(root, "/bin", true));
  }

  @Test
  void linkLoopsFail() throws IOException {
    Path root = Files.createDirectories(tmp.resolve("root"));
    Files.createSymbolicLink(root.resolve("a"), Path.of("b"));
    Files.createSymbolicLink(root.resolve("b"), Path.of("a"));
    assertThrows(IOException.class, () -> InRoot.resolve(root, "/a/x", true));
  }

  @Test
  void cleanAndEscapes() {
    assertEquals("a/c", InRoot.clean("/a/./b/../c/"));
    assertEquals("x", InRoot.clean("../../x"));
    assertEquals("", InRoot.clean("/"));
    assertTrue(InRoot.escapes("../x"));
    assertTrue(InRoot.escapes("a/../../x"));
    assertFalse(InRoot.escapes("a/../x"));
    assertFalse(InRoot.escapes("./a/b"));
  }
}
