package io.github.ostree4j.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.ostree.Commit;
import io.github.ostree4j.ostree.CommitOptions;
import io.github.ostree4j.ostree.ContentObject;
import io.github.ostree4j.ostree.MutableTree;
import io.github.ostree4j.ostree.OstreeException;
import io.github.ostree4j.ostree.OstreeRepo;
import io.github.ostree4j.ostree.RepoMode;
import io.github.ostree4j.ostree.Xattrs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The path rules of derived layers, one by one, and the shape of layer commits. */
class DerivedLayerImporterTest {

  @TempDir Path tmp;
  OstreeRepo repo;

  @BeforeEach
  void init() throws IOException {
    repo = OstreeRepo.init(tmp.resolve("repo"), RepoMode.ARCHIVE);
  }

  private DerivedLayerResult importLayer(LayerTar tar) throws IOException {
    return new DerivedLayerImporter(repo).importLayer(tar.stream(), CommitOptions.builder().build());
  }

  private Map<String, String> listing(DerivedLayerResult r) throws IOException {
    return TreeListing.of(repo, r.commit());
  }

  @Test
  void absolutePathsBecomeRelative() throws Exception {
    DerivedLayerResult r = importLayer(new LayerTar().file("/usr/bin/tool", "t").dir("/usr/lib", 0755));
    assertEquals(Set.of("usr", "usr/bin", "usr/bin/tool", "usr/lib"), TreeListing.paths(repo, r.commit()));
  }

  @Test
  void doubleSlashesAndDotComponentsAreNormalized() throws Exception {
    DerivedLayerResult r = importLayer(new LayerTar()
        .file("usr//lib/./x", "x").file("./usr/share//./y", "y").dir("./", 0755));
    assertEquals(Set.of("usr", "usr/lib", "usr/lib/x", "usr/share", "usr/share/y"), TreeListing.paths(repo, r.commit()));
  }

  @Test
  void dotDotIsAnErrorNamingTheEntry() throws Exception {
    InvalidLayerException e = assertThrows(InvalidLayerException.class,
        () -> importLayer(new LayerTar().file("usr/share/ok", "ok").file("usr/../../etc/shadow", "evil")));
    assertTrue(e.getMessage().contains("'usr/../../etc/shadow'"), e.getMessage());
    assertTrue(e.getMessage().contains(".."), e.getMessage());
    assertTrue(repo.refs().list().isEmpty());
  }

  @Test
  void etcMovesToUsrEtcWithItsMetadata() throws Exception {
    DerivedLayerResult r = importLayer(new LayerTar()
        .dir("etc", 0750).file("etc/passwd", "root:x:0:0\n").file("/etc/ssh/sshd_config", "Port 22\n", 0600, 0, 0));
    Map<String, String> l = listing(r);
    assertEquals("d 750 0:0", l.get("usr/etc"));
    assertEquals("f 644 0:0 root:x:0:0\n", l.get("usr/etc/passwd"));
    assertEquals("f 600 0:0 Port 22\n", l.get("usr/etc/ssh/sshd_config"));
    assertFalse(l.containsKey("etc"));
  }

  @Test
  void hardlinkTargetsInEtcAreRemappedToo() throws Exception {
    DerivedLayerResult r = importLayer(new LayerTar()
        .file("etc/a", "shared").hardlink("etc/b", "etc/a").hardlink("usr/c", "/etc/a"));
    Commit c = repo.readCommit(r.commit());
    MutableTree root = MutableTree.fromRepo(repo, c.rootTree(), c.rootMeta());
    Checksum a = root.getDir("usr").getDir("etc").getFile("a");
    assertEquals(a, root.getDir("usr").getDir("etc").getFile("b"));
    assertEquals(a, root.getDir("usr").getFile("c"));
    assertEquals("f 644 0:0 shared", TreeListing.describe(repo, a));
  }

  @Test
  void varIsKept() throws Exception {
    DerivedLayerResult r = importLayer(new LayerTar().dir("var/lib", 0755).file("var/lib/state", "s"));
    assertEquals(Set.of("var", "var/lib", "var/lib/state"), TreeListing.paths(repo, r.commit()));
    assertEquals(0, r.filteredTotal());
  }

