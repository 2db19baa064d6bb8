package io.github.ostree4j.ostree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ostree4j.ostree.gvariant.Variant;
import io.github.ostree4j.ostree.internal.StaticDeltas;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reachability, depth, dry runs, deleting commits and what must never be deleted. */
class PruneTest {

  @TempDir Path tmp;

  OstreeRepo repo;
  Checksum c1;
  Checksum c2;
  Checksum c3;

  /** main: c1 (f1=1) <- c2 (f1=1, f2=2); c3 (f1=3, f2=2) is unreferenced, with detached metadata. */
  @BeforeEach
  void setUp() throws IOException {
    repo = OstreeRepo.init(tmp.resolve("repo"), RepoMode.ARCHIVE);
    TreeBuilder b = new TreeBuilder(repo).file("f1", "1", 0644);
    c1 = b.commit("main", 1000);
    c2 = b.file("f2", "2", 0644).commit("main", 2000);
    c3 = b.file("f1", "3", 0644).commit("other", 3000);
    repo.writeCommitMeta(c3, Variant.vardict(Map.of("k", Variant.string("v"))));
    repo.refs().delete("other");
  }

  private int count() throws IOException {
    int[] n = {0};
    repo.forEachObject((c, t) -> {
      if (t != ObjectType.COMMIT_META) {
        n[0]++;
      }
    });
    return n[0];
  }

  private void assertRefsIntact() throws IOException {
    for (Checksum c : repo.refs().list().values()) {
      new Checkout(repo).checkout(c, tmp.resolve("co-" + System.nanoTime()),
          CheckoutOptions.builder().userMode(true).build());
    }
    FsckReport r = new Fsck(repo).run();
    assertTrue(r.isClean(), r.problems().toString());
  }

  @Test
  void withoutRefsOnlyEveryCommitIsKept() throws Exception {
    Prune.Result r = new Prune(repo).run();
    assertEquals(10, r.totalObjects());
    assertEquals(0, r.prunedObjects());
    assertTrue(repo.hasObject(c3, ObjectType.COMMIT));
  }

  @Test
  void orphanedTreeIsDeletedWithoutRefsOnly() throws Exception {
    Checksum orphanTree = repo.writeMetadata(ObjectType.DIR_TREE,
        new DirTree(java.util.List.of(new DirTree.FileEntry("zz", RepoFile.root(repo, repo.readCommit(c2))
            .resolve("f2").contentChecksum())), java.util.List.of()).serialize());
    Prune.Result r = new Prune(repo).run();
    assertEquals(1, r.prunedObjects());
    assertEquals(java.util.List.of(orphanTree.hex() + ".dirtree"), r.unreachable());
    assertFalse(repo.hasObject(orphanTree, ObjectType.DIR_TREE));
    assertRefsIntact();
  }

  @Test
  void refsOnlyDeletesUnreferencedCommitAndItsMetadata() throws Exception {
    Checksum f3 = RepoFile.root(repo, repo.readCommit(c3)).resolve("f1").contentChecksum();
    Prune.Result dry = new Prune(repo).refsOnly(true).dryRun(true).run();
    assertEquals(3, dry.prunedObjects());
    assertTrue(repo.hasObject(c3, ObjectType.COMMIT));
    Prune.Result r = new Prune(repo).refsOnly(true).run();
    assertEquals(10, r.totalObjects());
    assertEquals(3, r.prunedObjects());
    assertTrue(r.freedBytes() > 0);
    assertFalse(repo.hasObject(c3, ObjectType.COMMIT));
    assertFalse(repo.hasObject(c3, ObjectType.COMMIT_META));
    assertFalse(repo.hasObject(f3, ObjectType.FILE));
    assertEquals(7, count());
    assertRefsIntact();
  }

  @Test
  void depthZeroKeepsOnlyTheRefCommit() throws Exception {
    Prune.Result r = new Prune(repo).refsOnly(true).depth(0).run();
    assertEquals(5, r.prunedObjects());
    assertFalse(repo.hasObject(c1, ObjectType.COMMIT));
    assertTrue(repo.hasObject(c2, ObjectType.COMMIT));
    assertEquals(5, count());
    assertRefsIntact();
    // a second run finds nothing more
    assertEquals(0, new Prune(repo).refsOnly(true).run().prunedObjects());
  }

  @Test
  void keepYoungerThanStopsAtOlderParents() throws Exception {
    new Prune(repo).keepYoungerThan(1500).run();
    assertFalse(repo.hasObject(c1, ObjectType.COMMIT));
    assertTrue(repo.hasObject(c2, ObjectType.COMMIT));
    assertFalse(repo.hasObject(c3, ObjectType.COMMIT));
    assertRefsIntact();
  }

