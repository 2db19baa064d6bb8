package io.github.ostree4j.ostree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Corruption of every kind is reported, naming the exact object. */
class FsckTest {

  @TempDir Path tmp;

  OstreeRepo repo;
  Checksum commit;
  RepoFile root;

  @BeforeEach
  void setUp() throws IOException {
    repo = OstreeRepo.init(tmp.resolve("repo"), RepoMode.ARCHIVE);
    commit = new TreeBuilder(repo)
        .file("hello.txt", "hello\n", 0644)
        .file("other.txt", "other content", 0644)
        .symlink("link", "hello.txt")
        .dir("private", 0700)
        .file("private/secret", "s3cret", 0600)
        .commit("test");
    root = RepoFile.root(repo, repo.readCommit(commit));
  }

  private Path objectOf(String path) throws IOException {
    RepoFile f = root.resolve(path);
    return f.isDirectory() ? repo.objectPath(f.treeChecksum(), ObjectType.DIR_TREE)
        : repo.objectPath(f.contentChecksum(), ObjectType.FILE);
  }

  private List<String> problems() throws IOException {
    FsckReport r = new Fsck(repo).run();
    return r.problems().stream().map(FsckReport.Problem::message).collect(Collectors.toList());
  }

  private static void assertOne(List<String> problems, String... fragments) {
    assertEquals(1, problems.size(), problems.toString());
    for (String f : fragments) {
      assertTrue(problems.get(0).contains(f), "expected '" + f + "' in: " + problems.get(0));
    }
  }

  @Test
  void cleanRepository() throws Exception {
    FsckReport r = new Fsck(repo).run();
    assertTrue(r.isClean(), r.problems().toString());
    assertEquals(1, r.commitCount());
    assertEquals("object fsck of 1 commits completed successfully - no errors found.", r.successLine());
  }

  @Test
  void flippedByteInFilez() throws Exception {
    Checksum c = root.resolve("other.txt").contentChecksum();
    Path p = repo.objectPath(c, ObjectType.FILE);
    byte[] b = Files.readAllBytes(p);
    b[b.length - 2] ^= 0x55;
    Files.write(p, b);
    assertOne(problems(), "content object " + c + ".filez");
  }

  @Test
  void truncatedFilez() throws Exception {
    Checksum c = root.resolve("other.txt").contentChecksum();
    Path p = repo.objectPath(c, ObjectType.FILE);
    byte[] b = Files.readAllBytes(p);
    Files.write(p, java.util.Arrays.copyOf(b, b.length - 3));
    assertOne(problems(), "content object " + c + ".filez", "truncated");
  }

  @Test
  void wrongSizeFieldInFilez() throws Exception {
    Checksum c = root.resolve("hello.txt").contentChecksum();
    Path p = repo.objectPath(c, ObjectType.FILE);
    byte[] b = Files.readAllBytes(p);
    assertEquals(6, b[15]);
    b[15] = 5;
    Files.write(p, b);
    assertOne(problems(), "content object " + c + ".filez: header declares 5 bytes but payload has 6");
  }

  @Test
  void nonNormalDirtree() throws Exception {
    // An empty dirtree is the single byte 00; 00 00 is readable but not in normal form.
    Checksum bad = repo.writeMetadata(ObjectType.DIR_TREE, new byte[] {0, 0});
    Checksum meta = root.metaChecksum();
    Checksum c = repo.writeCommit(Commit.builder().root(bad, meta).timestamp(0).build());
    List<String> ps = problems();
    assertOne(ps, "dirtree " + bad + ": not in GVariant normal form");
    assertFalse(ps.get(0).contains(c.hex()));
  }

  @Test
  void nonNormalCommit() throws Exception {
    byte[] b = repo.readMetadataBytes(commit, ObjectType.COMMIT);
    // Same commit with a 2-byte last framing offset: readable, not normal.
    byte[] nn = java.util.Arrays.copyOf(b, b.length + 1);
    Checksum c = repo.writeMetadata(ObjectType.COMMIT, nn);
    List<String> ps = problems();
    assertTrue(ps.stream().anyMatch(s -> s.equals("commit " + c + ": not in GVariant normal form")), ps.toString());
  }

