package io.github.ostree4j.build.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {

  @TempDir Path tmp;

  @Test
  void deletesLockedDirectoriesAndDoesNotFollowLinks() throws Exception {
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Files.writeString(outside.resolve("keep"), "keep");
    Path tree = Files.createDirectories(tmp.resolve("tree/a/locked"));
    Files.writeString(tree.resolve("f"), "x");
    Files.createSymbolicLink(tmp.resolve("tree/a/link"), outside);
    Files.setAttribute(tree, "unix:mode", 0);
    Files.setAttribute(tmp.resolve("tree/a"), "unix:mode", 0500);

    FileTrees.deleteRecursively(tmp.resolve("tree"));

    assertFalse(Files.exists(tmp.resolve("tree"), LinkOption.NOFOLLOW_LINKS));
    assertEquals("keep", Files.readString(outside.resolve("keep")), "the link's target is untouched");
    FileTrees.deleteRecursively(tmp.resolve("tree")); // missing: fine
    Path file = Files.writeString(tmp.resolve("file"), "x");
    Trees.deleteRecursively(file);
    assertTrue(Files.exists(outside));
    assertFalse(Files.exists(file));
  }
}
