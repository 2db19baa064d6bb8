package io.github.ostree4j.container;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.ostree.Commit;
import io.github.ostree4j.ostree.CommitOptions;
import io.github.ostree4j.ostree.DirTree;
import io.github.ostree4j.ostree.ObjectType;
import io.github.ostree4j.ostree.OstreeException;
import io.github.ostree4j.ostree.OstreeRepo;
import io.github.ostree4j.ostree.RepoMode;
import io.github.ostree4j.ostree.Xattrs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Import behaviour that needs no real peer: round trips, path forms, partial marking, object sets. */
class CommitTarImporterTest {

  @TempDir Path tmp;
  private int repos;

  private OstreeRepo repo(RepoMode mode) throws IOException {
    return OstreeRepo.init(tmp.resolve("repo-" + (repos++)), mode);
  }

  private static Checksum tree(OstreeRepo repo) throws IOException {
    Xattrs x = Xattrs.builder().add("security.selinux", "system_u:object_r:bin_t:s0\0".getBytes(StandardCharsets.UTF_8))
        .add("user.v", new byte[] {(byte) 0xff, 0}).build();
    return new TestCommit(repo)
        .file("usr/bin/tool", "#!/bin/sh\n".getBytes(StandardCharsets.UTF_8), 04755, 0, 0, x)
        .symlink("usr/bin/alias", "tool")
        .file("usr/etc/conf", "a=1\n", 0640)
        .file("usr/share/empty", "", 0644)
        .file("home/user/f", "f\n".getBytes(StandardCharsets.UTF_8), 0600, 1000, 1000, Xattrs.EMPTY)
        .dir("var", 0755)
        .commit(CommitOptions.builder().timestamp(0L).addDetachedMetadataString("k", "v").build());
  }

