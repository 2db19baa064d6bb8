package io.github.ostree4j.ostree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.ostree4j.ostree.internal.PosixFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Checkout modes, hardlinking rules, union modes and path safety. */
class CheckoutTest {

  @TempDir Path tmp;

  private static int mode(Path p) throws IOException {
    return PosixFiles.lstat(p).mode & 07777;
  }

  private static long inode(Path p) throws IOException {
    return PosixFiles.lstat(p).ino;
  }

  private static CheckoutOptions user() {
    return CheckoutOptions.builder().userMode(true).build();
  }

  private Checksum sampleTree(OstreeRepo repo) throws IOException {
    return new TreeBuilder(repo)
        .file("hello.txt", "hello\n", 0644)
        .file("suid", "s", 04755)
        .file("sgid", "g", 02755)
        .file("noread", "secret", 0)
        .file("g70", "g", 0070)
        .file("empty", "", 0644)
        .symlink("link", "hello.txt")
        .dir("ro", 0555)
        .file("ro/inner.txt", "inner", 0644)
        .dir("sticky", 01777)
        .file("sticky/f", "f", 0600)
        .dir("a/b/c", 0750)
        .file("a/b/c/deep.txt", "deep", 0644)
        .commit("main");
  }

  @ParameterizedTest
  @EnumSource(value = RepoMode.class, names = {"ARCHIVE", "BARE_USER"})
  void userModeAppliesModesAsOstree(RepoMode m) throws Exception {
    OstreeRepo repo = OstreeRepo.init(tmp.resolve("repo"), m);
    Checksum c = sampleTree(repo);
    Path out = tmp.resolve("out");
    new Checkout(repo).checkout(c, out, user());
    assertEquals("hello\n", Files.readString(out.resolve("hello.txt")));
    assertEquals(0644, mode(out.resolve("hello.txt")));
    assertEquals(0755, mode(out.resolve("suid")));
    assertEquals(0755, mode(out.resolve("sgid")));
    assertEquals(0400, mode(out.resolve("noread")));
    assertEquals("secret", Files.readString(out.resolve("noread")));
    assertEquals(0470, mode(out.resolve("g70")));
    assertEquals(0, Files.size(out.resolve("empty")));
    assertTrue(Files.isSymbolicLink(out.resolve("link")));
    assertEquals("hello.txt", Files.readSymbolicLink(out.resolve("link")).toString());
    assertEquals(0555, mode(out.resolve("ro")));
    assertEquals("inner", Files.readString(out.resolve("ro/inner.txt")));
    assertEquals(01777, mode(out.resolve("sticky")));
    assertEquals(0750, mode(out.resolve("a/b/c")));
    assertEquals("deep", Files.readString(out.resolve("a/b/c/deep.txt")));
    assertEquals(0755, mode(out));
    assertEquals(0, Files.getLastModifiedTime(out.resolve("a")).toMillis());
  }

  @Test
  void bareUserUserModeHardlinksExceptUnreadableEmptyAndSymlinks() throws Exception {
    OstreeRepo repo = OstreeRepo.init(tmp.resolve("repo"), RepoMode.BARE_USER);
    Checksum c = sampleTree(repo);
    Path out = tmp.resolve("out");
    new Checkout(repo).checkout(c, out, user());
    RepoFile root = RepoFile.root(repo, repo.readCommit(c));
    for (String linked : List.of("hello.txt", "suid", "sgid", "ro/inner.txt")) {
      Path obj = repo.objectPath(root.resolve(linked).contentChecksum(), ObjectType.FILE);
      assertEquals(inode(obj), inode(out.resolve(linked)), linked + " should be hardlinked");
    }
    for (String copied : List.of("noread", "g70", "empty")) {
      Path obj = repo.objectPath(root.resolve(copied).contentChecksum(), ObjectType.FILE);
      assertNotEquals(inode(obj), inode(out.resolve(copied)), copied + " should be copied");
    }
    assertTrue(Files.isSymbolicLink(out.resolve("link")));
    // the hardlinked file carries the object's metadata xattr
    assertTrue(PosixFiles.readUserXattr(out.resolve("hello.txt"), "user.ostreemeta") != null);
    assertNull(PosixFiles.readUserXattr(out.resolve("noread"), "user.ostreemeta"));
  }

