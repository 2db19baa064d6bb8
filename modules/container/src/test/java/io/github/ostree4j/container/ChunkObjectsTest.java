package io.github.ostree4j.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.ostree.MissingObjectException;
import io.github.ostree4j.ostree.ObjectType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ChunkObjects#of} on a small tree in an archive repository. */
class ChunkObjectsTest {

  @TempDir Path work;

  @Test
  void objectsHaveTheirSizeAndEveryPathInTreeOrder() throws IOException {
    Path t = Files.createDirectories(work.resolve("tree"));
    TestCommits.write(t, "b/same", "twelve bytes");
    TestCommits.write(t, "a/same", "twelve bytes");
    TestCommits.write(t, "a/sub/x", "x");
    TestCommits.write(t, "a/z", "");
    TestCommits.link(t, "a/link", "../b/same");
    TestCommits.write(t, "top", "top");
    TestCommits c = TestCommits.commit(work, t);
    List<String> order = new ArrayList<>();
    for (ChunkObject o : c.objects.values()) {
      order.addAll(o.paths());
    }
    // Depth first, files before subdirectories, names in byte order; first appearance decides.
    assertEquals(List.of("top", "a/link", "a/same", "b/same", "a/z", "a/sub/x"), order);
    ChunkObject same = c.objects.values().stream().filter(o -> o.paths().contains("a/same")).findFirst().orElseThrow();
    assertEquals(12, same.size());
    assertEquals(List.of("a/same", "b/same"), same.paths());
    ChunkObject link = c.objects.values().stream().filter(o -> o.paths().contains("a/link")).findFirst().orElseThrow();
    assertEquals(0, link.size(), "symlinks count 0 bytes");
    assertEquals(5, c.objects.size());
  }

  @Test
  void aMissingObjectIsNamed() throws IOException {
    Path t = Files.createDirectories(work.resolve("tree"));
    TestCommits.write(t, "f", "content");
    TestCommits c = TestCommits.commit(work, t);
    Checksum f = c.objects.keySet().iterator().next();
    Files.delete(c.repo.objectPath(f, ObjectType.FILE));
    MissingObjectException e = assertThrows(MissingObjectException.class, () -> ChunkObjects.of(c.repo, c.commit));
    assertTrue(e.getMessage().contains(f.hex()), e.getMessage());
  }
}
