package io.github.ostree4j.build.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ostree4j.oci.Compression;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Date;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchivesTest {

  @TempDir Path tmp;

  private interface Entries {
    void write(TarArchiveOutputStream t) throws IOException;
  }

  private Path tar(String name, String compression, Entries entries) throws IOException {
    Path p = tmp.resolve(name);
    try (OutputStream f = Files.newOutputStream(p);
        OutputStream c = compression.equals("bzip2") ? new BZip2CompressorOutputStream(f)
            : Compression.parse(compression).compress(f);
        TarArchiveOutputStream t = new TarArchiveOutputStream(c)) {
      t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      entries.write(t);
    }
    return p;
  }

  private static void file(TarArchiveOutputStream t, String name, String content, int mode,
      int uid) throws IOException {
    byte[] b = content.getBytes(StandardCharsets.UTF_8);
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setSize(b.length);
    e.setMode(0100000 | mode);
    e.setUserId(uid);
    e.setGroupId(uid);
    e.setModTime(new Date(1_000_000_000_000L));
    t.putArchiveEntry(e);
    t.write(b);
    t.closeArchiveEntry();
  }

  private static void link(TarArchiveOutputStream t, String name, String target, byte type)
      throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, type);
    e.setLinkName(target);
    t.putArchiveEntry(e);
    t.closeArchiveEntry();
  }

  @Test
  void extractsEveryCompression() throws Exception {
    for (String c : new String[] {"none", "gzip", "zstd", "bzip2"}) {
      Path a = tar("a-" + c + ".tar", c, t -> {
        file(t, "dir/f.txt", "content\n", 0640, 0);
        link(t, "dir/l", "f.txt", TarArchiveEntry.LF_SYMLINK);
      });
      assertTrue(Archives.isArchive(a), c);
      Path dest = Files.createDirectories(tmp.resolve("out-" + c));
      Archives.extract(a, dest, null);
      assertEquals("content\n", Files.readString(dest.resolve("dir/f.txt")));
      assertEquals(0640, FileAttrs.lstat(dest.resolve("dir/f.txt")).permissions());
      assertEquals(1_000_000_000_000L, FileAttrs.lstat(dest.resolve("dir/f.txt")).mtimeMillis());
      assertEquals("f.txt", Files.readSymbolicLink(dest.resolve("dir/l")).toString());
    }
  }

  @Test
  void plainAndCompressedNonTarFilesAreNotArchives() throws Exception {
    Path plain = Files.writeString(tmp.resolve("plain.txt"), "just text\n".repeat(100));
    assertFalse(Archives.isArchive(plain));
    Path gz = tmp.resolve("text.gz");
    try (OutputStream o = Compression.GZIP.compress(Files.newOutputStream(gz))) {
      o.write("not a tar\n".getBytes(StandardCharsets.UTF_8));
    }
    assertFalse(Archives.isArchive(gz));
  }

  /** Hostile names and links never lead out of the destination directory. */
  @Test
  void hostileEntriesStayInside() throws Exception {
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Path a = tar("evil.tar", "none", t -> {
      file(t, "../../escape.txt", "x", 0644, 0);
      file(t, "/abs.txt", "y", 0644, 0);
      link(t, "lnk", outside.toString(), TarArchiveEntry.LF_SYMLINK);
      file(t, "lnk/through.txt", "z", 0644, 0);
    });
    Path dest = Files.createDirectories(tmp.resolve("work/dest"));
    Archives.extract(a, dest, null);
    assertTrue(Files.exists(dest.resolve("escape.txt")));
    assertTrue(Files.exists(dest.resolve("abs.txt")));
    assertFalse(Files.exists(tmp.resolve("escape.txt")));
    assertFalse(Files.exists(outside.resolve("through.txt")));
    assertTrue(Files.isRegularFile(dest.resolve(outside.toString().substring(1))
        .resolve("through.txt"), LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void hardLinksMustPointIntoTheArchive() throws Exception {
    Path a = tar("hard.tar", "none", t -> link(t, "h", "/etc/passwd", TarArchiveEntry.LF_LINK));
    Path dest = Files.createDirectories(tmp.resolve("hard"));
    assertThrows(StepFailedException.class, () -> Archives.extract(a, dest, null));
  }

  @Test
  void chownOverridesArchiveOwners() throws Exception {
    Path a = tar("own.tar", "gzip", t -> file(t, "f", "x", 0600, 4242));
    Path dest = Files.createDirectories(tmp.resolve("own"));
    Archives.extract(a, dest, new TreeCopy.Owner(7, 8));
    if ("root".equals(System.getProperty("user.name"))) {
      assertEquals(7, FileAttrs.lstat(dest.resolve("f")).uid());
      assertEquals(8, FileAttrs.lstat(dest.resolve("f")).gid());
    }
    assertEquals(0600, FileAttrs.lstat(dest.resolve("f")).permissions());
  }
}
