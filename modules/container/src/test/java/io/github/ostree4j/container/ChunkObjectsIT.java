package io.github.ostree4j.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.testing.OstreeCli;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link ChunkObjects#of} against {@code ostree ls -R -C}: the same paths, each with the same
 * content checksum and size, on the committed Debian minbase tree.
 */
class ChunkObjectsIT {

  @Test
  void objectsMatchOstreeLs() {
    OstreeCli.executable();
    Map<Checksum, ChunkObject> objects = MinbaseCommits.objects();
    Map<String, String> expected = new HashMap<>();
    for (String line : OstreeCli.run("ls", "--repo=" + MinbaseCommits.repo().path(), "-R", "-C",
        MinbaseCommits.commit().hex()).stdoutLines()) {
      if (line.startsWith("d")) {
        continue;
      }
      String[] f = line.trim().split("\\s+", 6);
      String path = f[5];
      if (line.startsWith("l")) {
        path = path.substring(0, path.lastIndexOf(" -> "));
      }
      expected.put(path.substring(1), f[4] + " " + (line.startsWith("l") ? "0" : f[3]));
    }
    Map<String, String> actual = new HashMap<>();
    for (ChunkObject o : objects.values()) {
      for (String p : o.paths()) {
        actual.put(p, o.checksum().hex() + " " + o.size());
      }
    }
    assertTrue(expected.size() > 5000, "minbase has thousands of files: " + expected.size());
    assertEquals(expected, actual);
  }
}
