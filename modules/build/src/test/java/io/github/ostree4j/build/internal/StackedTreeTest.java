package io.github.ostree4j.build.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ostree4j.testing.Peers;
import io.github.ostree4j.testing.TreeComparator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The merged view of change trees, checked against the kernel's: the copy of a stack equals the
 * overlay mount of the same layers.
 */
class StackedTreeTest {

  @TempDir Path tmp;

  private List<Path> layers() throws Exception {
    Path low = tmp.resolve("low");
    Path mid = tmp.resolve("mid");
    Path top = tmp.resolve("top");
    for (String d : List.of("a", "b", "d")) {
      Files.createDirectories(low.resolve(d));
    }
    Files.writeString(low.resolve("a/x"), "x");
    Files.writeString(low.resolve("a/y"), "y");
    Files.writeString(low.resolve("b/z"), "z");
    Files.writeString(low.resolve("c"), "c");
    Files.writeString(low.resolve("d/k"), "k");
    Files.writeString(low.resolve("gone"), "g");
    Files.createDirectories(mid.resolve("a"));
    Files.writeString(mid.resolve("a/m"), "m");
    Files.createDirectories(mid.resolve("b"));
    Files.writeString(mid.resolve("b/new"), "new");
    ChangeTreeFormat.markOpaque(mid.resolve("b"));
    Files.createDirectories(mid.resolve("c"));
    Files.writeString(mid.resolve("c/inside"), "i");
    Files.writeString(mid.resolve("d"), "now a file");
    Files.createDirectories(top.resolve("a"));
    SpecialFiles specials = new SpecialFiles(tmp.resolve("wh"));
    specials.whiteout(top.resolve("a/x"));
    specials.whiteout(top.resolve("gone"));
    Files.writeString(top.resolve("a/y"), "y2");
    return List.of(top, mid, low);
  }

  @Test
  void mergesLikeOverlayfs() throws Exception {
    Peers.requireRoot("mknod for whiteouts");
    StackedTree t = new StackedTree(layers());
    assertEquals(List.of("a", "b", "c", "d"), List.copyOf(t.list(t.root()).keySet()));
    assertEquals(List.of("m", "y"), List.copyOf(t.list(t.lookup("a")).keySet()));
    assertEquals(tmp.resolve("top/a/y"), t.realPath("a/y"));
    assertEquals(List.of("new"), List.copyOf(t.list(t.lookup("b")).keySet()));
    assertEquals(List.of("inside"), List.copyOf(t.list(t.lookup("c")).keySet()));
    assertTrue(t.lstat("d").isRegular());
    assertNull(t.lookup("d/k"));
    assertNull(t.lookup("gone"));
    assertNull(t.lookup("a/x"));
  }

  @Test
  void copyEqualsTheKernelsOverlay() throws Exception {
    Peers.requireRoot("mounts an overlay");
    List<Path> layers = layers();
    Path copy = tmp.resolve("copy");
    Files.createDirectories(copy);
    TreeCopier.copy(new StackedTree(layers), copy);
    Path merged = tmp.resolve("merged");
    Files.createDirectories(merged);
    io.github.ostree4j.testing.Cmd.of("mount", "-t", "overlay", "overlay", "-o", "ro,userxattr,lowerdir="
        + layers.get(0) + ":" + layers.get(1) + ":" + layers.get(2), merged.toString()).run().checkSuccess();
    try {
      TreeComparator.assertEqualTrees(merged, copy,
          TreeComparator.Options.defaults().compareFileMtimes().compareHardlinks().ignoreXattrs());
    } finally {
      io.github.ostree4j.testing.Cmd.of("umount", merged.toString()).run().checkSuccess();
    }
  }
}