  @Test
  void runTmpProcSysDevKeepTheDirectoryAndDropItsChildren() throws Exception {
    DerivedLayerResult r = importLayer(new LayerTar()
        .dir("run", 0755).file("run/secret", "s").dir("run/lock", 0755)
        .dir("tmp", 01777).file("tmp/scratch", "x")
        .dir("proc", 0555).dir("sys", 0555)
        .dir("dev", 0755).special("dev/null", TarConstants.LF_CHR).special("dev/fifo", TarConstants.LF_FIFO)
        .file("usr/bin/kept", "k"));
    Map<String, String> l = listing(r);
    assertEquals(Set.of("dev", "proc", "run", "sys", "tmp", "usr", "usr/bin", "usr/bin/kept"),
        TreeListing.paths(repo, r.commit()));
    assertEquals("d 1777 0:0", l.get("tmp"));
    assertEquals(Map.of("run", 2L, "tmp", 1L, "dev", 2L), r.filtered());
    assertEquals(5, r.filteredTotal());
  }

  @Test
  void otherTopLevelDirectoriesAreDroppedAndCounted() throws Exception {
    LayerTar tar = new LayerTar()
        .dir("opt", 0755).file("opt/app/bin", "b").file("boot/vmlinuz", "k").symlink("bin", "usr/bin")
        .file("usr/lib/x", "x");
    DerivedLayerResult r = importLayer(tar);
    assertEquals(Set.of("usr", "usr/lib", "usr/lib/x"), TreeListing.paths(repo, r.commit()));
    assertEquals(Map.of("opt", 2L, "boot", 1L, "bin", 1L), r.filtered());
  }

  @Test
  void allowNonUsrKeepsOtherTopLevelDirectories() throws Exception {
    LayerTar tar = new LayerTar()
        .dir("opt", 0755).file("opt/app/bin", "b").file("boot/vmlinuz", "k").symlink("bin", "usr/bin")
        .file("tmp/x", "dropped anyway").file("etc/motd", "hi");
    DerivedLayerResult r = new DerivedLayerImporter(repo).allowNonUsr(true)
        .importLayer(tar.stream(), CommitOptions.builder().build());
    assertEquals(Set.of("bin", "boot", "boot/vmlinuz", "opt", "opt/app", "opt/app/bin", "usr", "usr/etc", "usr/etc/motd"),
        TreeListing.paths(repo, r.commit()));
    assertEquals(Map.of("tmp", 1L), r.filtered());
  }

  @Test
  void hardlinkToADroppedPathIsAnError() throws Exception {
    InvalidLayerException e = assertThrows(InvalidLayerException.class,
        () -> importLayer(new LayerTar().file("opt/real", "r").hardlink("usr/bin/link", "opt/real")));
    assertTrue(e.getMessage().contains("'usr/bin/link'"), e.getMessage());
    assertTrue(e.getMessage().contains("opt/real"), e.getMessage());
  }

  @Test
  void hardlinkIntoAnEmptiedDirectoryIsAnError() throws Exception {
    InvalidLayerException e = assertThrows(InvalidLayerException.class,
        () -> importLayer(new LayerTar().file("tmp/real", "r").hardlink("usr/bin/link", "tmp/real")));
    assertTrue(e.getMessage().contains("'usr/bin/link'"), e.getMessage());
  }

  @Test
  void hardlinkToSomethingNotInTheLayerIsAnError() throws Exception {
    OstreeException e = assertThrows(OstreeException.class,
        () -> importLayer(new LayerTar().file("usr/a", "a").hardlink("usr/b", "usr/not-there")));
    assertTrue(e.getMessage().contains("'usr/b'"), e.getMessage());
    assertTrue(e.getMessage().contains("usr/not-there"), e.getMessage());
  }

  @Test
  void hardlinkWithDotDotIsAnError() throws Exception {
    InvalidLayerException e = assertThrows(InvalidLayerException.class,
        () -> importLayer(new LayerTar().file("usr/a", "a").hardlink("usr/b", "usr/../../a")));
    assertTrue(e.getMessage().contains("'usr/b'"), e.getMessage());
  }

  @Test
  void absoluteSymlinksAreData() throws Exception {
    DerivedLayerResult r = importLayer(new LayerTar().symlink("usr/lib/abs", "/etc/../../../outside"));
    assertEquals("l -> /etc/../../../outside", listing(r).get("usr/lib/abs"));
  }

  @Test
  void deviceNodesAndFifosOutsideEmptiedDirectoriesAreErrors() throws Exception {
    for (byte type : new byte[] {TarConstants.LF_CHR, TarConstants.LF_BLK, TarConstants.LF_FIFO}) {
      OstreeException e = assertThrows(OstreeException.class,
          () -> importLayer(new LayerTar().special("usr/lib/node", type)));
      assertTrue(e.getMessage().contains("'usr/lib/node'"), e.getMessage());
      assertTrue(e.getMessage().contains("unsupported file type"), e.getMessage());
    }
  }

