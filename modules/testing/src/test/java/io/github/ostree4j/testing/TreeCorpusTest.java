package io.github.ostree4j.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.ostree4j.testing.TreeComparator.Options;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TreeCorpusTest {

  /** The checksum of the OSTree test vector commit (see shared/testdata/ostree-vectors). */
  static final String VECTOR_COMMIT =
      "a045da6285889b45d713ca8f2acf632dd377f5af93ba869a297e69ae6789a8f2";

  @TempDir Path tmp;

  static List<String> smallNames() {
    return TreeCorpus.names(false);
  }

  private Path write(String name) {
    if (TreeCorpus.usesXattrs(name)) {
      assumeTrue(TreeCorpus.supportsUserXattrs(tmp), "filesystem without user xattrs");
    }
    return TreeCorpus.write(tmp.resolve(name), name);
  }

  @ParameterizedTest
  @MethodSource("smallNames")
  void everyCaseBuildsDeterministically(String name) {
    Path first = write(name);
    Path second = TreeCorpus.write(tmp.resolve(name + "-again"), name);
    TreeComparator.assertEqualTrees(
        first, second, Options.defaults().compareHardlinks().compareFileMtimes());
    assertTrue(Files.isDirectory(first));
  }

  @Test
  void namesListsEveryCaseOnce() {
    List<String> all = TreeCorpus.names();
    assertEquals(11, all.size());
    assertEquals(all.size(), all.stream().distinct().count());
    assertTrue(all.contains(TreeCorpus.BIG_FILE));
    assertFalse(TreeCorpus.names(false).contains(TreeCorpus.BIG_FILE));
    assertEquals(all.size() - 1, TreeCorpus.names(false).size());
  }

  @Test
  void unknownCaseIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> TreeCorpus.write(tmp.resolve("x"), "nope"));
  }

  @Test
  void nonEmptyTargetIsRejected() throws IOException {
    Files.writeString(tmp.resolve("occupied"), "");
    assertThrows(RuntimeException.class, () -> TreeCorpus.write(tmp, "empty"));
  }

  @Test
  void vectorsMatchMakeVectorsScript() throws IOException {
    Path t = write("vectors");
    assertEquals("hello\n", Files.readString(t.resolve("hello.txt")));
    assertEquals("#!/bin/sh\necho hi\n", Files.readString(t.resolve("run.sh")));
    assertEquals(Path.of("hello.txt"), Files.readSymbolicLink(t.resolve("link")));
    assertEquals("x", Files.readString(t.resolve("sub/x.dat")));
    assertEquals(0644, mode(t.resolve("hello.txt")));
    assertEquals(0755, mode(t.resolve("run.sh")));
    assertEquals(0755, mode(t));
    assertEquals(0755, mode(t.resolve("emptydir")));
    assertEquals("val", xattr(t.resolve("sub/x.dat"), "test"));
    assertEquals(
        List.of("emptydir", "hello.txt", "link", "run.sh", "sub", "sub/x.dat"), listing(t));
  }

  @Test
  void vectorsCommitToTheKnownChecksumWithRealOstree() {
    Peers.require("ostree");
    Path tree = write("vectors");
    Path repo = tmp.resolve("repo");
    OstreeCli.init(repo, "archive");
    String checksum =
        OstreeCli.commit(
            repo,
            List.of(
                "--branch=test",
                "--subject=Test subject",
                "--body=Test body",
                "--timestamp=2020-01-01T00:00:00Z",
                "--owner-uid=0",
                "--owner-gid=0"),
            tree);
    assertEquals(VECTOR_COMMIT, checksum);
    OstreeCli.run("--repo=" + repo, "fsck");
    String ls = OstreeCli.run("--repo=" + repo, "ls", "-R", "-X", "test").stdout();
    assertTrue(ls.contains("/sub/x.dat"), ls);
    assertTrue(ls.contains("user.test"), ls);
  }

  @Test
  void specialModes() throws IOException {
    Path t = write("special-modes");
    assertEquals(04755, mode(t.resolve("setuid")));
    assertEquals(02755, mode(t.resolve("setgid")));
    assertEquals(06755, mode(t.resolve("setuid-setgid")));
    assertEquals(01777, mode(t.resolve("sticky-dir")));
    assertEquals(02775, mode(t.resolve("setgid-dir")));
    assertEquals(0755, mode(t.resolve("setgid-dir/plain-subdir")));
    assertEquals(0600, mode(t.resolve("mode-0600")));
    assertEquals(0000, mode(t.resolve("mode-0000")));
    assertEquals(0444, mode(t.resolve("mode-0444")));
  }

  @Test
  void specialNames() throws IOException {
    Path t = write("names");
    assertEquals(255, TreeCorpus.LONG_ASCII_NAME.getBytes(StandardCharsets.UTF_8).length);
    assertEquals(255, TreeCorpus.LONG_UTF8_NAME.getBytes(StandardCharsets.UTF_8).length);
    assertTrue(
        TreeCorpus.LONG_UTF8_NAME.length() < 255, "the UTF-8 name must have multi-byte chars");
    assertTrue(Files.isRegularFile(t.resolve(TreeCorpus.LONG_ASCII_NAME)));
    assertTrue(Files.isRegularFile(t.resolve(TreeCorpus.LONG_UTF8_NAME)));
    assertTrue(Files.isRegularFile(t.resolve("日本語.txt")));
    assertTrue(Files.isRegularFile(t.resolve("é")));
    assertTrue(Files.isRegularFile(t.resolve("e\u0301")));
    // The names on disk are the UTF-8 bytes (checked with ls, independent of the JVM).
    String ls = Cmd.of("ls", "-1", t.toString()).env("LC_ALL", "C").run().checkSuccess().stdout();
    assertTrue(ls.contains("日本語.txt\n"), ls);
    // Byte-wise order (as in ostree dirtrees) of the sort-order names.
    List<String> sorted = new ArrayList<>(TreeCorpus.ORDER_NAMES);
    sorted.sort(Comparator.comparing(s -> new String(s.getBytes(StandardCharsets.UTF_8),
        StandardCharsets.ISO_8859_1)));
    assertEquals(TreeCorpus.ORDER_NAMES, sorted);
    try (Stream<Path> s = Files.list(t.resolve("order/dirs"))) {
      assertEquals(
          TreeCorpus.ORDER_NAMES,
          s.map(p -> p.getFileName().toString())
              .sorted(Comparator.comparing(x -> new String(x.getBytes(StandardCharsets.UTF_8),
                  StandardCharsets.ISO_8859_1)))
              .collect(Collectors.toList()));
    }
  }

  @Test
  void longPaths() throws IOException {
    Path t = write("long-paths");
    List<String> paths = listing(t);
    assertTrue(paths.stream().anyMatch(p -> p.length() == 100), "a path of exactly 100");
    assertTrue(paths.stream().anyMatch(p -> p.length() > 100 && p.length() < 255));
    assertTrue(paths.stream().anyMatch(p -> p.length() > 255), "a path over 255");
    assertTrue(paths.stream().anyMatch(p -> p.length() > 1000), "a path over 1000");
    assertTrue(paths.stream().anyMatch(p -> p.equals("m".repeat(101))));
  }

  @Test
  void deepAndEmptyAndSymlinks() throws IOException {
    Path deep = write("deep");
    int maxDepth =
        listing(deep).stream().mapToInt(p -> p.split("/").length).max().orElseThrow();
    assertEquals(61, maxDepth, "60 directories plus the leaf");

    Path empty = write("empty");
    assertEquals(0, Files.size(empty.resolve("empty.txt")));
    try (Stream<Path> s = Files.list(empty.resolve("nested/empty/dirs/all/the/way"))) {
      assertEquals(0, s.count());
    }

    Path links = write("symlinks");
    assertEquals(255, Files.readSymbolicLink(links.resolve("target-255")).toString().length());
    assertEquals(Path.of("self-loop"), Files.readSymbolicLink(links.resolve("self-loop")));
    assertTrue(Files.readSymbolicLink(links.resolve("absolute")).isAbsolute());
    assertTrue(Files.isDirectory(links.resolve("link-to-link-to-link")));
    assertFalse(Files.exists(links.resolve("dangling")));
    assertEquals(
        TreeCorpus.MTIME,
        Files.getLastModifiedTime(links.resolve("dangling"), LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void hardlinksShareInodes() throws IOException {
    Path t = write("hardlinks");
    Object key = Files.getAttribute(t.resolve("a/original.txt"), "unix:ino");
    for (String p :
        List.of("a/same-dir-link.txt", "b/other-dir-link.txt", "b/c/deep-link.txt", "top-link.txt")) {
      assertEquals(key, Files.getAttribute(t.resolve(p), "unix:ino"), p);
    }
    assertFalse(key.equals(Files.getAttribute(t.resolve("copy-not-linked.txt"), "unix:ino")));
    assertEquals(5, Files.getAttribute(t.resolve("a/original.txt"), "unix:nlink"));
  }

  @Test
  void xattrValues() throws IOException {
    Path t = write("xattrs");
    UserDefinedFileAttributeView v =
        Files.getFileAttributeView(t.resolve("binary.bin"), UserDefinedFileAttributeView.class);
    ByteBuffer buf = ByteBuffer.allocate(v.size("binary"));
    v.read("binary", buf);
    byte[] value = buf.array();
    assertEquals(0, value[0]);
    assertTrue(new String(value, StandardCharsets.ISO_8859_1).indexOf('\0', 1) > 0);
    assertEquals(
        1000,
        Files.getFileAttributeView(t.resolve("long-value.txt"), UserDefinedFileAttributeView.class)
            .size("long"));
    assertEquals(
        List.of("alpha", "mid", "zeta"),
        Files.getFileAttributeView(t.resolve("multi.txt"), UserDefinedFileAttributeView.class)
            .list()
            .stream()
            .sorted()
            .collect(Collectors.toList()));
    assertEquals("directory value", xattr(t.resolve("dir-with-xattr"), "dir"));
    assertEquals("", xattr(t.resolve("empty-value.txt"), "empty"));
  }

  @Test
  void ownersAreAppliedOnlyAsRoot() throws IOException {
    Path t = write("owners");
    if (Peers.isRoot()) {
      assertEquals(1000, Files.getAttribute(t.resolve("uid1000.txt"), "unix:uid"));
      assertEquals(1000, Files.getAttribute(t.resolve("uid1000.txt"), "unix:gid"));
      assertEquals(5, Files.getAttribute(t.resolve("tty-group.txt"), "unix:gid"));
      assertEquals(
          1000,
          Files.getAttribute(t.resolve("user-link"), "unix:uid", LinkOption.NOFOLLOW_LINKS));
      assertEquals(02755, mode(t.resolve("setgid-tty")));
    } else {
      assertTrue(Files.isRegularFile(t.resolve("uid1000.txt")));
    }
  }

  @Test
  void pseudoRandomFilesAreDeterministic() throws IOException {
    Path a = tmp.resolve("a");
    Path b = tmp.resolve("b");
    TreeCorpus.writePseudoRandomFile(a, 3_000_003, 42);
    TreeCorpus.writePseudoRandomFile(b, 1_000_000, 42);
    assertEquals(3_000_003, Files.size(a));
    byte[] prefix = new byte[1_000_000];
    try (InputStream in = Files.newInputStream(a)) {
      assertEquals(prefix.length, in.readNBytes(prefix, 0, prefix.length));
    }
    assertArrayEquals(Files.readAllBytes(b), prefix);
  }

  /** The one test that writes the 200 MiB file: it checks size and content once. */
  @Test
  void bigFile() throws IOException {
    Path t = TreeCorpus.write(tmp.resolve("big"), TreeCorpus.BIG_FILE);
    Path big = t.resolve("big.bin");
    assertEquals(TreeCorpus.BIG_FILE_SIZE, Files.size(big));
    assertEquals(200L * 1024 * 1024, Files.size(big));
    // The first MiB equals a separately generated stream with the same seed.
    Path head = tmp.resolve("head");
    TreeCorpus.writePseudoRandomFile(head, 1 << 20, TreeCorpus.BIG_FILE_SEED);
    byte[] expected = Files.readAllBytes(head);
    byte[] actual = new byte[expected.length];
    try (InputStream in = Files.newInputStream(big)) {
      assertEquals(expected.length, in.readNBytes(actual, 0, actual.length));
    }
    assertArrayEquals(expected, actual);
    assertTrue(Files.isRegularFile(t.resolve("sub/small-3.txt")));
  }

  private static int mode(Path p) throws IOException {
    return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
  }

  private static String xattr(Path p, String name) throws IOException {
    UserDefinedFileAttributeView v = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class);
    ByteBuffer buf = ByteBuffer.allocate(v.size(name));
    v.read(name, buf);
    return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
  }

  private static List<String> listing(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(p -> !p.equals(root))
          .map(p -> root.relativize(p).toString())
          .sorted()
          .collect(Collectors.toList());
    }
  }
}
