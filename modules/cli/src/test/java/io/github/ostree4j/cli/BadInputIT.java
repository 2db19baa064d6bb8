package io.github.ostree4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.ostree.Commit;
import io.github.ostree4j.ostree.OstreeRepo;
import io.github.ostree4j.testing.CmdResult;
import io.github.ostree4j.testing.OstreeCli;
import io.github.ostree4j.testing.TreeCorpus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Acceptance: bad input gives a one-line error (exit code 1; standard error is a single line
 * starting with {@code error: } that names the object or the tar entry), and nothing is written
 * outside the repository or the destination. Covers corrupted, truncated and mis-sized
 * {@code .filez} objects, non-normal dirtrees, refs to missing commits, and hostile or unsupported
 * tar archives given to {@code commit --tree=tar=}. Each fixture is first shown to be bad by the
 * real ostree, so that a broken fixture cannot make a test pass.
 */
class BadInputIT {

  private static Path work;

  @BeforeAll
  static void setUp() {
    OstreeCli.executable();
    work = ItFixtures.newDir("bad-input");
  }

  @AfterAll
  static void tearDown() {
    ItFixtures.deleteQuietly(work);
  }

  /** A small repository written by ostree4j: commit {@code good} of a tree with a 4 KiB random file. */
  private record Fixture(Path sandbox, Path repo, String commit, Map<String, String> content) {

    String checksumOf(String path) {
      return content.get(path);
    }

    Path filez(String path) {
      return ItFixtures.objectFile(repo, checksumOf(path), "filez")
          .orElseThrow(() -> new AssertionError("no .filez for " + path));
    }
  }

  private static Fixture fixture(String name) throws IOException {
    Path sandbox = ItFixtures.newDir(name);
    Path tree = Files.createDirectories(sandbox.resolve("tree"));
    Files.writeString(tree.resolve("hello.txt"), "hello\n".repeat(50));
    // Pseudo-random bytes: deflate stores them verbatim, so a flipped byte still inflates.
    TreeCorpus.writePseudoRandomFile(tree.resolve("random.bin"), 4096, 0x1234567L);
    Files.createDirectories(tree.resolve("sub"));
    Files.writeString(tree.resolve("sub/x.txt"), "x\n");
    Files.createSymbolicLink(tree.resolve("link"), Path.of("hello.txt"));
    Path repo = sandbox.resolve("repo");
    Ostree4j.init(repo, "archive");
    String commit = Ostree4j.commit(repo, List.of("--branch=good", "--timestamp=2020-01-01T00:00:00Z",
        "--subject=good", "--owner-uid=0", "--owner-gid=0"), tree);
    Map<String, String> content = new java.util.TreeMap<>();
    for (String line : OstreeCli.run("--repo=" + repo, "ls", "-R", "-C", commit).stdoutLines()) {
      String[] f = line.trim().split("\\s+");
      if (line.startsWith("-")) {
        content.put(f[5], f[4]);
      }
    }
    assertEquals(3, content.size(), () -> "unexpected listing " + content);
    return new Fixture(sandbox, repo, commit, content);
  }

  // =============================================================================================
  // Damaged content objects

  enum Damage {
    /** One payload byte flipped: the object still inflates, to different bytes. */
    FLIPPED_PAYLOAD_BYTE,
    /** The mode in the header changed from 0644 to 0645. */
    FLIPPED_HEADER_MODE,
    /** The last 100 bytes cut off. */
    TRUNCATED,
    /** The header's uncompressed size is one more than the real size. */
    SIZE_FIELD_TOO_LARGE,
    /** The header's uncompressed size is one less than the real size. */
    SIZE_FIELD_TOO_SMALL,
    /** The object file is gone. */
    MISSING
  }