  @Test
  void forceCopyNeverHardlinks() throws Exception {
    OstreeRepo repo = OstreeRepo.init(tmp.resolve("repo"), RepoMode.BARE_USER);
    Checksum c = sampleTree(repo);
    Path out = tmp.resolve("out");
    new Checkout(repo).checkout(c, out, CheckoutOptions.builder().userMode(true).forceCopy(true).build());
    assertEquals(1, PosixFiles.lstat(out.resolve("hello.txt")).nlink);
    assertNull(PosixFiles.readUserXattr(out.resolve("hello.txt"), "user.ostreemeta"));
  }

  @Test
  void requireHardlinksFailsForArchive() throws Exception {
    OstreeRepo repo = OstreeRepo.init(tmp.resolve("repo"), RepoMode.ARCHIVE);
    Checksum c = sampleTree(repo);
    OstreeException e = assertThrows(OstreeException.class, () -> new Checkout(repo).checkout(c, tmp.resolve("out"),
        CheckoutOptions.builder().userMode(true).requireHardlinks(true).build()));
    assertTrue(e.getMessage().contains("cannot hardlink from a archive-z2 repository"), e.getMessage());
  }

  @Test
  void requireHardlinksSucceedsForBareUserInUserMode() throws Exception {
    OstreeRepo repo = OstreeRepo.init(tmp.resolve("repo"), RepoMode.BARE_USER);
    Checksum c = sampleTree(repo);
    Path out = tmp.resolve("out");
    new Checkout(repo).checkout(c, out, CheckoutOptions.builder().userMode(true).requireHardlinks(true).build());
    assertEquals(2, PosixFiles.lstat(out.resolve("hello.txt")).nlink);
  }

  @Test
  void nonUserModeKeepsFullModesAndXattrs() throws Exception {
    OstreeRepo repo = OstreeRepo.init(tmp.resolve("repo"), RepoMode.ARCHIVE);
    Xattrs x = Xattrs.builder().add("user.test", "val".getBytes(StandardCharsets.UTF_8)).build();
    Xattrs dx = Xattrs.builder().add("user.dirx", "dv".getBytes(StandardCharsets.UTF_8)).build();
    Checksum c = new TreeBuilder(repo)
        .file("suid", "s", 04755, x)
        .file("zero", "z", 0)
        .dir("d", 02750, dx)
        .commit("main");
    Path out = tmp.resolve("out");
    new Checkout(repo).checkout(c, out, CheckoutOptions.defaults());
    assertEquals(04755, mode(out.resolve("suid")));
    assertEquals(0, mode(out.resolve("zero")));
    assertEquals(02750, mode(out.resolve("d")));
    assertArrayEquals("val".getBytes(StandardCharsets.UTF_8), PosixFiles.readUserXattr(out.resolve("suid"), "user.test"));
    assertArrayEquals("dv".getBytes(StandardCharsets.UTF_8), PosixFiles.readUserXattr(out.resolve("d"), "user.dirx"));
  }

  @Test
  void bareRepoNonUserModeHardlinksEverythingButEmptyFiles() throws Exception {
    assumeTrue(PosixFiles.isRoot(), "bare repositories need root");
    OstreeRepo repo = OstreeRepo.init(tmp.resolve("repo"), RepoMode.BARE);
    Checksum c = sampleTree(repo);
    Path out = tmp.resolve("out");
    new Checkout(repo).checkout(c, out, CheckoutOptions.defaults());
    assertEquals(2, PosixFiles.lstat(out.resolve("noread")).nlink);
    assertEquals(2, PosixFiles.lstat(out.resolve("link")).nlink);
    assertEquals(1, PosixFiles.lstat(out.resolve("empty")).nlink);
    assertEquals(04755, mode(out.resolve("suid")));
  }

  @Test
  void existingDestinationFails() throws Exception {
    OstreeRepo repo = OstreeRepo.init(tmp.resolve("repo"), RepoMode.ARCHIVE);
    Checksum c = sampleTree(repo);
    Path out = Files.createDirectory(tmp.resolve("out"));
    OstreeException e = assertThrows(OstreeException.class, () -> new Checkout(repo).checkout(c, out, user()));
    assertTrue(e.getMessage().contains("File exists"), e.getMessage());
  }

