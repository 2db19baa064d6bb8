package io.github.ostree4j.container.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ostree4j.container.InvalidOstreeTarException;
import java.util.List;
import org.junit.jupiter.api.Test;

class TarPathsTest {

  @Test
  void dotSlashLeadingSlashAndBareNameAreTheSamePath() throws InvalidOstreeTarException {
    List<String> expected = List.of("objects", "ab", "cd.file");
    for (String prefix : List.of("", "./", "/", "//", "././")) {
      assertEquals(expected, TarPaths.insideRepo(prefix + "sysroot/ostree/repo/objects/ab/cd.file"), prefix);
    }
    assertEquals(expected, TarPaths.insideRepo("sysroot//ostree/./repo/objects/ab/cd.file"));
  }

  @Test
  void pathsOutsideTheRepositoryAreNotInIt() throws InvalidOstreeTarException {
    assertNull(TarPaths.insideRepo("usr/bin/bash"));
    assertNull(TarPaths.insideRepo("sysroot/ostree"));
    assertNull(TarPaths.insideRepo("sysroot/config"));
    assertNull(TarPaths.insideRepo("./sysroot/ostree/repository/objects"));
    assertEquals(List.of(), TarPaths.insideRepo("./sysroot/ostree/repo/"));
  }

  @Test
  void dotDotIsRefusedAnywhere() {
    for (String name : List.of("../x", "sysroot/ostree/repo/objects/../../../../etc/passwd", "usr/..", "a/../b")) {
      InvalidOstreeTarException e = assertThrows(InvalidOstreeTarException.class, () -> TarPaths.components(name));
      assertTrue(e.getMessage().contains("'" + name + "'") && e.getMessage().contains(".."), e.getMessage());
    }
  }
}
