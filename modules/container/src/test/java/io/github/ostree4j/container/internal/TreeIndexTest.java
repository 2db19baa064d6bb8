package io.github.ostree4j.container.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.ostree4j.container.ChunkObjects;
import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.ostree.CommitOptions;
import io.github.ostree4j.ostree.Committer;
import io.github.ostree4j.ostree.OstreeRepo;
import io.github.ostree4j.ostree.RepoMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TreeIndex#resolve} follows symlinked directories as the kernel does: checked against
 * {@link Path#toRealPath} on the directory the commit was made from, for symlinks that stay in the
 * tree; absolute and escaping symlinks resolve inside the tree, as in a chroot.
 */
class TreeIndexTest {

  @TempDir static Path work;
  private static Path tree;
  private static TreeIndex index;

  @BeforeAll
  static void setUp() throws IOException {
    tree = work.resolve("tree");
    Files.createDirectories(tree);
    write("usr/bin/bash");
    write("usr/lib/x/libc.so");
    write("usr/etc/passwd");
    link("usr/lib64", "lib");
    link("bin", "usr/bin");
    link("lib", "usr/lib");
    link("lib64", "usr/lib64");
    link("usr/sbin", "bin");
    link("usr/bin/sh", "bash");
    link("loop1", "loop2");
    link("loop2", "loop1");
    link("up", "../../..");
    link("abs", "/usr/lib");
    OstreeRepo repo = OstreeRepo.init(work.resolve("repo"), RepoMode.ARCHIVE);
    Checksum c = new Committer(repo).commitDirectory(tree, CommitOptions.builder().branch("t").timestamp(0).build());
    index = TreeIndex.of(repo, ChunkObjects.of(repo, c));
  }

  private static void write(String p) throws IOException {
    Files.createDirectories(tree.resolve(p).getParent());
    Files.writeString(tree.resolve(p), p);
  }

  private static void link(String p, String target) throws IOException {
    Files.createDirectories(tree.resolve(p).getParent());
    Files.createSymbolicLink(tree.resolve(p), Path.of(target));
  }

  @Test
  void resolvesLikeTheKernelInsideTheTree() throws IOException {
    for (String p : List.of("/bin/bash", "/bin/sh", "/bin", "/lib/x/libc.so", "/lib64/x/libc.so",
        "/usr/sbin/bash", "/usr/lib64/x/libc.so", "/bin/../lib/x/libc.so", "/./usr//bin/bash",
        "/usr/bin/missing", "/nothere/bash", "/usr/bin/bash/x", "/loop1/x")) {
      assertEquals(kernel(p), index.resolve(p), p);
    }
  }

  @Test
  void absoluteAndEscapingLinksStayInTheTree() throws IOException {
    assertEquals(Optional.of("usr/lib/x/libc.so"), index.resolve("/abs/x/libc.so"));
    assertEquals(Optional.of("usr/bin/bash"), index.resolve("/up/usr/bin/bash"));
    assertEquals(Optional.of("usr/bin/bash"), index.resolve("/../../usr/bin/bash"));
  }

  @Test
  void etcFallsBackToUsrEtc() throws IOException {
    assertEquals(Optional.of("usr/etc/passwd"), index.resolve("/etc/passwd"));
    assertEquals(Optional.empty(), index.resolve("/etc/shadow"));
  }

  /** What the kernel finds: the parent resolved with symlinks followed, the last name not. */
  private static Optional<String> kernel(String p) throws IOException {
    Path parent = tree.resolve(p.substring(1)).getParent();
    try {
      Path real = parent.toRealPath().resolve(tree.resolve(p.substring(1)).getFileName());
      if (!Files.exists(real, LinkOption.NOFOLLOW_LINKS) || Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS)) {
        return Optional.empty();
      }
      return Optional.of(tree.toRealPath().relativize(real).toString());
    } catch (IOException e) {
      return Optional.empty(); // missing parent, loop, or a file used as a directory
    }
  }
}
