package io.github.ostree4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OstreeCliTest {

  @TempDir Path tmp;

  @Test
  void versionIsParsed() {
    Peers.require("ostree");
    assertTrue(OstreeCli.version().matches("\\d{4}\\.\\d+"), OstreeCli.version());
  }

  @Test
  void initCommitAndListWithRealOstree() throws IOException {
    Peers.require("ostree");
    Path tree = Files.createDirectories(tmp.resolve("tree"));
    Files.writeString(tree.resolve("a"), "a\n");
    Path repo = tmp.resolve("repos/bare-user");
    OstreeCli.init(repo, "bare-user");
    assertTrue(Files.isRegularFile(repo.resolve("config")));
    String commit = OstreeCli.commit(repo, List.of("--branch=b", "--no-xattrs"), tree);
    assertEquals(64, commit.length());
    assertEquals(
        commit, OstreeCli.run("--repo=" + repo, "rev-parse", "b").stdout().trim());
    CmdResult missing = OstreeCli.tryRun("--repo=" + repo, "rev-parse", "no-such-ref");
    assertFalse(missing.success());
  }
}
