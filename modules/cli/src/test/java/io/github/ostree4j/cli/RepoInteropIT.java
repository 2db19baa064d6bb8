package io.github.ostree4j.cli;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ostree4j.cli.SharedCommits.Committed;
import io.github.ostree4j.cli.SharedCommits.Tool;
import io.github.ostree4j.cli.SharedCommits.Variant;
import io.github.ostree4j.testing.CmdResult;
import io.github.ostree4j.testing.OstreeCli;
import io.github.ostree4j.testing.Peers;
import io.github.ostree4j.testing.StaticHttpServer;
import io.github.ostree4j.testing.TreeComparator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Acceptance: repositories written by ostree4j are accepted by the real ostree ({@code fsck},
 * {@code pull-local}, HTTP {@code pull}, {@code checkout} giving back the source tree), and
 * repositories written by ostree are read by ostree4j exactly as ostree reads them ({@code ls},
 * {@code cat}, {@code log}, {@code show}, {@code rev-parse}, {@code refs}, and, where the verbs
 * exist, {@code checkout}, {@code fsck} and {@code summary}).
 */
class RepoInteropIT {

  static final String MINBASE = "minbase";
  static final List<String> MODES = List.of("archive", "bare-user");

  private static Path work;

  @BeforeAll
  static void setUp() {
    OstreeCli.executable();
    work = ItFixtures.newDir("repo-interop");
  }

  @AfterAll
  static void tearDown() {
    ItFixtures.deleteQuietly(work);
  }

  /** Every small corpus case and the Debian tree, in both modes. */
  static Stream<Arguments> treesAndModes() {
    List<Arguments> out = new ArrayList<>();
    for (String name : treeKeys()) {
      for (String mode : MODES) {
        out.add(Arguments.of(name, mode));
      }
    }
    return out.stream();
  }

  static List<String> treeKeys() {
    List<String> keys = new ArrayList<>(ItFixtures.smallCases());
    keys.add(MINBASE);
    return keys;
  }

  static Path tree(String key) {
    return key.equals(MINBASE) ? ItFixtures.minbase() : ItFixtures.corpus(key);
  }

  static Committed writtenBy(Tool tool, String key, String mode) {
    return SharedCommits.commit(tool, mode, key, tree(key), Variant.REAL_OWNERS);
  }

  // =============================================================================================
  // ostree4j writes, ostree reads

  @ParameterizedTest(name = "{0} in {1}")
  @MethodSource("treesAndModes")
  void ostreeFsckAcceptsRepoWrittenByOstree4j(String key, String mode) {
    Committed c = writtenBy(Tool.OSTREE4J, key, mode);
    CmdResult r = OstreeCli.tryRun("--repo=" + c.repo(), "fsck");
    assertEquals(0, r.exitCode(), () -> "ostree fsck failed on the ostree4j repo:\n" + r.stdout() + r.stderr());
    // ostree really read our commit (and not an empty repository).
    assertEquals(c.checksum(), OstreeCli.run("--repo=" + c.repo(), "rev-parse", c.branch()).stdout().strip());
  }

  @ParameterizedTest(name = "{0} in {1}")
  @MethodSource("treesAndModes")
  void ostreeCheckoutOfOstree4jCommitEqualsSourceTree(String key, String mode) {
    Committed c = writtenBy(Tool.OSTREE4J, key, mode);
    Path dest = work.resolve("co-" + key + "-" + mode);
    try {
      ostreeCheckout(c.repo(), c.branch(), dest);
      assertCheckoutEquals(tree(key), dest);
    } finally {
      ItFixtures.deleteQuietly(dest);
    }
  }

  @ParameterizedTest(name = "{0} from {1}")
  @MethodSource("treesAndModes")
  void ostreePullLocalOfOstree4jRepoIntoBareUser(String key, String mode) {
    Committed c = writtenBy(Tool.OSTREE4J, key, mode);
    Path dir = ItFixtures.newDir("pull-local-" + key);
    try {
      Path dest = dir.resolve("repo");
      OstreeCli.init(dest, "bare-user");
      OstreeCli.run("--repo=" + dest, "pull-local", c.repo().toString(), c.branch());
      OstreeCli.run("--repo=" + dest, "fsck");
      assertEquals(c.checksum(), OstreeCli.run("--repo=" + dest, "rev-parse", c.branch()).stdout().strip());
      Path co = dir.resolve("checkout");
      ostreeCheckout(dest, c.branch(), co);
      assertCheckoutEquals(tree(key), co);
    } finally {
      ItFixtures.deleteQuietly(dir);
    }
  }