  private static Fixture damaged(Damage damage) throws IOException {
    Fixture fx = fixture("damage-" + damage.name().toLowerCase());
    Path filez = fx.filez("/random.bin");
    byte[] b = Files.readAllBytes(filez);
    int headerLen = ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    switch (damage) {
      case FLIPPED_PAYLOAD_BYTE -> b[8 + headerLen + 2048] ^= 0x01;
      case FLIPPED_HEADER_MODE -> {
        // (tuuuusa(ayay)): t at 8, uid at 16, gid at 20, mode (big-endian) at 24..27.
        assertEquals((byte) 0xa4, b[8 + 19]);
        b[8 + 19] ^= 0x01;
      }
      case TRUNCATED -> b = java.util.Arrays.copyOf(b, b.length - 100);
      case SIZE_FIELD_TOO_LARGE, SIZE_FIELD_TOO_SMALL -> {
        long size = 0;
        for (int i = 0; i < 8; i++) {
          size = (size << 8) | (b[8 + i] & 0xff);
        }
        assertEquals(4096, size);
        size += damage == Damage.SIZE_FIELD_TOO_LARGE ? 1 : -1;
        for (int i = 7; i >= 0; i--) {
          b[8 + i] = (byte) size;
          size >>>= 8;
        }
      }
      case MISSING -> b = null;
      default -> throw new AssertionError(damage);
    }
    if (b == null) {
      Files.delete(filez);
    } else {
      Files.write(filez, b);
    }
    assertOstreeRejects(fx, damage);
    return fx;
  }

  /** Shows with the real ostree that the fixture is really broken. */
  private static void assertOstreeRejects(Fixture fx, Damage damage) {
    if (damage == Damage.SIZE_FIELD_TOO_LARGE || damage == Damage.SIZE_FIELD_TOO_SMALL) {
      // ostree fsck and cat ignore the size field (and a trusted pull-local of a too small
      // size writes a corrupt object); an untrusted pull-local re-checksums and fails.
      Path dest = fx.sandbox().resolve("ostree-pull-check");
      OstreeCli.init(dest, "bare-user");
      CmdResult r = OstreeCli.tryRun("--repo=" + dest, "pull-local", "--untrusted", fx.repo().toString(), "good");
      assertNotEquals(0, r.exitCode(), "ostree pull-local accepted the damaged object: " + damage);
      ItFixtures.deleteQuietly(dest);
    } else {
      // On a copy: ostree fsck marks commits with missing objects as partial.
      Path copy = copyOf(fx.repo());
      CmdResult r = OstreeCli.tryRun("--repo=" + copy, "fsck");
      ItFixtures.deleteQuietly(copy.getParent());
      assertNotEquals(0, r.exitCode(), "ostree fsck accepted the damaged object: " + damage);
    }
  }

  private static Path copyOf(Path repo) {
    Path copy = ItFixtures.newDir("copy").resolve("repo");
    io.github.ostree4j.testing.Cmd.of("cp", "-a", repo.toString(), copy.toString()).run().checkSuccess();
    return copy;
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Damage.class)
  void catOfDamagedObjectFailsNamingIt(Damage damage) throws IOException {
    Fixture fx = damaged(damage);
    String csum = fx.checksumOf("/random.bin");
    Ostree4j.Result r = Ostree4j.run("cat", "--repo=" + fx.repo(), "good", "/random.bin");
    assertOneLineError(r, csum);
    // The intact files of the same commit are still readable.
    assertEquals("x\n", Ostree4j.ok("cat", "--repo=" + fx.repo(), "good", "/sub/x.txt").stdout());
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Damage.class)
  void checkoutOfDamagedObjectFailsNamingIt(Damage damage) throws IOException {
    Fixture fx = damaged(damage);
    String csum = fx.checksumOf("/random.bin");
    Path dest = fx.sandbox().resolve("dest");
    Map<String, String> before = ItFixtures.snapshot(fx.sandbox(), "dest");
    Ostree4j.Result r = Ostree4j.run("checkout", "--repo=" + fx.repo(), "good", dest.toString());
    assertOneLineError(r, csum);
    assertEquals(before, ItFixtures.snapshot(fx.sandbox(), "dest"), "checkout wrote outside its destination");
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Damage.class)
  void fsckReportsDamagedObject(Damage damage) throws IOException {
    Fixture fx = damaged(damage);
    String csum = fx.checksumOf("/random.bin");
    Map<String, String> before = ItFixtures.snapshot(fx.sandbox());
    Ostree4j.Result r = Ostree4j.run("fsck", "--repo=" + fx.repo());
    assertEquals(1, r.exitCode(), () -> "fsck did not fail: " + r + "\n" + r.stdout());
    String all = r.stdout() + r.stderr();
    assertTrue(all.contains(csum), () -> "fsck does not name the damaged object " + csum + ":\n" + all);
    for (String intact : List.of(fx.checksumOf("/hello.txt"), fx.checksumOf("/sub/x.txt"))) {
      assertFalse(all.contains(intact), () -> "fsck blames the intact object " + intact + ":\n" + all);
    }
    assertEquals(before, ItFixtures.snapshot(fx.sandbox()), "fsck changed files");
  }

