package io.github.ostree4j.build.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Clean-up of a finished change tree. */
final class ChangeTrees {

  private ChangeTrees() {}

  /**
   * Removes the whiteouts that hide nothing in {@code lowers}: those of mount points that were
   * made for the step's containers only (and deleted afterwards, for example by a clean-up of
   * {@code /run}). Applying the layer would be the same without them, so they are noise.
   *
   * @param lowers the step's lower layers, topmost first, without the mount-point layer
   */
  static void pruneWhiteouts(Path tree, List<Path> lowers) throws IOException {
    StackedTree stack = lowers.isEmpty() ? null : new StackedTree(lowers);
    prune(tree, "", stack);
  }

  private static void prune(Path dir, String prefix, StackedTree stack) throws IOException {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        FileMeta m = FileMeta.read(p);
        String rel = prefix + p.getFileName();
        if (m.isWhiteout()) {
          if (stack == null || stack.lookup(rel) == null) {
            FileMeta parent = FileMeta.read(dir);
            Files.delete(p);
            Metadata.setMtime(dir, parent.mtime());
          }
        } else if (m.isDir()) {
          prune(p, rel + "/", stack);
        }
      }
    }
  }
}