  static Stream<String> allTreeKeys() {
    return treeKeys().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("allTreeKeys")
  void ostreeHttpPullOfOstree4jArchiveRepo(String key) {
    Committed c = writtenBy(Tool.OSTREE4J, key, "archive");
    Path dir = ItFixtures.newDir("http-pull-" + key);
    try (StaticHttpServer http = StaticHttpServer.serve(c.repo())) {
      Path dest = dir.resolve("repo");
      OstreeCli.init(dest, "bare-user");
      OstreeCli.run("--repo=" + dest, "remote", "add", "--no-gpg-verify", "origin", http.url());
      OstreeCli.run("--repo=" + dest, "pull", "origin", c.branch());
      OstreeCli.run("--repo=" + dest, "fsck");
      assertEquals(c.checksum(),
          OstreeCli.run("--repo=" + dest, "rev-parse", "origin:" + c.branch()).stdout().strip());
      // The objects really travelled over HTTP.
      assertTrue(http.requests().stream().anyMatch(
              r -> r.path().endsWith(c.checksum().substring(2) + ".commit") && r.status() == 200),
          () -> "the commit was not fetched over HTTP: " + http.requests());
      Path co = dir.resolve("checkout");
      ostreeCheckout(dest, "origin:" + c.branch(), co);
      assertCheckoutEquals(tree(key), co);
    } finally {
      ItFixtures.deleteQuietly(dir);
    }
  }

  // =============================================================================================
  // ostree writes, ostree4j reads

  @ParameterizedTest(name = "{0} in {1}")
  @MethodSource("treesAndModes")
  void ostree4jLsMatchesOstreeLs(String key, String mode) {
    Committed c = writtenBy(Tool.OSTREE, key, mode);
    List<List<String>> flagSets = List.of(
        List.of(), List.of("-R"), List.of("-R", "-X"), List.of("-R", "-C"), List.of("-R", "-X", "-C"),
        List.of("-d"));
    for (List<String> flags : flagSets) {
      assertSameLs(c, flags, List.of());
    }
    // Subpath arguments: the first directory and the first regular file of the tree, and both.
    Path src = tree(key);
    List<String> subs = new ArrayList<>();
    firstDirectory(src).ifPresent(subs::add);
    List<String> files = ItFixtures.regularFiles(src);
    if (!files.isEmpty()) {
      subs.add("/" + files.get(0));
    }
    for (String sub : subs) {
      assertSameLs(c, List.of("-R", "-X", "-C"), List.of(sub));
      assertSameLs(c, List.of(), List.of(sub));
    }
    if (subs.size() == 2) {
      assertSameLs(c, List.of("-R", "-C"), subs);
    }
  }

  @ParameterizedTest(name = "{0} in {1}")
  @MethodSource("treesAndModes")
  void ostree4jCatMatchesOstreeCat(String key, String mode) {
    Committed c = writtenBy(Tool.OSTREE, key, mode);
    List<String> files = ItFixtures.regularFiles(tree(key));
    if (key.equals(MINBASE)) {
      files = sample(files, 40);
    }
    for (String f : files) {
      String path = "/" + f;
      CmdResult expected = OstreeCli.run("--repo=" + c.repo(), "cat", c.checksum(), path);
      Ostree4j.Result actual = Ostree4j.ok("cat", "--repo=" + c.repo(), c.checksum(), path);
      assertArrayEquals(expected.stdoutBytes(), actual.stdoutBytes(), () -> "cat " + path + " differs");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // log, show, rev-parse, refs on a chain of three commits written by ostree

  private static Path chainRepo;
  private static List<String> chain; // oldest first

  private static synchronized Path chainRepo() {
    if (chainRepo == null) {
      Path repo = ItFixtures.newDir("chain").resolve("repo");
      OstreeCli.init(repo, "archive");
      Path t = ItFixtures.corpus("empty");
      List<String> c = new ArrayList<>();
      c.add(OstreeCli.commit(repo, List.of("--branch=chain", "--timestamp=2020-01-01T00:00:00Z",
          "--subject=First commit", "--add-metadata-string=version=1.0"), t));
      c.add(OstreeCli.commit(repo, List.of("--branch=chain", "--timestamp=2020-01-02T03:04:05Z",
          "--body=A body but no subject"), t));
      c.add(OstreeCli.commit(repo, List.of("--branch=chain", "--timestamp=2021-06-30T23:59:59Z",
          "--subject=Third commit", "--body=Line one\nLine two\n\n  indented line four\n",
          "--add-metadata-string=version=3.0.1"), t));
      chain = List.copyOf(c);
      chainRepo = repo;
    }
    return chainRepo;
  }

  @Test
  void ostree4jLogMatchesOstreeLog() {
    Path repo = chainRepo();
    assertSameOutput(repo, "log", "chain");
    assertSameOutput(repo, "log", "chain^");
    assertSameOutput(repo, "log", chain.get(0));
  }

  @Test
  void ostree4jShowMatchesOstreeShow() {
    Path repo = chainRepo();
    for (String rev : List.of("chain", "chain^", "chain^^", chain.get(0), chain.get(1).substring(0, 12))) {
      assertSameOutput(repo, "show", rev);
    }
    assertSameOutput(repo, "show", "--print-metadata-key=version", "chain");
    assertSameOutput(repo, "show", "--print-metadata-key=ostree.ref-binding", "chain");
  }

  @Test
  void ostree4jRevParseMatchesOstreeRevParse() {
    Path repo = chainRepo();
    for (String rev : List.of("chain", "chain^", "chain^^", chain.get(2), chain.get(0).substring(0, 10))) {
      assertSameOutput(repo, "rev-parse", rev);
    }
  }

  @Test
  void ostree4jRefsMatchesOstreeRefs() {
    assertSameOutput(chainRepo(), "refs");
  }

  @Test
  void ostree4jRefsWithSeveralRefsMatchesOstreeRefs() {
    Path repo = ItFixtures.newDir("refs").resolve("repo");
    OstreeCli.init(repo, "archive");
    String c = OstreeCli.commit(repo, List.of("--branch=main", "--timestamp=2020-01-01T00:00:00Z",
        "--subject=s"), ItFixtures.corpus("empty"));
    for (String ref : List.of("os/x86_64/stable", "os/x86_64/testing", "zeta", "alpha", "b-2", "B_1",
        "exampleos/42/aarch64/devel")) {
      OstreeCli.run("--repo=" + repo, "refs", "--create=" + ref, c);
    }
    assertAll(
        () -> assertSameOutput(repo, "refs"),
        () -> assertSameOutput(repo, "refs", "os"),
        () -> assertSameOutput(repo, "refs", "--list", "os"),
        () -> assertSameOutput(repo, "refs", "os/x86_64"));
  }

  // ---------------------------------------------------------------------------------------------
  // checkout, fsck and summary by ostree4j (verbs added separately)

  static Stream<Arguments> checkoutCases() {
    List<Arguments> out = new ArrayList<>();
    for (String key : treeKeys()) {
      for (String mode : MODES) {
        out.add(Arguments.of(key, mode, false));
        out.add(Arguments.of(key, mode, true));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} from {1}, user mode {2}")
  @MethodSource("checkoutCases")
  void ostree4jCheckoutMatchesOstreeCheckout(String key, String mode, boolean userMode) {
    Committed c = writtenBy(Tool.OSTREE, key, mode);
    Path dir = ItFixtures.newDir("o4j-checkout-" + key);
    try {
      Path expected = dir.resolve("ostree");
      Path actual = dir.resolve("ostree4j");
      List<String> u = userMode ? List.of("-U") : List.of();
      List<String> oargs = new ArrayList<>(List.of("--repo=" + c.repo(), "checkout"));
      oargs.addAll(u);
      oargs.addAll(List.of(c.branch(), expected.toString()));
      OstreeCli.run(oargs);
      List<String> jargs = new ArrayList<>(List.of("checkout", "--repo=" + c.repo()));
      jargs.addAll(u);
      jargs.addAll(List.of(c.branch(), actual.toString()));
      Ostree4j.ok(jargs);
      TreeComparator.Options o = TreeComparator.Options.defaults();
      if (userMode && mode.equals("bare-user")) {
        // The point of -U on a bare-user repo: files are hard links to the repo's objects, so
        // files with the same content object share an inode, exactly as in ostree's checkout.
        // (Elsewhere ostree's linking depends on caches and is not compared.)
        o = o.compareHardlinks();
      }
      if (!Peers.isRoot()) {
        o = o.ignoreOwners();
      }
      TreeComparator.assertEqualTrees(expected, actual, o);
      if (mode.equals("bare-user")) {
        // Hard links into the repository must not have changed its objects.
        OstreeCli.run("--repo=" + c.repo(), "fsck", "--quiet");
      }
    } finally {
      ItFixtures.deleteQuietly(dir);
    }
  }

  @ParameterizedTest(name = "{0} in {1}")
  @MethodSource("treesAndModes")
  void ostree4jFsckPassesOnOstreeRepo(String key, String mode) {
    Committed c = writtenBy(Tool.OSTREE, key, mode);
    Ostree4j.Result r = Ostree4j.run("fsck", "--repo=" + c.repo());
    assertEquals(0, r.exitCode(), () -> "ostree4j fsck failed on an ostree repo: " + r);
    assertTrue(r.stderr().isEmpty(), () -> "ostree4j fsck complained: " + r.stderr());
  }

  @Test
  void ostreeAcceptsSummaryWrittenByOstree4j() throws IOException {
    Path repo = chainRepo();
    Path copy = ItFixtures.newDir("summary").resolve("repo");
    OstreeCli.init(copy, "archive");
    OstreeCli.run("--repo=" + copy, "pull-local", "--depth=-1", repo.toString(), "chain");
    OstreeCli.run("--repo=" + copy, "refs", "--create=other/ref", chain.get(0));
    Ostree4j.ok("summary", "--repo=" + copy, "-u");
    assertTrue(Files.isRegularFile(copy.resolve("summary"), LinkOption.NOFOLLOW_LINKS));
    CmdResult view = OstreeCli.run("--repo=" + copy, "summary", "--view");
    // Every ref, with its commit, is in ostree's reading of our summary.
    assertTrue(view.stdout().contains("* chain"), view::stdout);
    assertTrue(view.stdout().contains(chain.get(2)), view::stdout);
    assertTrue(view.stdout().contains("* other/ref"), view::stdout);
    assertTrue(view.stdout().contains(chain.get(0)), view::stdout);
    // And it reads exactly as ostree's own summary of the same repo, except the time stamp.
    byte[] ours = Files.readAllBytes(copy.resolve("summary"));
    OstreeCli.run("--repo=" + copy, "summary", "-u");
    CmdResult theirs = OstreeCli.run("--repo=" + copy, "summary", "--view");
    assertEquals(withoutLastModified(theirs.stdoutLines()), withoutLastModified(view.stdoutLines()),
        "ostree summary --view of ostree4j's summary (" + ours.length + " bytes) vs of ostree's");
  }

  @ParameterizedTest(name = "prune {0}")
  @MethodSource("pruneOptions")
  void ostree4jPruneDeletesWhatOstreePruneDeletes(List<String> options) throws IOException {
    Path dir = ItFixtures.newDir("prune");
    Path a = dir.resolve("by-ostree");
    Path b = dir.resolve("by-ostree4j");
    for (Path copy : List.of(a, b)) {
      OstreeCli.init(copy, "archive");
      OstreeCli.run("--repo=" + copy, "pull-local", "--depth=-1", chainRepo().toString(), "chain");
      // Unreachable objects: an orphan commit of another tree.
      OstreeCli.commit(copy, List.of("--orphan", "--timestamp=2020-01-01T00:00:00Z", "--subject=orphan"),
          ItFixtures.corpus("hardlinks"));
    }
    assertEquals(objects(a), objects(b));
    List<String> oargs = new ArrayList<>(List.of("--repo=" + a, "prune"));
    oargs.addAll(options);
    CmdResult expected = OstreeCli.run(oargs);
    List<String> jargs = new ArrayList<>(List.of("prune", "--repo=" + b));
    jargs.addAll(options);
    Ostree4j.Result actual = Ostree4j.ok(jargs);
    assertAll(
        () -> assertEquals(objects(a), objects(b), "objects left after prune " + options),
        () -> assertEquals(expected.stdout(), actual.stdout(), "prune output"));
    OstreeCli.run("--repo=" + b, "fsck");
    ItFixtures.deleteQuietly(dir);
  }

  static Stream<List<String>> pruneOptions() {
    return Stream.of(List.of("--refs-only"), List.of("--refs-only", "--depth=0"),
        List.of("--refs-only", "--no-prune"));
  }

  private static List<String> objects(Path repo) throws IOException {
    try (Stream<Path> s = Files.walk(repo.resolve("objects"))) {
      return s.filter(Files::isRegularFile).map(p -> repo.resolve("objects").relativize(p).toString())
          .sorted().toList();
    }
  }

  private static List<String> withoutLastModified(List<String> lines) {
    return lines.stream().filter(l -> !l.contains("Last-Modified")).toList();
  }

  // ---------------------------------------------------------------------------------------------

  private static void ostreeCheckout(Path repo, String rev, Path dest) {
    if (Peers.isRoot()) {
      OstreeCli.run("--repo=" + repo, "checkout", rev, dest.toString());
    } else {
      OstreeCli.run("--repo=" + repo, "checkout", "-U", rev, dest.toString());
    }
  }

  /**
   * Compares a checkout with the tree that was committed. The one tolerated difference is
   * ostree's documented one: when it reads xattrs from disk it drops those with an empty value
   * (ostree's own commit of the same tree has the same checksum, see CommitConformanceIT).
   */
  private static void assertCheckoutEquals(Path source, Path checkout) {
    TreeComparator.Options o = TreeComparator.Options.defaults();
    if (!Peers.isRoot()) {
      o = o.ignoreOwners();
    }
    List<String> diffs = TreeComparator.compare(source, checkout, o).stream()
        .filter(d -> !EMPTY_XATTR_DROPPED.matcher(d).matches())
        .toList();
    if (!diffs.isEmpty()) {
      throw new AssertionError("checkout " + checkout + " differs from the committed tree " + source
          + ":\n  " + String.join("\n  ", diffs.subList(0, Math.min(30, diffs.size()))));
    }
  }

  private static final java.util.regex.Pattern EMPTY_XATTR_DROPPED =
      java.util.regex.Pattern.compile(".*: xattr user\\.\\S+ only in expected \\(''\\)");

  private static void assertSameLs(Committed c, List<String> flags, List<String> paths) {
    List<String> oargs = new ArrayList<>(List.of("--repo=" + c.repo(), "ls"));
    oargs.addAll(flags);
    oargs.add(c.checksum());
    oargs.addAll(paths);
    CmdResult expected = OstreeCli.run(oargs);
    List<String> jargs = new ArrayList<>(List.of("ls", "--repo=" + c.repo()));
    jargs.addAll(flags);
    jargs.add(c.checksum());
    jargs.addAll(paths);
    Ostree4j.Result actual = Ostree4j.ok(jargs);
    if (!expected.stdout().equals(actual.stdout())) {
      throw new AssertionError("ostree4j ls " + String.join(" ", flags) + " " + paths
          + " differs from ostree's" + Diagnostics.lineDiff(expected.stdoutLines(),
              List.of(actual.stdout().split("\n")), "ls"));
    }
  }

  private static void assertSameOutput(Path repo, String verb, String... args) {
    List<String> oargs = new ArrayList<>(List.of("--repo=" + repo, verb));
    oargs.addAll(List.of(args));
    CmdResult expected = OstreeCli.run(oargs);
    List<String> jargs = new ArrayList<>(List.of(verb, "--repo=" + repo));
    jargs.addAll(List.of(args));
    Ostree4j.Result actual = Ostree4j.ok(jargs);
    assertEquals(expected.stdout(), actual.stdout(),
        () -> "ostree4j " + verb + " " + String.join(" ", args) + " differs from ostree's");
  }

  private static java.util.Optional<String> firstDirectory(Path tree) {
    try (Stream<Path> s = Files.walk(tree)) {
      return s.filter(p -> !p.equals(tree) && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
          .map(p -> "/" + tree.relativize(p))
          .sorted()
          .findFirst();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static List<String> sample(List<String> all, int n) {
    if (all.size() <= n) {
      return all;
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(all.get((int) ((long) i * all.size() / n)));
    }
    return out;
  }
}