  @Test
  void refToMissingCommitAbortsBeforeDeleting() throws Exception {
    Files.writeString(repo.path().resolve("refs/heads/bad"), "0".repeat(64) + "\n");
    OstreeException e = assertThrows(OstreeException.class, () -> new Prune(repo).refsOnly(true).run());
    assertTrue(e.getMessage().contains("ref bad points to missing commit"), e.getMessage());
    assertTrue(repo.hasObject(c3, ObjectType.COMMIT));
  }

  @Test
  void missingDirtreeAbortsBeforeDeleting() throws Exception {
    Files.delete(repo.objectPath(repo.readCommit(c2).rootTree(), ObjectType.DIR_TREE));
    OstreeException e = assertThrows(OstreeException.class, () -> new Prune(repo).refsOnly(true).run());
    assertTrue(e.getMessage().contains("dirtree " + repo.readCommit(c2).rootTree()), e.getMessage());
    assertTrue(repo.hasObject(c3, ObjectType.COMMIT));
  }

  @Test
  void deleteCommitRefusesReferencedCommits() throws Exception {
    OstreeException e = assertThrows(OstreeException.class, () -> new Prune(repo).deleteCommit(c2));
    assertEquals("Commit '" + c2 + "' is referenced by 'main'", e.getMessage());
    assertTrue(repo.hasObject(c2, ObjectType.COMMIT));
  }

  @Test
  void deleteCommitWritesTombstoneAndEnablesThem() throws Exception {
    new Prune(repo).deleteCommit(c3);
    assertFalse(repo.hasObject(c3, ObjectType.COMMIT));
    assertFalse(repo.hasObject(c3, ObjectType.COMMIT_META));
    Path tomb = repo.objectPath(c3, ObjectType.COMMIT).resolveSibling(c3.hex().substring(2) + ".tombstone-commit");
    assertTrue(Files.exists(tomb));
    byte[] expected = Variant.vardict(Map.of("commit", Variant.bytes((c3.hex() + "\0").getBytes()))).serialize();
    assertEquals(java.util.HexFormat.of().formatHex(expected), java.util.HexFormat.of().formatHex(Files.readAllBytes(tomb)));
    assertEquals("true", OstreeRepo.open(repo.path()).config().get("core", "tombstone-commits").orElse(""));
    Prune.Result r = new Prune(repo).run();
    assertEquals(2, r.prunedObjects());
    assertTrue(Files.exists(tomb), "tombstones are kept");
    assertRefsIntact();
  }

  @Test
  void staticDeltasToDeletedCommitsAreRemoved() throws Exception {
    String b = StaticDeltas.toModifiedBase64(c3);
    Path delta = repo.path().resolve("deltas").resolve(b.substring(0, 2)).resolve(b.substring(2));
    Files.createDirectories(delta);
    Files.write(delta.resolve("superblock"), new byte[] {1, 2, 3});
    String k = StaticDeltas.toModifiedBase64(c2);
    Path kept = repo.path().resolve("deltas").resolve(k.substring(0, 2)).resolve(k.substring(2));
    Files.createDirectories(kept);
    Files.write(kept.resolve("superblock"), new byte[] {4});
    new Prune(repo).refsOnly(true).run();
    assertFalse(Files.exists(delta));
    assertTrue(Files.exists(kept.resolve("superblock")));
  }

  @Test
  void partialCommitsMayLackObjects() throws Exception {
    Files.delete(repo.objectPath(repo.readCommit(c2).rootTree(), ObjectType.DIR_TREE));
    Files.createDirectories(repo.path().resolve("state"));
    Files.writeString(repo.path().resolve("state/" + c2.hex() + ".commitpartial"), "");
    Prune.Result r = new Prune(repo).refsOnly(true).run();
    assertTrue(repo.hasObject(c2, ObjectType.COMMIT));
    assertTrue(r.prunedObjects() > 0);
  }

  @Test
  void formattedSizes() {
    assertEquals("231 bytes", new Prune.Result(1, 1, 231, java.util.List.of()).freedSizeText());
    assertEquals("1 byte", new Prune.Result(1, 1, 1, java.util.List.of()).freedSizeText());
    assertEquals("1.2\u00a0kB", new Prune.Result(1, 1, 1234, java.util.List.of()).freedSizeText());
    assertEquals("5.0\u00a0MB", new Prune.Result(1, 1, 5_000_000, java.util.List.of()).freedSizeText());
  }
}
