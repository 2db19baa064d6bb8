package io.github.ostree4j.ostree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Instant;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** Commits of the shared vector tree must give ostree's checksum a045da62… in every mode. */
class CommitterTest {

  static final String VECTOR_COMMIT = "a045da6285889b45d713ca8f2acf632dd377f5af93ba869a297e69ae6789a8f2";

  @TempDir Path tmp;

  static Path vectorTree(Path base) throws IOException {
    Path t = base.resolve("tree");
    Files.createDirectories(t.resolve("emptydir"));
    Files.createDirectories(t.resolve("sub"));
    Files.writeString(t.resolve("hello.txt"), "hello\n");
    Files.writeString(t.resolve("run.sh"), "#!/bin/sh\necho hi\n");
    Files.createSymbolicLink(t.resolve("link"), Path.of("hello.txt"));
    Files.writeString(t.resolve("sub/x.dat"), "x");
    Files.getFileAttributeView(t.resolve("sub/x.dat"), UserDefinedFileAttributeView.class)
        .write("test", ByteBuffer.wrap("val".getBytes(StandardCharsets.UTF_8)));
    Files.setPosixFilePermissions(t.resolve("hello.txt"), PosixFilePermissions.fromString("rw-r--r--"));
    Files.setPosixFilePermissions(t.resolve("sub/x.dat"), PosixFilePermissions.fromString("rw-r--r--"));
    for (String p : new String[] {"run.sh", "", "emptydir", "sub"}) {
      Files.setPosixFilePermissions(t.resolve(p), PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    return t;
  }

  static CommitOptions vectorOptions() {
    return CommitOptions.builder().branch("test").subject("Test subject").body("Test body")
        .timestamp(Instant.parse("2020-01-01T00:00:00Z").getEpochSecond()).ownerUid(0).ownerGid(0).build();
  }

  @ParameterizedTest
  @EnumSource(value = RepoMode.class, names = {"ARCHIVE", "BARE_USER"})
  void vectorTreeGivesOstreeChecksum(RepoMode mode) throws Exception {
    OstreeRepo repo = OstreeRepo.init(tmp.resolve("repo"), mode);
    Checksum c = new Committer(repo).commitDirectory(vectorTree(tmp), vectorOptions());
    assertEquals(VECTOR_COMMIT, c.hex());
    assertEquals(c, repo.resolveRev("test"));
    try (ContentObject o = repo.openContent(Checksum.parse("44f778e59f0a4748d6b0c90a47347212a231c4ad1e8f7ea5c5dffc7749153a6b"))) {
      assertEquals("hello\n", new String(o.payload().readAllBytes(), StandardCharsets.UTF_8));
      assertEquals(0100644, o.header().mode());
    }
    try (ContentObject o = repo.openContent(Checksum.parse("f66efa496a72379413c44593de510dc344beb045294f1a543da87b2b6118db35"))) {
      assertEquals("hello.txt", o.header().symlinkTarget());
    }
  }

  @Test
  void archiveObjectsAreByteIdentical() throws Exception {
    OstreeRepo repo = OstreeRepo.init(tmp.resolve("repo"), RepoMode.ARCHIVE);
    new Committer(repo).commitDirectory(vectorTree(tmp), vectorOptions());
    Path hello = repo.objectPath(Checksum.parse("44f778e59f0a4748d6b0c90a47347212a231c4ad1e8f7ea5c5dffc7749153a6b"), ObjectType.FILE);
    assertEquals("0000001a00000000" + "0000000000000006" + "00000000" + "00000000" + "000081a4" + "00000000" + "0019" + "cb48cdc9c9e70200",
        java.util.HexFormat.of().formatHex(Files.readAllBytes(hello)));
  }

  @Test
  void tarWithDotRootGivesSameCommitAsDirectory() throws Exception {
    Path tree = vectorTree(tmp);
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bos)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      addDir(tar, "./", 0755);
      addFile(tar, "./hello.txt", "hello\n", 0644, null);
      TarArchiveEntry l = new TarArchiveEntry("./link", TarArchiveEntry.LF_SYMLINK);
      l.setLinkName("hello.txt");
      tar.putArchiveEntry(l);
      tar.closeArchiveEntry();
      addFile(tar, "./run.sh", "#!/bin/sh\necho hi\n", 0755, null);
      addDir(tar, "./emptydir/", 0755);
      addDir(tar, "./sub/", 0755);
      addFile(tar, "./sub/x.dat", "x", 0644, "val");
    }
    OstreeRepo repo = OstreeRepo.init(tmp.resolve("repo"), RepoMode.ARCHIVE);
    Checksum c = new Committer(repo).commitTar(new ByteArrayInputStream(bos.toByteArray()), vectorOptions());
    assertEquals(VECTOR_COMMIT, c.hex());
    assertTrue(Files.isDirectory(tree));
  }

  @Test
  void tarWithDotDotIsRejectedAndNothingEscapes() throws Exception {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bos)) {
      addFile(tar, "a/../../evil", "x", 0644, null);
    }
    OstreeRepo repo = OstreeRepo.init(tmp.resolve("repo"), RepoMode.ARCHIVE);
    OstreeException e = assertThrows(OstreeException.class,
        () -> new Committer(repo).commitTar(new ByteArrayInputStream(bos.toByteArray()), vectorOptions()));
    assertTrue(e.getMessage().contains("a/../../evil"), e.getMessage());
    assertTrue(Files.notExists(tmp.resolve("evil")));
  }

  static void addDir(TarArchiveOutputStream tar, String name, int mode) throws IOException {
    TarArchiveEntry d = new TarArchiveEntry(name);
    d.setMode(040000 | mode);
    tar.putArchiveEntry(d);
    tar.closeArchiveEntry();
  }

  static void addFile(TarArchiveOutputStream tar, String name, String content, int mode, String xattr) throws IOException {
    byte[] b = content.getBytes(StandardCharsets.UTF_8);
    TarArchiveEntry f = new TarArchiveEntry(name);
    f.setMode(0100000 | mode);
    f.setSize(b.length);
    if (xattr != null) {
      f.addPaxHeader("SCHILY.xattr.user.test", xattr);
    }
    tar.putArchiveEntry(f);
    tar.write(b);
    tar.closeArchiveEntry();
  }
}
