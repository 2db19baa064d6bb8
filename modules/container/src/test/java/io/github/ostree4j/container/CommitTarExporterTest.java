package io.github.ostree4j.container;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.ostree.Commit;
import io.github.ostree4j.ostree.CommitOptions;
import io.github.ostree4j.ostree.CorruptObjectException;
import io.github.ostree4j.ostree.DirTree;
import io.github.ostree4j.ostree.ObjectType;
import io.github.ostree4j.ostree.OstreeRepo;
import io.github.ostree4j.ostree.RepoMode;
import io.github.ostree4j.ostree.Xattrs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exporter's stream, read back with an independent tar parser ({@link RawTar}) and checked
 * against the format rules of the reference exporter: entry order, paths, ownership, modes,
 * mtimes, hard links, xattrs objects and PAX records, {@code usr/etc}, {@code var/tmp}, and
 * reproducibility.
 */
class CommitTarExporterTest {

  private static final String OBJECTS = "sysroot/ostree/repo/objects/";

  @TempDir Path tmp;

  /** The skeleton, as listed in the format notes (write_repo_structure). */
  private static List<String> expectedSkeleton() {
    List<String> dirs = new ArrayList<>(List.of("sysroot", "sysroot/ostree", "sysroot/ostree/repo",
        "sysroot/ostree/repo/objects"));
    for (int i = 0; i < 256; i++) {
      dirs.add(String.format("sysroot/ostree/repo/objects/%02x", i));
    }
    for (String d : List.of("extensions", "refs", "refs/heads", "refs/mirrors", "refs/remotes", "state", "tmp",
        "tmp/cache")) {
      dirs.add("sysroot/ostree/repo/" + d);
    }
    return dirs;
  }

  private static String obj(Checksum c, String suffix) {
    return OBJECTS + c.hex().substring(0, 2) + "/" + c.hex().substring(2) + "." + suffix;
  }

  private OstreeRepo repo(String name) throws IOException {
    return OstreeRepo.init(tmp.resolve(name), RepoMode.ARCHIVE);
  }

