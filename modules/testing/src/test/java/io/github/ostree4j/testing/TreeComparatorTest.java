package io.github.ostree4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.ostree4j.testing.TreeComparator.Options;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TreeComparatorTest {

  @TempDir Path tmp;

  private Path corpus(String side, String name) {
    if (TreeCorpus.usesXattrs(name)) {
      assumeTrue(TreeCorpus.supportsUserXattrs(tmp), "filesystem without user xattrs");
    }
    return TreeCorpus.write(tmp.resolve(side), name);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"vectors", "hardlinks", "special-modes", "names", "symlinks", "xattrs", "deep"})
  void equalTreesHaveNoDifferences(String name) {
    Path a = corpus("a", name);
    Path b = corpus("b", name);
    Options all = Options.defaults().compareHardlinks().compareFileMtimes();
    assertEquals(List.of(), TreeComparator.compare(a, b, all));
    TreeComparator.assertEqualTrees(a, b, all);
  }

  @Test
  void detectsContentDifferences() throws IOException {
    Path a = corpus("a", "vectors");
    Path b = corpus("b", "vectors");
    Path hello = b.resolve("hello.txt");
    Files.writeString(hello, "hellO\n");
    assertEquals(
        List.of("hello.txt: content differs at byte 4"), TreeComparator.compare(a, b));
    Files.writeString(hello, "hello, world\n");
    assertEquals(
        List.of("hello.txt: size differs: expected 6, actual 13"), TreeComparator.compare(a, b));
  }

  @Test
  void detectsContentDifferencesBeyondTheFirstBuffer() throws IOException {
    Path a = Files.createDirectories(tmp.resolve("a"));
    Path b = Files.createDirectories(tmp.resolve("b"));
    byte[] data = new byte[1_000_000];
    Files.write(a.resolve("f"), data);
    data[700_001] = 1;
    Files.write(b.resolve("f"), data);
    assertEquals(List.of("f: content differs at byte 700001"), TreeComparator.compare(a, b));
  }

  @Test
  void detectsModeDifferencesIncludingSpecialBits() throws IOException {
    Path a = corpus("a", "special-modes");
    Path b = corpus("b", "special-modes");
    Files.setAttribute(b.resolve("setuid"), "unix:mode", 0755);
    Files.setAttribute(b.resolve("sticky-dir"), "unix:mode", 0777);
    Files.setAttribute(b.resolve("mode-0600"), "unix:mode", 0644);
    assertEquals(
        List.of(
            "mode-0600: mode differs: expected 0600, actual 0644",
            "setuid: mode differs: expected 4755, actual 0755",
            "sticky-dir: mode differs: expected 1777, actual 0777"),
        TreeComparator.compare(a, b));
  }

  @Test
  void detectsSymlinkTargetAndTypeDifferences() throws IOException {
    Path a = corpus("a", "symlinks");
    Path b = corpus("b", "symlinks");
    Files.delete(b.resolve("dangling"));
    Files.createSymbolicLink(b.resolve("dangling"), Path.of("does-not-exist-either"));
    Files.delete(b.resolve("file-link"));
    Files.writeString(b.resolve("file-link"), "file\n");
    assertEquals(
        List.of(
            "dangling: symlink target differs: expected 'does-not-exist', "
                + "actual 'does-not-exist-either'",
            "file-link: type differs: expected symlink, actual regular file"),
        TreeComparator.compare(a, b));
  }

  @Test
  void neverFollowsSymlinks() throws IOException {
    Path a = corpus("a", "symlinks");
    Path b = corpus("b", "symlinks");
    // Changing the target's content is reported once, at the target, not through the links.
    Files.writeString(b.resolve("target-dir/file.txt"), "TARGET\n");
    assertEquals(
        List.of("target-dir/file.txt: content differs at byte 0"), TreeComparator.compare(a, b));
  }

  @Test
  void detectsXattrDifferences() throws IOException {
    Path a = corpus("a", "xattrs");
    Path b = corpus("b", "xattrs");
    xattrs(b.resolve("multi.txt")).write("alpha", ByteBuffer.wrap(bytes("FIRST")));
    xattrs(b.resolve("multi.txt")).delete("zeta");
    xattrs(b.resolve("no-xattrs.txt")).write("new", ByteBuffer.wrap(new byte[] {0, 1, 2}));
    xattrs(b.resolve("dir-with-xattr")).delete("dir");
    List<String> diffs = TreeComparator.compare(a, b);
    assertEquals(
        List.of(
            "dir-with-xattr: xattr user.dir only in expected ('directory value')",
            // multi-hardlink.txt is a hard link of multi.txt: same inode, same xattrs
            "multi-hardlink.txt: xattr user.alpha differs: expected 'first', actual 'FIRST'",
            "multi-hardlink.txt: xattr user.zeta only in expected ('last')",
            "multi.txt: xattr user.alpha differs: expected 'first', actual 'FIRST'",
            "multi.txt: xattr user.zeta only in expected ('last')",
            "no-xattrs.txt: xattr user.new only in actual (0x000102)"),
        diffs);
    assertEquals(List.of(), TreeComparator.compare(a, b, Options.defaults().ignoreXattrs()));
  }

  @Test
  void detectsMissingAndExtraPaths() throws IOException {
    Path a = corpus("a", "vectors");
    Path b = corpus("b", "vectors");
    Files.delete(b.resolve("sub/x.dat"));
    Files.delete(b.resolve("sub"));
    Files.writeString(b.resolve("extra.txt"), "extra\n");
    Files.createDirectory(b.resolve("extra-dir"));
    assertEquals(
        List.of(
            "extra-dir: only in actual (directory)",
            "extra.txt: only in actual (regular file)",
            "sub: only in expected (directory)",
            "sub/x.dat: only in expected (regular file)"),
        TreeComparator.compare(a, b));
  }

  @Test
  void excludedPathsAreIgnored() throws IOException {
    Path a = corpus("a", "vectors");
    Path b = corpus("b", "vectors");
    Files.writeString(b.resolve("sub/x.dat"), "changed");
    Files.writeString(b.resolve("extra"), "");
    assertEquals(
        List.of(), TreeComparator.compare(a, b, Options.defaults().exclude("sub", "extra")));
  }

  @Test
  void hardlinkGroupingIsOptional() throws IOException {
    Path a = corpus("a", "hardlinks");
    Path b = corpus("b", "hardlinks");
    Path link = b.resolve("b/other-dir-link.txt");
    Files.delete(link);
    Files.writeString(link, "shared content\n");
    Files.setAttribute(link, "unix:mode", 0644);
    Files.setLastModifiedTime(link, TreeCorpus.MTIME);
    assertEquals(List.of(), TreeComparator.compare(a, b));
    List<String> diffs = TreeComparator.compare(a, b, Options.defaults().compareHardlinks());
    assertEquals(1, diffs.size(), diffs.toString());
    assertTrue(diffs.get(0).contains("hard links differ"), diffs.get(0));
  }

  @Test
  void fileMtimesAreOptionalAndDirectoryMtimesIgnored() throws IOException {
    Path a = corpus("a", "vectors");
    Path b = corpus("b", "vectors");
    FileTime other = FileTime.fromMillis(1_000_000_000_000L);
    Files.setLastModifiedTime(b.resolve("hello.txt"), other);
    Files.setLastModifiedTime(b.resolve("sub"), other);
    assertEquals(List.of(), TreeComparator.compare(a, b));
    assertEquals(
        List.of(
            "hello.txt: mtime differs: expected 2020-01-01T00:00:00Z, "
                + "actual 2001-09-09T01:46:40Z"),
        TreeComparator.compare(a, b, Options.defaults().compareFileMtimes()));
  }

  @Test
  void ownersCanBeIgnored() throws IOException {
    assumeTrue(Peers.isRoot(), "chown needs root");
    Path a = corpus("a", "vectors");
    Path b = corpus("b", "vectors");
    Files.setAttribute(b.resolve("link"), "unix:uid", 1234, LinkOption.NOFOLLOW_LINKS);
    assertEquals(
        List.of("link: owner differs: expected 0:0, actual 1234:0"), TreeComparator.compare(a, b));
    assertEquals(List.of(), TreeComparator.compare(a, b, Options.defaults().ignoreOwners()));
  }

  @Test
  void rootMetadataCanBeIgnored() throws IOException {
    Path a = corpus("a", "vectors");
    Path b = corpus("b", "vectors");
    Files.setAttribute(b, "unix:mode", 0700);
    assertEquals(
        List.of(".: mode differs: expected 0755, actual 0700"), TreeComparator.compare(a, b));
    assertEquals(
        List.of(), TreeComparator.compare(a, b, Options.defaults().ignoreRootMetadata()));
  }

  @Test
  void assertEqualTreesShowsAtMostThirtyDifferences() throws IOException {
    Path a = Files.createDirectories(tmp.resolve("a"));
    Path b = Files.createDirectories(tmp.resolve("b"));
    for (int i = 0; i < 45; i++) {
      Files.writeString(a.resolve(String.format("f%02d", i)), "x", StandardOpenOption.CREATE_NEW);
    }
    AssertionError e =
        assertThrows(AssertionError.class, () -> TreeComparator.assertEqualTrees(a, b));
    String msg = e.getMessage();
    assertTrue(msg.startsWith("trees differ (45 differences)"), msg);
    assertTrue(msg.contains("f29: only in expected"), msg);
    assertTrue(!msg.contains("f30: only in expected"), msg);
    assertTrue(msg.endsWith("... and 15 more"), msg);
  }

  @Test
  void missingRootIsADifference() {
    Path a = corpus("a", "empty");
    List<String> diffs = TreeComparator.compare(a, tmp.resolve("nope"));
    assertEquals(1, diffs.size());
    assertTrue(diffs.get(0).startsWith("actual tree is not a directory"), diffs.get(0));
  }

  private static UserDefinedFileAttributeView xattrs(Path p) {
    return Files.getFileAttributeView(p, UserDefinedFileAttributeView.class);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