  @Test
  void forkedLauncherJarGivesTheSameOneLineError() throws IOException {
    String jar = System.getProperty("ostree4j.jar");
    assumeTrue(jar != null && Files.isRegularFile(Path.of(jar)), "the shaded jar is not built");
    Fixture fx = damaged(Damage.TRUNCATED);
    String csum = fx.checksumOf("/random.bin");
    CmdResult r = io.github.ostree4j.testing.Cmd.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar,
            "cat", "--repo=" + fx.repo(), "good", "/random.bin")
        .env("LC_ALL", "C.UTF-8")
        .run();
    assertEquals(1, r.exitCode(), r::stderr);
    List<String> lines = r.stderr().lines().toList();
    assertEquals(1, lines.size(), r::stderr);
    assertTrue(lines.get(0).startsWith("error: ") && lines.get(0).contains(csum), r::stderr);
  }

  // =============================================================================================
  // A dirtree that is not in GVariant normal form

  enum BadTree {
    /** A file name with an embedded NUL ({@code "x\0y"}). */
    EMBEDDED_NUL,
    /** The name's framing offset points before its terminating NUL. */
    WRONG_FRAMING_OFFSET
  }

  /** Stores a non-normal dirtree under its own SHA-256 and a commit {@code bad} pointing at it. */
  private static String[] badTreeFixture(Fixture fx, BadTree kind) throws IOException {
    byte[] csum = Checksum.parse(fx.checksumOf("/hello.txt")).toBytes();
    ByteArrayOutputStream el = new ByteArrayOutputStream();
    if (kind == BadTree.EMBEDDED_NUL) {
      el.writeBytes("x\0y\0".getBytes(StandardCharsets.US_ASCII));
      el.writeBytes(csum);
      el.write(4);
    } else {
      el.writeBytes("xy\0".getBytes(StandardCharsets.US_ASCII));
      el.writeBytes(csum);
      el.write(2); // should be 3
    }
    ByteArrayOutputStream tree = new ByteArrayOutputStream();
    tree.writeBytes(el.toByteArray());
    tree.write(el.size()); // files array framing offset
    int filesEnd = tree.size();
    tree.write(filesEnd); // tuple framing offset; the dirs array is empty
    byte[] bytes = tree.toByteArray();
    String treeHex = ItFixtures.sha256(bytes);
    Path p = fx.repo().resolve("objects").resolve(treeHex.substring(0, 2)).resolve(treeHex.substring(2) + ".dirtree");
    Files.createDirectories(p.getParent());
    Files.write(p, bytes);
    OstreeRepo r = OstreeRepo.open(fx.repo());
    Commit good = r.readCommit(Checksum.parse(fx.commit()));
    Commit bad = Commit.builder().subject("bad tree").timestamp(1577836800L)
        .root(Checksum.parse(treeHex), good.rootMeta()).build();
    Checksum badCommit = r.writeCommit(bad);
    r.refs().set("bad", badCommit);
    if (kind == BadTree.EMBEDDED_NUL) {
      // ostree 2022.7 fsck and pull-local accept this one, but GLib does not read the name as it
      // is stored: it replaces the invalid (non-normal) string by ''.
      String shown = OstreeCli.run("--repo=" + fx.repo(), "show",
          "--print-variant-type=(a(say)a(sayay))", p.toString()).stdout();
      assertTrue(shown.startsWith("([('', [byte"), () -> "GLib read the crafted dirtree as " + shown);
    } else {
      Path copy = copyOf(fx.repo());
      CmdResult fsck = OstreeCli.tryRun("--repo=" + copy, "fsck");
      ItFixtures.deleteQuietly(copy.getParent());
      assertNotEquals(0, fsck.exitCode(), () -> "ostree fsck accepted the non-normal dirtree:\n" + fsck.stdout());
    }
    return new String[] {treeHex, badCommit.hex()};
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(BadTree.class)
  void nonNormalDirtreeIsRejectedNamingIt(BadTree kind) throws IOException {
    Fixture fx = fixture("bad-tree-" + kind.name().toLowerCase());
    String treeHex = badTreeFixture(fx, kind)[0];
    assertOneLineError(Ostree4j.run("ls", "--repo=" + fx.repo(), "-R", "bad"), treeHex);
    assertOneLineError(Ostree4j.run("ls", "--repo=" + fx.repo(), "bad", "/x"), treeHex);
    assertOneLineError(Ostree4j.run("cat", "--repo=" + fx.repo(), "bad", "/xy"), treeHex);
    Path dest = fx.sandbox().resolve("dest");
    Map<String, String> before = ItFixtures.snapshot(fx.sandbox(), "dest");
    assertOneLineError(Ostree4j.run("checkout", "--repo=" + fx.repo(), "bad", dest.toString()), treeHex);
    assertEquals(before, ItFixtures.snapshot(fx.sandbox(), "dest"), "checkout wrote outside its destination");
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(BadTree.class)
  void fsckReportsNonNormalDirtree(BadTree kind) throws IOException {
    Fixture fx = fixture("fsck-bad-tree-" + kind.name().toLowerCase());
    String treeHex = badTreeFixture(fx, kind)[0];
    Ostree4j.Result r = Ostree4j.run("fsck", "--repo=" + fx.repo());
    assertEquals(1, r.exitCode(), () -> "fsck did not fail: " + r + "\n" + r.stdout());
    String all = r.stdout() + r.stderr();
    assertTrue(all.contains(treeHex), () -> "fsck does not name the dirtree " + treeHex + ":\n" + all);
  }

  // =============================================================================================
  // A ref to a commit that is not there

  @Test
  void refToMissingCommitFailsNamingTheCommit() throws IOException {
    Fixture fx = fixture("missing-commit");
    String ghost = ItFixtures.sha256("no such commit".getBytes(StandardCharsets.UTF_8));
    Files.writeString(fx.repo().resolve("refs/heads/ghost"), ghost + "\n");
    // ostree agrees that the ref is dangling.
    assertNotEquals(0, OstreeCli.tryRun("--repo=" + fx.repo(), "show", "ghost").exitCode());
    Map<String, String> before = ItFixtures.snapshot(fx.sandbox(), "repo", "dest");
    List<String[]> commands = new ArrayList<>(List.of(
        new String[] {"log", "--repo=" + fx.repo(), "ghost"},
        new String[] {"show", "--repo=" + fx.repo(), "ghost"},
        new String[] {"ls", "--repo=" + fx.repo(), "ghost"},
        new String[] {"cat", "--repo=" + fx.repo(), "ghost", "/hello.txt"},
        new String[] {"commit", "--repo=" + fx.repo(), "--branch=new", "--tree=ref=ghost"}));
    commands.add(new String[] {"checkout", "--repo=" + fx.repo(), "ghost", fx.sandbox().resolve("dest").toString()});
    for (String[] c : commands) {
      assertOneLineError(Ostree4j.run(c), ghost);
    }
    assertEquals(before, ItFixtures.snapshot(fx.sandbox(), "repo", "dest"));
    assertFalse(Files.exists(fx.repo().resolve("refs/heads/new")), "a failed commit created its ref");
  }

  // =============================================================================================
  // Hostile and unsupported tar archives

  enum BadTar {
    DOTDOT_PREFIX,
    DOTDOT_INSIDE,
    SYMLINK_THEN_FILE_THROUGH_IT,
    ABSOLUTE_PATH,
    HARDLINK_TO_MISSING,
    CHARACTER_DEVICE,
    BLOCK_DEVICE,
    FIFO
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(BadTar.class)
  void hostileOrUnsupportedTarIsRefusedOrKeptInsideTheTree(BadTar kind) throws IOException {
    for (String mode : List.of("archive", "bare-user")) {
      tarCase(kind, mode);
    }
  }

  private static void tarCase(BadTar kind, String mode) throws IOException {
    Fixture fx = fixtureWithMode("tar-" + kind.name().toLowerCase() + "-" + mode, mode);
    Path sandbox = fx.sandbox();
    // Where an escape would land: next to the sandbox and in an absolute directory outside it.
    String tag = Long.toHexString(System.nanoTime());
    Path outside = work.resolve("outside-" + tag);
    Path tar = sandbox.resolve("bad.tar");
    String entry;
    switch (kind) {
      case DOTDOT_PREFIX -> {
        entry = "../escape-" + tag;
        writeTar(tar, t -> file(t, entry, "escaped\n"));
      }
      case DOTDOT_INSIDE -> {
        entry = "a/../../escape-" + tag;
        writeTar(tar, t -> {
          dir(t, "a/");
          file(t, entry, "escaped\n");
        });
      }
      case SYMLINK_THEN_FILE_THROUGH_IT -> {
        entry = "d/evil";
        writeTar(tar, t -> {
          symlink(t, "d", outside.toString());
          file(t, entry, "evil\n");
        });
      }
      case ABSOLUTE_PATH -> {
        entry = outside.resolve("abs").toString();
        writeTar(tar, t -> file(t, entry, "absolute\n"));
      }
      case HARDLINK_TO_MISSING -> {
        entry = "hardlink-to-missing";
        writeTar(tar, t -> {
          file(t, "present", "present\n");
          special(t, entry, TarConstants.LF_LINK, "not-in-archive");
        });
      }
      case CHARACTER_DEVICE -> {
        entry = "dev/null-device";
        writeTar(tar, t -> {
          dir(t, "dev/");
          special(t, entry, TarConstants.LF_CHR, null);
        });
      }
      case BLOCK_DEVICE -> {
        entry = "dev/block-device";
        writeTar(tar, t -> {
          dir(t, "dev/");
          special(t, entry, TarConstants.LF_BLK, null);
        });
      }
      case FIFO -> {
        entry = "a-fifo";
        writeTar(tar, t -> special(t, entry, TarConstants.LF_FIFO, null));
      }
      default -> throw new AssertionError(kind);
    }
    Map<String, String> before = ItFixtures.snapshot(sandbox, "repo");
    List<String> nextToSandbox = topLevel(sandbox.getParent());
    Ostree4j.Result r = Ostree4j.run("commit", "--repo=" + fx.repo(), "--branch=tarbad",
        "--timestamp=2020-01-01T00:00:00Z", "--tree=tar=" + tar);
    String what = kind + " (" + mode + ")";
    boolean mayBeKeptInside = kind == BadTar.SYMLINK_THEN_FILE_THROUGH_IT || kind == BadTar.ABSOLUTE_PATH;
    if (r.exitCode() == 0 && mayBeKeptInside) {
      // Accepted: the entry must have landed inside the committed tree.
      String listing = OstreeCli.run("--repo=" + fx.repo(), "ls", "-R", "tarbad").stdout();
      String inside = kind == BadTar.ABSOLUTE_PATH ? entry : "/d/evil";
      assertTrue(listing.contains(" " + (inside.startsWith("/") ? inside : "/" + inside) + "\n"),
          () -> what + ": the entry is not inside the committed tree:\n" + listing);
    } else {
      assertOneLineError(r, entry);
      assertFalse(Files.exists(fx.repo().resolve("refs/heads/tarbad")), what + ": a failed commit created its ref");
    }
    // Nothing escaped, and nothing but the repo changed.
    assertFalse(Files.exists(outside, LinkOption.NOFOLLOW_LINKS), what + ": wrote " + outside);
    assertFalse(Files.exists(sandbox.getParent().resolve("escape-" + tag), LinkOption.NOFOLLOW_LINKS), what);
    assertFalse(Files.exists(Path.of("..", "escape-" + tag), LinkOption.NOFOLLOW_LINKS), what);
    assertFalse(Files.exists(Path.of("escape-" + tag), LinkOption.NOFOLLOW_LINKS), what);
    assertEquals(before, ItFixtures.snapshot(sandbox, "repo"), what + ": files outside the repo changed");
    assertEquals(nextToSandbox, topLevel(sandbox.getParent()), what + ": files next to the sandbox changed");
    // Whatever happened, the repository is still sound for ostree.
    CmdResult fsck = OstreeCli.tryRun("--repo=" + fx.repo(), "fsck");
    assertEquals(0, fsck.exitCode(), () -> what + ": ostree fsck fails after the commit:\n" + fsck.stdout() + fsck.stderr());
    ItFixtures.deleteQuietly(sandbox);
  }

  private static List<String> topLevel(Path dir) throws IOException {
    try (java.util.stream.Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static Fixture fixtureWithMode(String name, String mode) throws IOException {
    if (mode.equals("archive")) {
      return fixture(name);
    }
    Path sandbox = ItFixtures.newDir(name);
    Path tree = Files.createDirectories(sandbox.resolve("tree"));
    Files.writeString(tree.resolve("hello.txt"), "hello\n");
    Path repo = sandbox.resolve("repo");
    Ostree4j.init(repo, mode);
    String commit = Ostree4j.commit(repo, List.of("--branch=good", "--timestamp=2020-01-01T00:00:00Z"), tree);
    return new Fixture(sandbox, repo, commit, Map.of());
  }

  // ---------------------------------------------------------------------------------------------
  // tar writing (commons-compress, names kept verbatim)

  private interface TarBody {
    void write(TarArchiveOutputStream t) throws IOException;
  }

  private static void writeTar(Path file, TarBody body) throws IOException {
    try (OutputStream os = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW);
        TarArchiveOutputStream t = new TarArchiveOutputStream(os)) {
      t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      dir(t, "./");
      body.write(t);
      t.finish();
    }
    // GNU tar reads the archive back with the names we meant.
    CmdResult list = io.github.ostree4j.testing.Cmd.of("tar", "-tvf", file.toString()).run().checkSuccess();
    assertFalse(list.stdout().isEmpty());
  }

  private static TarArchiveEntry entry(String name, byte type) {
    TarArchiveEntry e = new TarArchiveEntry(name, type, true);
    e.setUserId(0);
    e.setGroupId(0);
    e.setModTime(1577836800000L);
    return e;
  }

  private static void dir(TarArchiveOutputStream t, String name) throws IOException {
    TarArchiveEntry e = entry(name, TarConstants.LF_DIR);
    e.setMode(040755);
    t.putArchiveEntry(e);
    t.closeArchiveEntry();
  }

  private static void file(TarArchiveOutputStream t, String name, String content) throws IOException {
    byte[] b = content.getBytes(StandardCharsets.UTF_8);
    TarArchiveEntry e = entry(name, TarConstants.LF_NORMAL);
    e.setMode(0100644);
    e.setSize(b.length);
    t.putArchiveEntry(e);
    t.write(b);
    t.closeArchiveEntry();
  }

  private static void symlink(TarArchiveOutputStream t, String name, String target) throws IOException {
    TarArchiveEntry e = entry(name, TarConstants.LF_SYMLINK);
    e.setMode(0120777);
    e.setLinkName(target);
    t.putArchiveEntry(e);
    t.closeArchiveEntry();
  }

  private static void special(TarArchiveOutputStream t, String name, byte type, String link) throws IOException {
    TarArchiveEntry e = entry(name, type);
    e.setMode(type == TarConstants.LF_LINK ? 0100644 : type == TarConstants.LF_FIFO ? 010644 : 0600);
    if (link != null) {
      e.setLinkName(link);
    }
    if (type == TarConstants.LF_CHR || type == TarConstants.LF_BLK) {
      e.setDevMajor(1);
      e.setDevMinor(3);
    }
    t.putArchiveEntry(e);
    t.closeArchiveEntry();
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * Exit code 1, and standard error is exactly one line, starting with {@code error: }, naming
   * {@code what} (an object checksum or a tar entry).
   */
  static void assertOneLineError(Ostree4j.Result r, String what) {
    assertEquals(1, r.exitCode(), () -> "expected exit code 1: " + r);
    List<String> lines = r.stderrLines();
    assertEquals(1, lines.size(), () -> "expected one line on stderr, got " + lines.size() + ":\n" + r.stderr());
    assertTrue(lines.get(0).startsWith("error: "), () -> "stderr does not start with 'error: ': " + lines.get(0));
    assertTrue(lines.get(0).contains(what), () -> "the error does not name " + what + ": " + lines.get(0));
  }
}