  @Test
  void unionOverwritesFilesAndUnionAddKeepsThem() throws Exception {
    OstreeRepo repo = OstreeRepo.init(tmp.resolve("repo"), RepoMode.ARCHIVE);
    Checksum c = sampleTree(repo);
    Path out = Files.createDirectory(tmp.resolve("out"));
    Files.writeString(out.resolve("hello.txt"), "old");
    Files.writeString(out.resolve("extra"), "keep");
    new Checkout(repo).checkout(c, out, CheckoutOptions.builder().userMode(true)
        .overwrite(CheckoutOptions.Overwrite.UNION).build());
    assertEquals("hello\n", Files.readString(out.resolve("hello.txt")));
    assertEquals("keep", Files.readString(out.resolve("extra")));

    Path out2 = Files.createDirectory(tmp.resolve("out2"));
    Files.writeString(out2.resolve("hello.txt"), "old");
    Files.createSymbolicLink(out2.resolve("link"), Path.of("elsewhere"));
    new Checkout(repo).checkout(c, out2, CheckoutOptions.builder().userMode(true)
        .overwrite(CheckoutOptions.Overwrite.UNION_ADD).build());
    assertEquals("old", Files.readString(out2.resolve("hello.txt")));
    assertEquals("elsewhere", Files.readSymbolicLink(out2.resolve("link")).toString());
    assertEquals("deep", Files.readString(out2.resolve("a/b/c/deep.txt")));
  }

  @Test
  void unionReplacesSymlinkAtFilePathWithoutFollowingIt() throws Exception {
    OstreeRepo repo = OstreeRepo.init(tmp.resolve("repo"), RepoMode.ARCHIVE);
    Checksum c = sampleTree(repo);
    Path victim = Files.createDirectory(tmp.resolve("victim"));
    Files.writeString(victim.resolve("precious"), "untouched");
    Path out = Files.createDirectory(tmp.resolve("out"));
    Files.createSymbolicLink(out.resolve("hello.txt"), victim.resolve("precious"));
    new Checkout(repo).checkout(c, out, CheckoutOptions.builder().userMode(true)
        .overwrite(CheckoutOptions.Overwrite.UNION).build());
    assertFalse(Files.isSymbolicLink(out.resolve("hello.txt")));
    assertEquals("hello\n", Files.readString(out.resolve("hello.txt")));
    assertEquals("untouched", Files.readString(victim.resolve("precious")));
  }

  @Test
  void unionRefusesSymlinkAtDirectoryPath() throws Exception {
    OstreeRepo repo = OstreeRepo.init(tmp.resolve("repo"), RepoMode.ARCHIVE);
    Checksum c = sampleTree(repo);
    Path victim = Files.createDirectory(tmp.resolve("victim"));
    Path out = Files.createDirectory(tmp.resolve("out"));
    Files.createSymbolicLink(out.resolve("a"), victim);
    for (CheckoutOptions.Overwrite o : List.of(CheckoutOptions.Overwrite.UNION, CheckoutOptions.Overwrite.UNION_ADD)) {
      OstreeException e = assertThrows(OstreeException.class, () -> new Checkout(repo).checkout(c, out,
          CheckoutOptions.builder().userMode(true).overwrite(o).build()));
      assertTrue(e.getMessage().contains("/a") && e.getMessage().contains("not a directory"), e.getMessage());
      try (var s = Files.list(victim)) {
        assertEquals(0, s.count(), "nothing may be written through the symlink");
      }
    }
  }

  @Test
  void subpathDirectoryAndFile() throws Exception {
    OstreeRepo repo = OstreeRepo.init(tmp.resolve("repo"), RepoMode.ARCHIVE);
    Checksum c = sampleTree(repo);
    Path d = tmp.resolve("d");
    new Checkout(repo).checkout(c, d, CheckoutOptions.builder().userMode(true).subpath("/a/b").build());
    assertEquals("deep", Files.readString(d.resolve("c/deep.txt")));
    Path f = tmp.resolve("f");
    new Checkout(repo).checkout(c, f, CheckoutOptions.builder().userMode(true).subpath("/ro/inner.txt").build());
    assertEquals("inner", Files.readString(f.resolve("inner.txt")));
    OstreeException e = assertThrows(OstreeException.class, () -> new Checkout(repo).checkout(c, tmp.resolve("n"),
        CheckoutOptions.builder().subpath("/nope").build()));
    assertTrue(e.getMessage().contains("/nope"), e.getMessage());
  }

