package io.github.ostree4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.ostree4j.testing.CmdResult;
import io.github.ostree4j.testing.OstreeCli;
import io.github.ostree4j.testing.Peers;
import io.github.ostree4j.testing.TreeCorpus;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ostree4j prune} prints what {@code ostree prune} prints and leaves the same objects. */
class PruneIT {

  @TempDir Path tmp;

  private static void copyTree(Path from, Path to) throws Exception {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path q = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          Files.createDirectories(q);
        } else {
          Files.copy(p, q, LinkOption.NOFOLLOW_LINKS, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }

  private static List<String> listing(Path repo) throws Exception {
    List<String> out = new ArrayList<>();
    for (String d : List.of("objects", "deltas", "delta-indexes")) {
      Path root = repo.resolve(d);
      if (!Files.exists(root)) {
        continue;
      }
      try (Stream<Path> s = Files.walk(root)) {
        s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).forEach(p -> out.add(repo.relativize(p).toString()));
      }
    }
    out.sort(null);
    return out;
  }

  /** main: three commits a (2020), b (2021), c (2022); side: one commit; "gone" made then unreferenced. */
  private Path history() {
    Path repo = tmp.resolve("repo");
    OstreeCli.init(repo, "archive");
    String[] cases = {"vectors", "empty", "names"};
    String[] times = {"2020-01-01T00:00:00Z", "2021-01-01T00:00:00Z", "2022-01-01T00:00:00Z"};
    for (int i = 0; i < cases.length; i++) {
      Path t = TreeCorpus.write(tmp.resolve("t" + i), cases[i]);
      Cli.run("commit", "--repo=" + repo, "-b", "main", "--timestamp=" + times[i], t.toString()).ok();
    }
    Cli.run("commit", "--repo=" + repo, "-b", "side", "--timestamp=2021-06-01T00:00:00Z",
        "--add-detached-metadata-string=k=v", TreeCorpus.write(tmp.resolve("ts"), "deep").toString()).ok();
    Cli.run("commit", "--repo=" + repo, "-b", "gone", "--timestamp=2021-06-01T00:00:00Z",
        TreeCorpus.write(tmp.resolve("tg"), "symlinks").toString()).ok();
    OstreeCli.run("refs", "--repo=" + repo, "--delete", "gone");
    return repo;
  }

  private void compare(Path repo, List<List<String>> steps) throws Exception {
    Path theirs = tmp.resolve("theirs-" + System.nanoTime());
    Path ours = tmp.resolve("ours-" + System.nanoTime());
    copyTree(repo, theirs);
    copyTree(repo, ours);
    for (List<String> step : steps) {
      List<String> a = new ArrayList<>(List.of("prune", "--repo=" + theirs));
      a.addAll(step);
      CmdResult t = OstreeCli.run(a);
      List<String> b = new ArrayList<>(List.of("prune", "--repo=" + ours));
      b.addAll(step);
      Cli.Result o = Cli.run(b.toArray(String[]::new)).ok();
      assertEquals(t.stdout(), o.stdout(), "output of prune " + step);
      assertEquals(listing(theirs), listing(ours), "objects after prune " + step);
    }
    Cli.run("fsck", "--repo=" + ours).ok();
    OstreeCli.run("fsck", "--repo=" + ours);
  }

  @Test
  void sequenceMatchesOstree() throws Exception {
    Peers.require("ostree");
    Path repo = history();
    compare(repo, List.of(
        List.of("--no-prune"),
        List.of(),
        List.of("--refs-only", "--no-prune"),
        List.of("--refs-only", "--depth=1"),
        List.of("--refs-only", "--depth=0"),
        List.of("--refs-only")));
  }

  @Test
  void keepYoungerThanMatchesOstree() throws Exception {
    Peers.require("ostree");
    Path repo = history();
    compare(repo, List.of(List.of("--keep-younger-than=2021-03-01 00:00:00 +0000")));
  }

  @Test
  void deleteCommitMatchesOstree() throws Exception {
    Peers.require("ostree");
    Path repo = history();
    OstreeCli.run("static-delta", "generate", "--repo=" + repo, "--empty", "--to=side");
    String side = OstreeCli.run("rev-parse", "--repo=" + repo, "side").stdout().trim();
    String main = OstreeCli.run("rev-parse", "--repo=" + repo, "main").stdout().trim();
    OstreeCli.run("refs", "--repo=" + repo, "--delete", "side");
    compare(repo, List.of(List.of("--delete-commit=" + side)));
    Path copy = tmp.resolve("refused");
    copyTree(repo, copy);
    CmdResult t = OstreeCli.tryRun("prune", "--repo=" + copy, "--delete-commit=" + main);
    Cli.Result o = Cli.run("prune", "--repo=" + copy, "--delete-commit=" + main);
    assertEquals(t.exitCode(), o.exitCode());
    assertEquals(t.stderr().trim(), o.stderr().trim());
  }
}