  @Test
  void namesThatAreNotUtf8AreErrors() throws Exception {
    OstreeException e = assertThrows(OstreeException.class,
        () -> importLayer(new LayerTar("ISO-8859-1").file("usr/caf\u00e9", "x")));
    assertTrue(e.getMessage().contains("not valid UTF-8"), e.getMessage());
  }

  @Test
  void whiteoutsAreStoredLiterally() throws Exception {
    DerivedLayerResult r = importLayer(new LayerTar()
        .file("usr/share/.wh.doc", "").file("usr/lib/.wh..wh..opq", "").file("etc/.wh.hostname", ""));
    assertEquals(Set.of("usr", "usr/etc", "usr/etc/.wh.hostname", "usr/lib", "usr/lib/.wh..wh..opq",
        "usr/share", "usr/share/.wh.doc"), TreeListing.paths(repo, r.commit()));
  }

  @Test
  void ownershipModesAndPaxXattrsAreKept() throws Exception {
    DerivedLayerResult r = importLayer(new LayerTar()
        .file("usr/bin/suid", "s", 04755, 1000, 1001)
        .fileWithXattr("usr/bin/cap", "c", "security.capability", "\u0001\u0002"));
    Map<String, String> l = listing(r);
    assertEquals("f 4755 1000:1001 s", l.get("usr/bin/suid"));
    Commit c = repo.readCommit(r.commit());
    Checksum cap = MutableTree.fromRepo(repo, c.rootTree(), c.rootMeta()).getDir("usr").getDir("bin").getFile("cap");
    try (ContentObject o = repo.openContent(cap)) {
      Xattrs x = o.header().xattrs();
      assertEquals(Xattrs.builder().add("security.capability", new byte[] {1, 2}).build(), x);
    }
  }

  @Test
  void modifiedRepositoryObjectMovesToItsHardlinks() throws Exception {
    // A build changed an ostree object in place: the repository copy has a real mtime and the
    // checkout paths are hard links to it (ostree-rs-ext#405).
    String object = "sysroot/ostree/repo/objects/ab/" + "c".repeat(62) + ".file";
    DerivedLayerResult r = importLayer(new LayerTar()
        .file(object, "changed", 0755, 0, 0)
        .hardlink("usr/bin/tool", object)
        .hardlink("usr/bin/tool-again", object));
    Map<String, String> l = listing(r);
    assertEquals("f 755 0:0 changed", l.get("usr/bin/tool"));
    assertEquals("f 755 0:0 changed", l.get("usr/bin/tool-again"));
    assertFalse(l.containsKey("sysroot"));
    assertEquals(0, r.filteredTotal());
  }

  @Test
  void unmodifiedRepositoryObjectsAreDroppedAndLinksToThemAreErrors() throws Exception {
    String object = "sysroot/ostree/repo/objects/ab/" + "c".repeat(62) + ".file";
    DerivedLayerResult r = importLayer(new LayerTar().mtime(0).file(object, "as exported"));
    assertEquals(Map.of("sysroot", 1L), r.filtered());
    InvalidLayerException e = assertThrows(InvalidLayerException.class,
        () -> importLayer(new LayerTar().mtime(0).file(object, "as exported").hardlink("usr/bin/tool", object)));
    assertTrue(e.getMessage().contains("'usr/bin/tool'"), e.getMessage());
  }

  @Test
  void layerCommitIsLikeOstreeCommitNoBindingsWithImporterVersion() throws Exception {
    String ref = ContainerRefs.layerRef(io.github.ostree4j.oci.Digest.sha256("layer".getBytes(StandardCharsets.UTF_8)));
    CommitOptions o = CommitOptions.builder().branch(ref).build();
    DerivedLayerResult first = new DerivedLayerImporter(repo).importLayer(new LayerTar().file("usr/x", "x").stream(), o);
    Commit c = repo.readCommit(first.commit());
    assertEquals(0, c.timestamp());
    assertTrue(c.parent().isEmpty());
    assertEquals(Set.of("ostree.importer.version"), c.metadata().keySet());
    assertEquals(first.commit(), repo.resolveRev(ref));
    // the same layer again: the same commit, still without a parent
    DerivedLayerResult again = new DerivedLayerImporter(repo).importLayer(new LayerTar().file("usr/x", "x").stream(), o);
    assertEquals(first.commit(), again.commit());
  }

  @Test
  void emptyLayerGivesAnEmptyRootOwnedTree() throws Exception {
    DerivedLayerResult r = importLayer(new LayerTar());
    assertEquals(Map.of(".", "d 755 0:0"), listing(r));
  }
}