  @Test
  void singleThreadGivesSameResult() throws Exception {
    OstreeRepo repo = OstreeRepo.init(tmp.resolve("repo"), RepoMode.ARCHIVE);
    Checksum c = sampleTree(repo);
    Path out = tmp.resolve("out");
    new Checkout(repo).checkout(c, out, CheckoutOptions.builder().userMode(true).threads(1).build());
    assertEquals("deep", Files.readString(out.resolve("a/b/c/deep.txt")));
    assertEquals(0555, mode(out.resolve("ro")));
  }

  /** Writes a commit whose root dirtree is given directly, bypassing the tree builder's checks. */
  private static Checksum commitRawTree(OstreeRepo repo, DirTree root) throws IOException {
    int uid = TreeBuilder.currentUid(repo);
    int gid = TreeBuilder.currentGid(repo);
    Checksum meta = repo.writeMetadata(ObjectType.DIR_META, DirMeta.of(uid, gid, 0755, Xattrs.EMPTY).serialize());
    Checksum tree = repo.writeMetadata(ObjectType.DIR_TREE, root.serialize());
    Commit commit = Commit.builder().root(tree, meta).timestamp(0).build();
    return repo.writeCommit(commit);
  }

  @Test
  void dotDotNameInDirtreeIsRejected() throws Exception {
    OstreeRepo repo = OstreeRepo.init(tmp.resolve("repo"), RepoMode.ARCHIVE);
    int uid = TreeBuilder.currentUid(repo);
    byte[] b = "evil".getBytes(StandardCharsets.UTF_8);
    Checksum content = repo.writeContent(FileHeader.regular(uid, uid, 0644, Xattrs.EMPTY),
        new java.io.ByteArrayInputStream(b), b.length);
    Checksum c = commitRawTree(repo, new DirTree(List.of(new DirTree.FileEntry("..", content)), List.of()));
    Path out = tmp.resolve("sub/out");
    Files.createDirectories(out.getParent());
    IOException e = assertThrows(IOException.class, () -> new Checkout(repo).checkout(c, out, user()));
    assertTrue(e.getMessage().contains(".."), e.getMessage());
    assertFalse(Files.exists(tmp.resolve("sub/..").normalize().resolve("evil")));
    try (var s = Files.list(tmp.resolve("sub"))) {
      assertTrue(s.allMatch(p -> p.getFileName().toString().equals("out")));
    }
  }

  @Test
  void duplicateNameInDirtreeIsRejected() throws Exception {
    OstreeRepo repo = OstreeRepo.init(tmp.resolve("repo"), RepoMode.ARCHIVE);
    int uid = TreeBuilder.currentUid(repo);
    Checksum link = repo.writeContent(FileHeader.symlink(uid, uid, "/etc", Xattrs.EMPTY),
        java.io.InputStream.nullInputStream(), 0);
    Checksum meta = repo.writeMetadata(ObjectType.DIR_META, DirMeta.of(uid, uid, 0755, Xattrs.EMPTY).serialize());
    Checksum empty = repo.writeMetadata(ObjectType.DIR_TREE, new DirTree(List.of(), List.of()).serialize());
    Checksum c = commitRawTree(repo, new DirTree(List.of(new DirTree.FileEntry("x", link)),
        List.of(new DirTree.DirEntry("x", empty, meta))));
    CorruptObjectException e = assertThrows(CorruptObjectException.class,
        () -> new Checkout(repo).checkout(c, tmp.resolve("out"), user()));
    assertTrue(e.getMessage().contains("duplicate name 'x'"), e.getMessage());
  }

  @Test
  void symlinkTargetsAreWrittenVerbatim() throws Exception {
    OstreeRepo repo = OstreeRepo.init(tmp.resolve("repo"), RepoMode.ARCHIVE);
    Checksum c = new TreeBuilder(repo).symlink("abs", "/etc/passwd").symlink("up", "../../x").commit("main");
    Path out = tmp.resolve("out");
    new Checkout(repo).checkout(c, out, user());
    assertEquals("/etc/passwd", Files.readSymbolicLink(out.resolve("abs")).toString());
    assertEquals("../../x", Files.readSymbolicLink(out.resolve("up")).toString());
  }
}