  @Test
  void commitChecksumMismatch() throws Exception {
    Path p = repo.objectPath(commit, ObjectType.COMMIT);
    byte[] b = Files.readAllBytes(p);
    b[b.length - 10] ^= 1;
    Files.write(p, b);
    List<String> ps = problems();
    assertTrue(ps.get(0).startsWith("commit " + commit + ": checksum mismatch, content has "), ps.toString());
  }

  @Test
  void refToMissingCommit() throws Exception {
    String zeros = "0".repeat(64);
    Files.writeString(repo.path().resolve("refs/heads/bad"), zeros + "\n");
    assertOne(problems(), "ref bad points to missing commit " + zeros);
  }

  @Test
  void invalidRefContent() throws Exception {
    Files.writeString(repo.path().resolve("refs/heads/garbage"), "not a checksum\n");
    assertOne(problems(), "ref garbage: does not contain a valid checksum");
  }

  @Test
  void missingDirmeta() throws Exception {
    Checksum meta = root.resolve("private").metaChecksum();
    Files.delete(repo.objectPath(meta, ObjectType.DIR_META));
    assertOne(problems(), "dirmeta " + meta + " is missing (referenced by commit " + commit + " at /private)");
  }

  @Test
  void missingContentAndDirtree() throws Exception {
    Checksum secret = root.resolve("private/secret").contentChecksum();
    Files.delete(repo.objectPath(secret, ObjectType.FILE));
    assertOne(problems(), "content object " + secret + " is missing (referenced by commit " + commit
        + " at /private/secret)");
    Checksum tree = root.resolve("private").treeChecksum();
    Files.delete(repo.objectPath(tree, ObjectType.DIR_TREE));
    assertOne(problems(), "dirtree " + tree + " is missing");
  }

  @Test
  void missingObjectsOfPartialCommitsAreNotProblems() throws Exception {
    Files.delete(objectOf("hello.txt"));
    Files.createDirectories(repo.path().resolve("state"));
    Files.writeString(repo.path().resolve("state/" + commit.hex() + ".commitpartial"), "");
    FsckReport r = new Fsck(repo).run();
    assertTrue(r.isClean(), r.problems().toString());
    assertEquals(1, r.partialCommitCount());
  }

  @Test
  void deleteRemovesCorruptObjectAndMarksCommitPartial() throws Exception {
    Checksum c = root.resolve("other.txt").contentChecksum();
    Path p = repo.objectPath(c, ObjectType.FILE);
    Files.write(p, "garbage".getBytes(StandardCharsets.UTF_8));
    FsckReport r = new Fsck(repo).deleteCorrupt(true).run();
    assertEquals(1, r.problems().size(), r.problems().toString());
    assertEquals(List.of(c.hex() + ".file"), r.deletedObjects());
    assertFalse(Files.exists(p));
    Path marker = repo.path().resolve("state/" + commit.hex() + ".commitpartial");
    assertEquals("f", Files.readString(marker));
    List<String> again = problems();
    assertOne(again, "commit " + commit + ": marked partial by an earlier fsck");
  }

  @Test
  void bareUserContentCorruption() throws Exception {
    OstreeRepo bu = OstreeRepo.init(tmp.resolve("bu"), RepoMode.BARE_USER);
    Checksum cc = new TreeBuilder(bu).file("a", "aaa", 0644).symlink("l", "a").commit("t");
    assertTrue(new Fsck(bu).run().isClean());
    Checksum a = RepoFile.root(bu, bu.readCommit(cc)).resolve("a").contentChecksum();
    Files.writeString(bu.objectPath(a, ObjectType.FILE), "aab");
    List<String> ps = new Fsck(bu).run().problems().stream().map(FsckReport.Problem::message).collect(Collectors.toList());
    assertOne(ps, "content object " + a + ".file: checksum mismatch, content has ");
  }

  @Test
  void threadCountDoesNotChangeTheReport() throws Exception {
    Files.write(objectOf("hello.txt"), new byte[] {1, 2, 3});
    Files.write(objectOf("other.txt"), new byte[] {4});
    List<String> one = new Fsck(repo).threads(1).run().problems().stream().map(Object::toString).collect(Collectors.toList());
    List<String> many = new Fsck(repo).threads(8).run().problems().stream().map(Object::toString).collect(Collectors.toList());
    assertEquals(2, one.size(), one.toString());
    assertEquals(one, many);
  }
}
