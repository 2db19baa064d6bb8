package io.github.ostree4j.build.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Paths resolved inside a root like a container runtime's securejoin. */
class RootedPathsTest {

  @TempDir Path root;

  @Test
  void resolvesLinksInsideTheRootAndReportsTheMissingPart() throws Exception {
    Files.createDirectories(root.resolve("usr/etc"));
    Files.createDirectories(root.resolve("run"));
    Files.createSymbolicLink(root.resolve("etc"), Path.of("usr/etc"));
    Files.createSymbolicLink(root.resolve("usr/etc/resolv.conf"), Path.of("/../../run/systemd/resolve/stub"));
    Files.writeString(root.resolve("file"), "x");
    TreeLookup t = TreeLookup.of(root);

    RootedPaths.Resolved r = RootedPaths.resolve(t, "/etc/resolv.conf");
    assertEquals(List.of("run", "systemd", "resolve", "stub"), r.components());
    assertEquals(1, r.firstMissing());
    assertEquals("run", r.prefix(r.firstMissing()));

    r = RootedPaths.resolve(t, "/../../etc/./x/../hosts");
    assertEquals("usr/etc/hosts", r.rel());
    assertEquals(2, r.firstMissing());

    r = RootedPaths.resolve(t, "/etc");
    assertEquals("usr/etc", r.rel());
    assertEquals(true, r.exists());
    assertEquals("", RootedPaths.resolve(t, "/").rel());
    assertThrows(NotDirectoryException.class, () -> RootedPaths.resolve(t, "/file/x"));
  }

  @Test
  void symlinkLoopsEnd() throws Exception {
    Files.createSymbolicLink(root.resolve("a"), Path.of("b"));
    Files.createSymbolicLink(root.resolve("b"), Path.of("/a"));
    IOException e = assertThrows(IOException.class, () -> RootedPaths.resolve(TreeLookup.of(root), "/a/x"));
    assertEquals("too many levels of symbolic links resolving /a/x", e.getMessage());
  }
}
