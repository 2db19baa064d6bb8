package io.github.ostree4j.ostree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tar import details: strict UTF-8 names, bounded headers, hard links to symlinks, entry filters. */
class TarImportTest {

  @TempDir Path tmp;

  private interface Writer {
    void write(TarArchiveOutputStream t) throws IOException;
  }

  private static byte[] tar(String encoding, Writer w) throws IOException {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (TarArchiveOutputStream t = new TarArchiveOutputStream(bos, encoding)) {
      t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      t.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      w.write(t);
    }
    return bos.toByteArray();
  }

  private OstreeRepo repo() throws IOException {
    return OstreeRepo.init(tmp.resolve("repo"), RepoMode.ARCHIVE);
  }

  private static CommitOptions options() {
    return CommitOptions.builder().timestamp(0).build();
  }

  @Test
  void nameThatIsNotUtf8IsRejected() throws Exception {
    // "caf\u00e9" written as ISO-8859-1: the byte 0xE9 alone is not UTF-8
    byte[] t = tar("ISO-8859-1", w -> CommitterTest.addFile(w, "caf\u00e9", "x", 0644, null));
    OstreeException e = assertThrows(OstreeException.class,
        () -> new Committer(repo()).importTar(new ByteArrayInputStream(t), options()));
    assertTrue(e.getMessage().contains("not valid UTF-8"), e.getMessage());
    assertTrue(e.getMessage().contains("caf"), e.getMessage());
  }

  @Test
  void utf8NamesInHeaderAndPaxAreKept() throws Exception {
    String longName = "d/" + "\u65e5\u672c".repeat(40) + ".txt";
    byte[] t = tar("UTF-8", w -> {
      CommitterTest.addFile(w, "caf\u00e9", "x", 0644, null);
      CommitterTest.addFile(w, longName, "y", 0644, null);
    });
    MutableTree tree = new Committer(repo()).importTar(new ByteArrayInputStream(t), options());
    assertNotNull(tree.getFile("caf\u00e9"));
    assertNotNull(tree.getDir("d").getFile(longName.substring(2)));
  }

  @Test
  void oversizedPaxHeaderIsRejected() throws Exception {
    String big = "v".repeat(9 << 20);
    byte[] t = tar("UTF-8", w -> {
      TarArchiveEntry f = new TarArchiveEntry("huge");
      f.setMode(0100644);
      f.addPaxHeader("SCHILY.xattr.user.big", big);
      w.putArchiveEntry(f);
      w.closeArchiveEntry();
    });
    OstreeException e = assertThrows(OstreeException.class,
        () -> new Committer(repo()).importTar(new ByteArrayInputStream(t), options()));
    assertTrue(e.getMessage().contains("larger than 8 MiB"), e.getMessage());
  }

  @Test
  void hardlinkToSymlinkSharesTheSymlinkObject() throws Exception {
    byte[] t = tar("UTF-8", w -> {
      TarArchiveEntry l = new TarArchiveEntry("sym", TarConstants.LF_SYMLINK);
      l.setLinkName("target");
      w.putArchiveEntry(l);
      w.closeArchiveEntry();
      TarArchiveEntry h = new TarArchiveEntry("hard", TarConstants.LF_LINK);
      h.setLinkName("sym");
      w.putArchiveEntry(h);
      w.closeArchiveEntry();
    });
    OstreeRepo repo = repo();
    MutableTree tree = new Committer(repo).importTar(new ByteArrayInputStream(t), options());
    assertEquals(tree.getFile("sym"), tree.getFile("hard"));
    try (ContentObject o = repo.openContent(tree.getFile("hard"))) {
      assertEquals("target", o.header().symlinkTarget());
    }
  }

  @Test
  void filterMovesSkipsAndKeepsLinkSources() throws Exception {
    byte[] t = tar("UTF-8", w -> {
      CommitterTest.addFile(w, "keep/a", "a", 0644, null);
      CommitterTest.addFile(w, "drop/b", "bb", 0644, null);
      CommitterTest.addFile(w, "hidden/c", "ccc", 0644, null);
      TarArchiveEntry h = new TarArchiveEntry("keep/c-link", TarConstants.LF_LINK);
      h.setLinkName("hidden/c");
      w.putArchiveEntry(h);
      w.closeArchiveEntry();
      CommitterTest.addFile(w, "keep/after", "after", 0644, null);
    });
    TarEntryFilter filter = new TarEntryFilter() {
      @Override
      public Placement place(Entry e) {
        if (e.name().startsWith("drop/")) {
          return Placement.skip();
        }
        if (e.name().startsWith("hidden/")) {
          return Placement.linkSource("held/" + e.name());
        }
        return Placement.tree("moved/" + e.name());
      }

      @Override
      public String hardlinkTarget(Entry e) {
        return "held/" + e.linkName();
      }
    };
    OstreeRepo repo = repo();
    MutableTree tree = new Committer(repo).importTar(new ByteArrayInputStream(t), options(), filter);
    assertNull(tree.getDir("drop"));
    assertNull(tree.getDir("hidden"));
    assertNull(tree.getDir("keep"));
    MutableTree keep = tree.getDir("moved").getDir("keep");
    assertEquals(java.util.Set.of("a", "c-link", "after"), keep.files().keySet());
    try (ContentObject o = repo.openContent(keep.getFile("c-link"))) {
      assertEquals("ccc", new String(o.payload().readAllBytes(), StandardCharsets.UTF_8));
    }
    // the skipped entry's data was consumed, so the entry after it is intact
    try (ContentObject o = repo.openContent(keep.getFile("after"))) {
      assertEquals("after", new String(o.payload().readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void everyTruncationIsAnError() throws Exception {
    byte[] t = tar("UTF-8", w -> {
      CommitterTest.addDir(w, "d/", 0755);
      CommitterTest.addFile(w, "d/file", "x".repeat(700), 0644, "val");
      TarArchiveEntry l = new TarArchiveEntry("d/sym", TarConstants.LF_SYMLINK);
      l.setLinkName("file");
      w.putArchiveEntry(l);
      w.closeArchiveEntry();
      CommitterTest.addFile(w, "d/" + "long".repeat(40), "y", 0644, null);
    });
    OstreeRepo repo = repo();
    // an empty stream is an empty archive, as for libarchive
    assertTrue(new Committer(repo).importTar(InputStream.nullInputStream(), options()).files().isEmpty());
    // the whole archive imports
    assertNotNull(new Committer(repo).importTar(new ByteArrayInputStream(t), options()).getDir("d").getFile("sym"));
    // every cut before the first end-of-archive record fails; after it the rest is padding
    int firstEndRecord = -1;
    for (int off = 0; off + 512 <= t.length && firstEndRecord < 0; off += 512) {
      boolean zero = true;
      for (int i = off; i < off + 512; i++) {
        zero &= t[i] == 0;
      }
      firstEndRecord = zero ? off : -1;
    }
    for (int cut = 1; cut < firstEndRecord + 512; cut++) {
      byte[] part = java.util.Arrays.copyOf(t, cut);
      OstreeException e = assertThrows(OstreeException.class,
          () -> new Committer(repo).importTar(new ByteArrayInputStream(part), options()), "archive cut at " + cut);
      assertTrue(e.getMessage().matches("(?is).*(truncated|premature|unexpected end).*"), cut + ": " + e.getMessage());
    }
  }
}
