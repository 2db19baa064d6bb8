package io.github.ostree4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.ostree4j.testing.OstreeCli;
import io.github.ostree4j.testing.Peers;
import io.github.ostree4j.testing.TreeComparator;
import io.github.ostree4j.testing.TreeCorpus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code ostree4j checkout} of a commit made by ostree4j gives the same tree as {@code ostree
 * checkout} of that commit: every corpus case, archive, bare-user and (as root) bare repositories,
 * user mode and (as root) non-user mode.
 */
class CheckoutIT {

  @TempDir Path tmp;

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (String name : TreeCorpus.names(false)) {
      for (String mode : List.of("archive", "bare-user", "bare")) {
        for (boolean user : List.of(true, false)) {
          out.add(Arguments.of(name, mode, user));
        }
      }
    }
    out.add(Arguments.of(TreeCorpus.BIG_FILE, "archive", true));
    return out.stream();
  }

  private String commit(Path repo, String mode, Path tree) {
    OstreeCli.init(repo, mode);
    return Cli.run("commit", "--repo=" + repo, "-b", "t", "--timestamp=2020-01-01T00:00:00Z", tree.toString())
        .ok().lastLine();
  }

  @ParameterizedTest(name = "{0} {1} user={2}")
  @MethodSource("cases")
  void sameTreeAsOstree(String name, String mode, boolean user) throws Exception {
    Peers.require("ostree");
    if (!user || mode.equals("bare")) {
      Peers.requireRoot("non-user checkouts and bare repositories need root");
    }
    if (TreeCorpus.usesXattrs(name)) {
      assumeTrue(TreeCorpus.supportsUserXattrs(tmp), "filesystem without user xattrs");
    }
    Path tree = TreeCorpus.write(tmp.resolve("tree"), name);
    Path repo = tmp.resolve("repo");
    String commit = commit(repo, mode, tree);
    Path expected = tmp.resolve("expected");
    Path actual = tmp.resolve("actual");
    List<String> ostreeArgs = new ArrayList<>(List.of("checkout", "--repo=" + repo));
    List<String> ourArgs = new ArrayList<>(List.of("checkout", "--repo=" + repo));
    if (user) {
      ostreeArgs.add("-U");
      ourArgs.add("-U");
    }
    // ostree's uncompressed-object cache for archive -U only adds hard links; it is kept off here
    // so that the repository is not modified between the two checkouts.
    if (mode.equals("archive")) {
      ostreeArgs.add("--disable-cache");
    }
    ostreeArgs.addAll(List.of(commit, expected.toString()));
    ourArgs.addAll(List.of(commit, actual.toString()));
    OstreeCli.run(ostreeArgs);
    Cli.run(ourArgs.toArray(String[]::new)).ok();
    TreeComparator.Options opts = TreeComparator.Options.defaults();
    if (!mode.equals("archive")) {
      opts = opts.compareHardlinks();
    }
    TreeComparator.assertEqualTrees(expected, actual, opts);
    if (mode.equals("bare-user") && user || mode.equals("bare") && !user) {
      assertHardlinkedLikeOstree(expected, actual);
    }
  }

  /** The same paths are hard links to objects (link count above 1) in both checkouts. */
  private static void assertHardlinkedLikeOstree(Path expected, Path actual) throws Exception {
    List<String> diffs = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(expected)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        Path q = actual.resolve(expected.relativize(p).toString());
        boolean a = ((Integer) Files.getAttribute(p, "unix:nlink", java.nio.file.LinkOption.NOFOLLOW_LINKS)) > 1;
        boolean b = ((Integer) Files.getAttribute(q, "unix:nlink", java.nio.file.LinkOption.NOFOLLOW_LINKS)) > 1;
        if (a != b) {
          diffs.add(expected.relativize(p) + ": hardlinked in ostree's checkout " + a + ", in ours " + b);
        }
      }
    }
    assertTrue(diffs.isEmpty(), diffs.toString());
  }

  @Test
  void unionAndUnionAddMatchOstree() throws Exception {
    Peers.require("ostree");
    Path tree = TreeCorpus.write(tmp.resolve("tree"), "symlinks");
    Path repo = tmp.resolve("repo");
    String commit = commit(repo, "archive", tree);
    for (String flag : List.of("--union", "--union-add")) {
      Path expected = tmp.resolve("expected" + flag);
      Path actual = tmp.resolve("actual" + flag);
      for (Path d : List.of(expected, actual)) {
        Files.createDirectories(d.resolve("target-dir"));
        Files.writeString(d.resolve("file.txt"), "pre-existing");
        Files.writeString(d.resolve("extra.txt"), "kept");
        Files.createSymbolicLink(d.resolve("dangling"), Path.of("somewhere-else"));
      }
      OstreeCli.run("checkout", "--repo=" + repo, "-U", "--disable-cache", flag, commit, expected.toString());
      Cli.run("checkout", "--repo=" + repo, "-U", flag, commit, actual.toString()).ok();
      TreeComparator.assertEqualTrees(expected, actual, TreeComparator.Options.defaults().ignoreRootMetadata());
    }
  }

  @Test
  void existingDestinationFailsLikeOstree() throws Exception {
    Peers.require("ostree");
    Path tree = TreeCorpus.write(tmp.resolve("tree"), "empty");
    Path repo = tmp.resolve("repo");
    String commit = commit(repo, "archive", tree);
    Path dest = Files.createDirectories(tmp.resolve("dest"));
    assertEquals(1, OstreeCli.tryRun("checkout", "--repo=" + repo, "-U", commit, dest.toString()).exitCode());
    Cli.Result r = Cli.run("checkout", "--repo=" + repo, "-U", commit, dest.toString());
    assertEquals(1, r.exitCode());
    assertTrue(r.stderr().contains("File exists"), r.stderr());
  }

  @Test
  void subpathMatchesOstree() throws Exception {
    Peers.require("ostree");
    Path tree = TreeCorpus.write(tmp.resolve("tree"), "deep");
    Path repo = tmp.resolve("repo");
    String commit = commit(repo, "bare-user", tree);
    Path expected = tmp.resolve("expected");
    Path actual = tmp.resolve("actual");
    String sub = "/" + Files.list(tree).filter(Files::isDirectory).findFirst().orElseThrow().getFileName();
    OstreeCli.run("checkout", "--repo=" + repo, "-U", "--subpath=" + sub, commit, expected.toString());
    Cli.run("checkout", "--repo=" + repo, "-U", "--subpath=" + sub, commit, actual.toString()).ok();
    TreeComparator.assertEqualTrees(expected, actual, TreeComparator.Options.defaults().compareHardlinks());
  }

  @Test
  void defaultDestinationIsTheRevision() throws Exception {
    Peers.require("ostree");
    Path tree = TreeCorpus.write(tmp.resolve("tree"), "empty");
    Path repo = tmp.resolve("repo");
    String commit = commit(repo, "archive", tree);
    Path cwd = Path.of("").toAbsolutePath();
    Path dest = cwd.resolve(commit);
    try {
      Cli.run("checkout", "--repo=" + repo, "-U", commit).ok();
      assertTrue(Files.isDirectory(dest));
    } finally {
      if (Files.exists(dest)) {
        try (Stream<Path> w = Files.walk(dest)) {
          w.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
  }
}
