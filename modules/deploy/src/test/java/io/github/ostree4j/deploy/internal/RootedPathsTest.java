package io.github.ostree4j.deploy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Symlinks in a deployment tree never lead a read out of it. */
class RootedPathsTest {

  @TempDir Path tmp;

  @Test
  void symlinksResolveInsideTheTree() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("root"));
    Files.createDirectories(root.resolve("usr/lib"));
    Files.writeString(root.resolve("usr/lib/os-release"), "ID=inside\n");
    Files.createDirectories(root.resolve("etc"));
    Files.createSymbolicLink(root.resolve("etc/os-release"), Path.of("../usr/lib/os-release"));
    Files.createSymbolicLink(root.resolve("etc/absolute"), Path.of("/usr/lib/os-release"));
    Files.writeString(tmp.resolve("secret"), "outside\n");
    Files.createSymbolicLink(root.resolve("etc/escape"), Path.of("../../../../secret"));
    Files.createSymbolicLink(root.resolve("etc/host"), tmp.resolve("secret"));
    Files.createSymbolicLink(root.resolve("etc/loop"), Path.of("loop"));

    Path expected = root.resolve("usr/lib/os-release");
    assertEquals(expected, RootedPaths.resolve(root, "etc/os-release").orElseThrow());
    assertEquals(expected, RootedPaths.resolve(root, "etc/absolute").orElseThrow());
    assertTrue(RootedPaths.resolve(root, "etc/escape").isEmpty(), "../ stops at the root: /secret is not in the tree");
    assertTrue(RootedPaths.resolve(root, "etc/host").isEmpty(), "an absolute target starts at the tree's root");
    assertTrue(RootedPaths.resolve(root, "etc/loop").isEmpty());
    assertTrue(RootedPaths.resolve(root, "etc/missing").isEmpty());
  }
}