  private static byte[] export(OstreeRepo repo, Checksum commit) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new CommitTarExporter(repo, commit).exportCommit(out);
    return out.toByteArray();
  }

  private static Checksum importCommit(OstreeRepo repo, byte[] tar) throws IOException {
    return new CommitTarImporter(repo).importCommit(new ByteArrayInputStream(tar));
  }

  @Test
  void roundTripGivesTheSameCommitWithItsDetachedMetadata() throws IOException {
    OstreeRepo src = repo(RepoMode.ARCHIVE);
    Checksum commit = tree(src);
    OstreeRepo dst = repo(RepoMode.ARCHIVE);
    assertEquals(commit, importCommit(dst, export(src, commit)));
    assertArrayEquals(src.readMetadataBytes(commit, ObjectType.COMMIT_META),
        dst.readMetadataBytes(commit, ObjectType.COMMIT_META));
    assertFalse(Files.exists(dst.path().resolve("state").resolve(commit.hex() + ".commitpartial")));
    assertTrue(dst.refs().list().isEmpty(), "no ref is written");
  }

  @Test
  void leadingDotSlashOrSlashNameTheSameEntries() throws IOException {
    OstreeRepo src = repo(RepoMode.ARCHIVE);
    Checksum commit = tree(src);
    List<TarItems.Item> items = TarItems.read(export(src, commit));
    for (String prefix : List.of("./", "/")) {
      List<TarItems.Item> renamed = new ArrayList<>();
      for (TarItems.Item i : items) {
        renamed.add(i.name().startsWith("sysroot/") ? i.renamed(prefix + i.name()) : i);
      }
      assertEquals(commit, importCommit(repo(RepoMode.ARCHIVE), TarItems.write(renamed)), prefix);
    }
  }

  @Test
  void commitStaysPartialUntilEveryObjectIsThere() throws IOException {
    OstreeRepo src = repo(RepoMode.ARCHIVE);
    Checksum commit = tree(src);
    CommitTarExporter exporter = new CommitTarExporter(src, commit);
    ByteArrayOutputStream layer0 = new ByteArrayOutputStream();
    exporter.exportCommitLayer(Set.of(), layer0);
    OstreeRepo dst = repo(RepoMode.ARCHIVE);
    OstreeException e = assertThrows(OstreeException.class, () -> importCommit(dst, layer0.toByteArray()));
    assertTrue(e.getMessage().contains("is missing"), e.getMessage());
    Checksum first = exporter.contentObjects().keySet().iterator().next();
    assertTrue(e.getMessage().contains(first.hex() + ".file"), "names the first missing object: " + e.getMessage());
    Path marker = dst.path().resolve("state").resolve(commit.hex() + ".commitpartial");
    assertTrue(Files.isRegularFile(marker));
    assertEquals(0, Files.size(marker), "libostree's marker is an empty file");

    ByteArrayOutputStream chunk = new ByteArrayOutputStream();
    exporter.exportChunk(exporter.contentObjects().keySet(), chunk);
    new CommitTarImporter(dst).importObjectSet(new ByteArrayInputStream(chunk.toByteArray()));
    assertTrue(Files.exists(marker), "an object-set import does not touch the commit");
    assertEquals(commit, importCommit(dst, layer0.toByteArray()));
    assertFalse(Files.exists(marker));
  }

  @Test
  void aCommitLayerImportedBeforeItsComponentsIsCompletedAfterThem() throws IOException {
    OstreeRepo src = repo(RepoMode.BARE_USER);
    Checksum commit = tree(src);
    CommitTarExporter exporter = new CommitTarExporter(src, commit);
    ByteArrayOutputStream layer0 = new ByteArrayOutputStream();
    exporter.exportCommitLayer(Set.of(), layer0);
    OstreeRepo dst = repo(RepoMode.BARE_USER);
    CommitTarImporter importer = new CommitTarImporter(dst);
    Path marker = dst.path().resolve("state").resolve(commit.hex() + ".commitpartial");

    // the objects of the commit layer go in; the commit stays partial and is not checked yet
    assertEquals(commit, importer.importCommitObjects(new ByteArrayInputStream(layer0.toByteArray())));
    assertTrue(dst.hasObject(commit, ObjectType.COMMIT));
    assertTrue(Files.isRegularFile(marker));
    OstreeException e = assertThrows(OstreeException.class, () -> importer.completeCommit(commit));
    Checksum first = exporter.contentObjects().keySet().iterator().next();
    assertTrue(e.getMessage().contains(first.hex() + ".file"), "names the first missing object: " + e.getMessage());
    assertTrue(Files.isRegularFile(marker), "an incomplete commit stays partial");

    ByteArrayOutputStream chunk = new ByteArrayOutputStream();
    exporter.exportChunk(exporter.contentObjects().keySet(), chunk);
    importer.flushObjectSets(false).importObjectSet(new ByteArrayInputStream(chunk.toByteArray()));
    assertTrue(Files.isRegularFile(marker));
    dst.syncFilesystem();
    importer.completeCommit(commit);
    assertFalse(Files.exists(marker));
    assertEquals(commit, new CommitTarImporter(dst).importCommit(new ByteArrayInputStream(layer0.toByteArray())),
        "a complete commit imports again as itself");
    assertFalse(Files.exists(marker));
  }

  @Test
  void objectSetCommitHasOneFilePerObjectNamedByItsChecksum() throws IOException {
    OstreeRepo src = repo(RepoMode.ARCHIVE);
    Checksum commit = tree(src);
    CommitTarExporter exporter = new CommitTarExporter(src, commit);
    ByteArrayOutputStream chunk = new ByteArrayOutputStream();
    exporter.exportChunk(exporter.contentObjects().keySet(), chunk);
    OstreeRepo dst = repo(RepoMode.ARCHIVE);
    Checksum synthetic = new CommitTarImporter(dst).importObjectSet(new ByteArrayInputStream(chunk.toByteArray()));

    Commit c = dst.readCommit(synthetic);
    assertEquals(0, c.timestamp());
    assertEquals("", c.subject());
    assertEquals("", c.body());
    assertTrue(c.metadata().isEmpty());
    assertTrue(c.parent().isEmpty());
    // The dirmeta of a root-owned 0755 directory without xattrs, as ostree writes it.
    assertEquals("446a0ef11b7cc167f3b603e585c7eeeeb675faa412d5ec73f62988eb0b6c5488", c.rootMeta().hex());
    DirTree root = dst.readDirTree(c.rootTree());
    assertTrue(root.dirs().isEmpty());
    assertEquals(exporter.contentObjects().size(), root.files().size());
    for (DirTree.FileEntry f : root.files()) {
      assertEquals(f.checksum().hex(), f.name());
      assertTrue(exporter.contentObjects().containsKey(f.checksum()));
    }
  }

  @Test
  void aStreamCutAtAnEntryBoundaryIsTruncated() throws IOException {
    OstreeRepo src = repo(RepoMode.ARCHIVE);
    Checksum commit = tree(src);
    byte[] tar = export(src, commit);
    // Drop the two zero records that end the archive: every entry is still complete.
    byte[] cut = Arrays.copyOf(tar, tar.length - 1024);
    InvalidOstreeTarException e = assertThrows(InvalidOstreeTarException.class,
        () -> importCommit(repo(RepoMode.ARCHIVE), cut));
    assertTrue(e.getMessage().contains("end-of-archive"), e.getMessage());
    assertTrue(e.getMessage().contains("var/tmp"), "names the last entry read: " + e.getMessage());
  }

  @Test
  void emptyStreamHasNoCommit() {
    byte[] empty = new byte[1024];
    InvalidOstreeTarException e = assertThrows(InvalidOstreeTarException.class,
        () -> importCommit(repo(RepoMode.ARCHIVE), empty));
    assertTrue(e.getMessage().contains("no commit"), e.getMessage());
  }
}