  private static byte[] export(OstreeRepo repo, Checksum commit) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new CommitTarExporter(repo, commit).exportCommit(out);
    return out.toByteArray();
  }

  private static Checksum small(OstreeRepo repo) throws IOException {
    return new TestCommit(repo)
        .file("a.txt", "A\n", 0644)
        .dir("usr", 0755)
        .dir("usr/bin", 0755)
        .file("usr/bin/bash", "#!bash\n", 0755)
        .symlink("usr/bin/sh", "bash")
        .dir("usr/etc", 0750, 0, 5, Xattrs.EMPTY)
        .file("usr/etc/os-release", "ID=test\n", 0644)
        .dir("var", 0755)
        .commit();
  }

  @Test
  void wholeCommitFollowsTheReferenceOrder() throws IOException {
    OstreeRepo repo = repo("r");
    Checksum commit = small(repo);
    List<RawTar.Entry> entries = RawTar.read(export(repo, commit));

    Commit c = repo.readCommit(commit);
    DirTree root = repo.readDirTree(c.rootTree());
    DirTree.DirEntry usr = root.dirs().get(0);
    DirTree usrTree = repo.readDirTree(usr.tree());
    DirTree.DirEntry bin = usrTree.dirs().get(0);
    DirTree.DirEntry etc = usrTree.dirs().get(1);
    DirTree binTree = repo.readDirTree(bin.tree());
    DirTree etcTree = repo.readDirTree(etc.tree());
    DirTree.DirEntry var = root.dirs().get(1);
    Checksum a = root.files().get(0).checksum();
    Checksum bash = binTree.files().get(0).checksum();
    Checksum sh = binTree.files().get(1).checksum();
    Checksum osRelease = etcTree.files().get(0).checksum();

    List<String> expected = new ArrayList<>();
    expected.add(".");
    expected.addAll(expectedSkeleton());
    expected.add("sysroot/ostree/repo/config");
    expected.add(obj(commit, "commit"));
    expected.add(obj(c.rootMeta(), "dirmeta"));
    expected.add(obj(c.rootTree(), "dirtree"));
    expected.addAll(List.of(obj(a, "file-xattrs-link"), obj(a, "file"), "a.txt"));
    // usr has the root's dirmeta, which was written already
    expected.add("usr");
    expected.add(obj(usr.tree(), "dirtree"));
    expected.add("usr/bin");
    expected.add(obj(bin.tree(), "dirtree"));
    expected.addAll(List.of(obj(bash, "file-xattrs-link"), obj(bash, "file"), "usr/bin/bash"));
    expected.addAll(List.of(obj(sh, "file-xattrs-link"), obj(sh, "file"), "usr/bin/sh"));
    expected.add(obj(etc.meta(), "dirmeta"));
    expected.add("etc");
    expected.add(obj(etc.tree(), "dirtree"));
    expected.addAll(List.of(obj(osRelease, "file-xattrs-link"), obj(osRelease, "file"), "etc/os-release"));
    expected.add("var");
    expected.add(obj(var.tree(), "dirtree"));
    expected.add("var/tmp");

    List<String> actual = new ArrayList<>();
    for (RawTar.Entry e : entries) {
      actual.add(e.path());
    }
    assertEquals(expected, actual);

    assertEquals("./", entries.get(0).name(), "the root entry keeps its ./");
    RawTar.Entry config = entries.get(expectedSkeleton().size() + 1);
    assertEquals("[core]\nrepo_version=1\nmode=bare-split-xattrs\n", config.dataString());
    assertEquals(0644, config.mode());
    RawTar.Entry etcDir = find(entries, "etc");
    assertTrue(etcDir.isDir());
    assertEquals(0750, etcDir.mode());
    assertEquals(5, etcDir.gid());
    RawTar.Entry varTmp = find(entries, "var/tmp");
    assertTrue(varTmp.isDir());
    assertEquals(01777, varTmp.mode());
    assertEquals(0, varTmp.uid());
  }

  @Test
  void everyEntryHasMtimeZeroNoOwnerNamesAndAUniquePath() throws IOException {
    OstreeRepo repo = repo("r");
    List<RawTar.Entry> entries = RawTar.read(export(repo, small(repo)));
    Set<String> seen = new HashSet<>();
    for (RawTar.Entry e : entries) {
      assertEquals(0, e.mtime(), e.name());
      assertEquals("", e.uname(), e.name());
      assertEquals("", e.gname(), e.name());
      assertEquals(0, e.mode() & ~07777, "no file type bits in the mode of " + e.name());
      assertTrue(seen.add(e.path()), "duplicate path " + e.path());
    }
  }

  @Test
  void skeletonAndMetadataAreRootOwned() throws IOException {
    OstreeRepo repo = repo("r");
    Checksum commit = new TestCommit(repo).root(0700, 1000, 1000, Xattrs.EMPTY)
        .file("f", new byte[] {1}, 0600, 1000, 1001, Xattrs.EMPTY).commit();
    List<RawTar.Entry> entries = RawTar.read(export(repo, commit));
    for (RawTar.Entry e : entries) {
      if (e.path().startsWith("sysroot/")) {
        boolean content = e.path().endsWith(".file");
        assertEquals(content ? 1000 : 0, e.uid(), e.name());
        assertEquals(content ? 1001 : 0, e.gid(), e.name());
        assertEquals(e.isDir() ? 0755 : content ? 0600 : 0644, e.mode(), e.name());
      }
    }
    RawTar.Entry root = entries.get(0);
    assertEquals(1000, root.uid());
    assertEquals(0700, root.mode());
    RawTar.Entry link = find(entries, "f");
    assertTrue(link.isHardlink());
    assertEquals(1000, link.uid());
    assertEquals(1001, link.gid());
    assertEquals(0600, link.mode());
  }

  @Test
  void xattrsObjectsAndPaxRecords() throws IOException {
    OstreeRepo repo = repo("r");
    byte[] binary = {0, 1, (byte) 0x80, (byte) 0xff, (byte) 0xc3, 0x28, 0};
    byte[] capability = {1, 0, 0, 2, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    Xattrs x = Xattrs.builder()
        .add("security.selinux", "system_u:object_r:bin_t:s0\0".getBytes(StandardCharsets.UTF_8))
        .add("security.capability", capability)
        .add("user.binary", binary)
        .build();
    Checksum commit = new TestCommit(repo)
        .file("with-xattrs", "x\n".getBytes(StandardCharsets.UTF_8), 0755, 0, 0, x)
        .file("plain", "p\n", 0644)
        .commit();
    List<RawTar.Entry> entries = RawTar.read(export(repo, commit));
    DirTree root = repo.readDirTree(repo.readCommit(commit).rootTree());
    Checksum plain = root.files().get(0).checksum();
    Checksum withXattrs = root.files().get(1).checksum();

    RawTar.Entry link = find(entries, obj(withXattrs, "file-xattrs-link"));
    assertTrue(link.isRegular());
    assertArrayEquals(x.serialize(), link.data(), "the link holds the serialized a(ayay), selinux included");
    RawTar.Entry file = find(entries, obj(withXattrs, "file"));
    assertEquals(Set.of("SCHILY.xattr.security.capability", "SCHILY.xattr.user.binary"), file.pax().keySet());
    assertArrayEquals(binary, file.pax().get("SCHILY.xattr.user.binary"));
    assertArrayEquals(capability, file.pax().get("SCHILY.xattr.security.capability"));
    assertTrue(find(entries, "with-xattrs").pax().isEmpty(), "hard links carry no PAX records");

    RawTar.Entry emptyLink = find(entries, obj(plain, "file-xattrs-link"));
    assertTrue(emptyLink.isRegular(), "objects without xattrs get an (empty) link too");
    assertEquals(0, emptyLink.size());
    assertTrue(find(entries, obj(plain, "file")).pax().isEmpty());

    for (int i = 0; i < entries.size(); i++) {
      String p = entries.get(i).path();
      if (p.endsWith(".file")) {
        String hex = p.substring(0, p.length() - ".file".length());
        assertEquals(hex + ".file-xattrs-link", entries.get(i - 1).path(), "the link right before " + p);
      }
    }
  }

  @Test
  void emptyFilesSymlinksAndDenormalTargets() throws IOException {
    OstreeRepo repo = repo("r");
    Checksum commit = new TestCommit(repo)
        .file("empty", "", 0640)
        .file("empty-too", "", 0640)
        .symlink("denormal", "a//b/./c/")
        .commit();
    List<RawTar.Entry> entries = RawTar.read(export(repo, commit));
    DirTree root = repo.readDirTree(repo.readCommit(commit).rootTree());
    Checksum sym = root.files().get(0).checksum();
    Checksum empty = root.files().get(1).checksum();

    for (String p : List.of("empty", "empty-too")) {
      RawTar.Entry e = find(entries, p);
      assertTrue(e.isRegular(), p + " is an empty regular file of its own, not a hard link");
      assertEquals(0, e.size());
      assertEquals(0640, e.mode());
    }
    assertTrue(find(entries, obj(empty, "file")).isRegular());
    RawTar.Entry symObject = find(entries, obj(sym, "file"));
    assertTrue(symObject.isSymlink());
    assertEquals("a//b/./c/", symObject.linkName(), "the target is written literally");
    assertEquals(0777, symObject.mode());
    RawTar.Entry checkout = find(entries, "denormal");
    assertTrue(checkout.isHardlink(), "a symlink's checkout path is a hard link to the symlink entry");
    assertEquals(obj(sym, "file"), checkout.linkName());
  }

  @Test
  void existingVarTmpAndSysrootAreWrittenOnce() throws IOException {
    OstreeRepo repo = repo("r");
    Checksum commit = new TestCommit(repo)
        .dir("sysroot", 0755)
        .dir("var/tmp", 0700)
        .file("var/tmp/keep", "k\n", 0644)
        .commit();
    List<RawTar.Entry> entries = RawTar.read(export(repo, commit));
    assertEquals(0700, find(entries, "var/tmp").mode(), "the commit's own var/tmp is kept");
    long sysroots = entries.stream().filter(e -> e.path().equals("sysroot")).count();
    assertEquals(1, sysroots);
  }

  @Test
  void commitmetaFollowsTheCommit() throws IOException {
    OstreeRepo repo = repo("r");
    Checksum commit = new TestCommit(repo).file("f", "f\n", 0644)
        .commit(CommitOptions.builder().timestamp(0L).addDetachedMetadataString("sig", "value").build());
    List<RawTar.Entry> entries = RawTar.read(export(repo, commit));
    int i = indexOf(entries, obj(commit, "commit"));
    assertEquals(obj(commit, "commitmeta"), entries.get(i + 1).path());
    assertArrayEquals(repo.readMetadataBytes(commit, ObjectType.COMMIT_META), entries.get(i + 1).data());
  }

  @Test
  void sameCommitGivesIdenticalBytes() throws IOException {
    OstreeRepo a = repo("a");
    OstreeRepo b = OstreeRepo.init(tmp.resolve("b"), RepoMode.ARCHIVE);
    b.config().set("archive", "zlib-level", "1");
    b.saveConfig();
    b = OstreeRepo.open(tmp.resolve("b"));
    Checksum ca = small(a);
    Checksum cb = small(b);
    assertEquals(ca, cb);
    byte[] first = export(a, ca);
    assertArrayEquals(first, export(a, ca), "two exports of one repository");
    assertArrayEquals(first, export(b, cb), "the same commit stored with another compression level");
    assertEquals(0, first.length % 512);
  }

  @Test
  void contentObjectsListSizesAndPathsInTreeOrder() throws IOException {
    OstreeRepo repo = repo("r");
    Checksum commit = new TestCommit(repo)
        .file("z", "shared\n", 0644)
        .file("usr/etc/shared", "shared\n", 0644)
        .file("b/big", "0123456789", 0644)
        .symlink("l", "z")
        .commit();
    Map<Checksum, ContentObjectInfo> objects = new CommitTarExporter(repo, commit).contentObjects();
    assertEquals(3, objects.size());
    DirTree root = repo.readDirTree(repo.readCommit(commit).rootTree());
    Checksum shared = root.files().get(1).checksum();
    assertEquals(List.of("z", "usr/etc/shared").size(), objects.get(shared).paths().size());
    assertEquals(List.of("usr/etc/shared", "z"), objects.get(shared).paths().stream().sorted().toList());
    assertEquals(List.of("z", "usr/etc/shared"), objects.get(shared).paths(), "files of a directory before its subdirectories");
    assertEquals(7, objects.get(shared).size());
    ContentObjectInfo link = objects.get(root.files().get(0).checksum());
    assertEquals(List.of("l"), link.paths());
    assertEquals(0, link.size());
  }

  @Test
  void chunkHoldsObjectsSortedByChecksumEachWithAllItsPaths() throws IOException {
    OstreeRepo repo = repo("r");
    Checksum commit = new TestCommit(repo)
        .file("one", "1\n", 0644)
        .file("two", "2\n", 0644)
        .file("usr/etc/two-again", "2\n", 0644)
        .file("three", "3\n", 0644)
        .commit();
    CommitTarExporter exporter = new CommitTarExporter(repo, commit);
    Set<Checksum> chunk = new LinkedHashSet<>(exporter.contentObjects().keySet());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    exporter.exportChunk(chunk, out);
    List<RawTar.Entry> entries = RawTar.read(out.toByteArray());

    List<String> expected = new ArrayList<>(expectedSkeleton());
    expected.add("sysroot/ostree/repo/config");
    for (Checksum c : new TreeSet<>(chunk)) {
      expected.add(obj(c, "file-xattrs-link"));
      expected.add(obj(c, "file"));
      for (String p : exporter.contentObjects().get(c).paths()) {
        expected.add(p.startsWith("usr/etc/") ? p.substring(4) : p);
      }
    }
    assertEquals(expected, entries.stream().map(RawTar.Entry::path).toList());
  }

  @Test
  void commitLayerHasTheStructureThenVarTmpThenTheRemainder() throws IOException {
    OstreeRepo repo = repo("r");
    Checksum commit = small(repo);
    CommitTarExporter exporter = new CommitTarExporter(repo, commit);
    Checksum bash = null;
    for (ContentObjectInfo i : exporter.contentObjects().values()) {
      if (i.paths().equals(List.of("usr/bin/bash"))) {
        bash = i.checksum();
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    exporter.exportCommitLayer(Set.of(bash), out);
    List<String> paths = RawTar.read(out.toByteArray()).stream().map(RawTar.Entry::path).toList();
    List<String> full = RawTar.read(export(repo, commit)).stream().map(RawTar.Entry::path).toList();

    List<String> structure = new ArrayList<>();
    for (String p : full) {
      boolean content = p.endsWith(".file") || p.endsWith(".file-xattrs-link");
      boolean checkout = !p.startsWith("sysroot/") && exporter.contentObjects().values().stream()
          .anyMatch(i -> i.paths().contains(p.equals("etc/os-release") ? "usr/etc/os-release" : p));
      if (!content && !checkout) {
        structure.add(p);
      }
    }
    assertEquals("var/tmp", structure.get(structure.size() - 1));
    List<String> expected = new ArrayList<>(structure);
    expected.addAll(List.of(obj(bash, "file-xattrs-link"), obj(bash, "file"), "usr/bin/bash"));
    assertEquals(expected, paths);
  }

  @Test
  void objectsOfAnotherCommitAreRefused() throws IOException {
    OstreeRepo repo = repo("r");
    Checksum commit = small(repo);
    Checksum other = new TestCommit(repo).file("other", "other\n", 0644).commit();
    Checksum foreign = new CommitTarExporter(repo, other).contentObjects().keySet().iterator().next();
    CommitTarExporter exporter = new CommitTarExporter(repo, commit);
    assertThrows(IllegalArgumentException.class, () -> exporter.exportChunk(Set.of(foreign), new ByteArrayOutputStream()));
  }

  @Test
  void corruptContentFailsTheExportNamingTheObject() throws IOException {
    OstreeRepo repo = OstreeRepo.init(tmp.resolve("bare"), RepoMode.BARE_USER_ONLY);
    Checksum commit = new TestCommit(repo).file("f", "original content\n", 0644).commit();
    Checksum f = repo.readDirTree(repo.readCommit(commit).rootTree()).files().get(0).checksum();
    Path p = repo.objectPath(f, ObjectType.FILE);
    p.toFile().setWritable(true);
    Files.writeString(p, "tampered content\n");
    CommitTarExporter exporter = new CommitTarExporter(repo, commit);
    CorruptObjectException e = assertThrows(CorruptObjectException.class,
        () -> exporter.exportCommit(new ByteArrayOutputStream()));
    assertTrue(e.getMessage().contains(f.hex()), e.getMessage());
  }

  @Test
  void corruptMetadataFailsBeforeAnythingIsWritten() throws IOException {
    OstreeRepo repo = repo("r");
    Checksum commit = small(repo);
    Checksum rootTree = repo.readCommit(commit).rootTree();
    Path p = repo.objectPath(rootTree, ObjectType.DIR_TREE);
    byte[] b = Files.readAllBytes(p);
    b[0] ^= 1;
    p.toFile().setWritable(true);
    Files.write(p, b);
    CorruptObjectException e = assertThrows(CorruptObjectException.class, () -> new CommitTarExporter(repo, commit));
    assertTrue(e.getMessage().contains(rootTree.hex()), e.getMessage());
    assertFalse(e.getMessage().isBlank());
  }

  private static RawTar.Entry find(List<RawTar.Entry> entries, String path) {
    return entries.get(indexOf(entries, path));
  }

  private static int indexOf(List<RawTar.Entry> entries, String path) {
    for (int i = 0; i < entries.size(); i++) {
      if (entries.get(i).path().equals(path)) {
        return i;
      }
    }
    throw new AssertionError("no entry " + path);
  }
}
