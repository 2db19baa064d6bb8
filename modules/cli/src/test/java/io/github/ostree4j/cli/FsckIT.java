package io.github.ostree4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.ostree.ObjectType;
import io.github.ostree4j.ostree.OstreeRepo;
import io.github.ostree4j.ostree.RepoFile;
import io.github.ostree4j.testing.CmdResult;
import io.github.ostree4j.testing.OstreeCli;
import io.github.ostree4j.testing.Peers;
import io.github.ostree4j.testing.TreeCorpus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A repository written by ostree4j passes both {@code ostree fsck} and {@code ostree4j fsck};
 * corruption made here is found by ours, naming the object, including a wrong size field in an
 * archive object, which {@code ostree fsck} 2022.7 does not notice.
 */
class FsckIT {

  @TempDir Path tmp;

  private Path repoWith(String mode, String corpus) {
    Path repo = tmp.resolve("repo");
    OstreeCli.init(repo, mode);
    Path tree = TreeCorpus.write(tmp.resolve("tree-" + corpus), corpus);
    Cli.run("commit", "--repo=" + repo, "-b", "t", tree.toString()).ok();
    return repo;
  }

  @ParameterizedTest
  @ValueSource(strings = {"archive", "bare-user", "bare"})
  void cleanRepositoryPassesBoth(String mode) {
    Peers.require("ostree");
    if (mode.equals("bare")) {
      Peers.requireRoot("bare repositories need root");
    }
    Path repo = repoWith(mode, "hardlinks");
    Cli.run("commit", "--repo=" + repo, "-b", "t", TreeCorpus.write(tmp.resolve("t2"), "special-modes").toString()).ok();
    OstreeCli.run("fsck", "--repo=" + repo);
    Cli.Result r = Cli.run("fsck", "--repo=" + repo).ok();
    assertEquals("object fsck of 2 commits completed successfully - no errors found.", r.lastLine());
    assertTrue(r.stdout().startsWith("Validating refs...\n"), r.stdout());
  }

  @Test
  void repositoryWrittenByOstreePassesOurs() {
    Peers.require("ostree");
    Path repo = tmp.resolve("repo");
    OstreeCli.init(repo, "archive");
    OstreeCli.commit(repo, java.util.List.of("-b", "t"), TreeCorpus.write(tmp.resolve("tree"), "names"));
    Cli.run("fsck", "--repo=" + repo).ok();
  }

  private Checksum fileObject(Path repo, String path) throws Exception {
    OstreeRepo r = OstreeRepo.open(repo);
    return RepoFile.root(r, r.readCommit(r.resolveRev("t"))).resolve(path).contentChecksum();
  }

  private static void assertOursFinds(Path repo, String fragment) {
    Cli.Result r = Cli.run("fsck", "--repo=" + repo);
    assertEquals(1, r.exitCode(), r.stdout() + r.stderr());
    assertTrue(r.stderr().contains(fragment), "expected '" + fragment + "' in:\n" + r.stderr());
    assertTrue(r.stderr().contains("error: fsck found "), r.stderr());
  }

  @Test
  void flippedByteIsFoundByBoth() throws Exception {
    Peers.require("ostree");
    Path repo = repoWith("archive", "vectors");
    Checksum c = fileObject(repo, "run.sh");
    Path p = OstreeRepo.open(repo).objectPath(c, ObjectType.FILE);
    byte[] b = Files.readAllBytes(p);
    b[b.length - 4] ^= 0x40;
    Files.write(p, b);
    assertOursFinds(repo, "content object " + c + ".filez");
    assertEquals(1, OstreeCli.tryRun("fsck", "--repo=" + repo).exitCode());
  }

  @Test
  void truncatedObjectIsFound() throws Exception {
    Peers.require("ostree");
    Path repo = repoWith("archive", "vectors");
    Checksum c = fileObject(repo, "run.sh");
    Path p = OstreeRepo.open(repo).objectPath(c, ObjectType.FILE);
    byte[] b = Files.readAllBytes(p);
    Files.write(p, Arrays.copyOf(b, b.length - 5));
    assertOursFinds(repo, "content object " + c + ".filez: compressed payload is truncated");
  }

  @Test
  void wrongSizeFieldIsFoundByOursOnly() throws Exception {
    Peers.require("ostree");
    Path repo = repoWith("archive", "vectors");
    Checksum c = fileObject(repo, "hello.txt");
    Path p = OstreeRepo.open(repo).objectPath(c, ObjectType.FILE);
    byte[] b = Files.readAllBytes(p);
    b[15] = 7;
    Files.write(p, b);
    assertOursFinds(repo, "content object " + c + ".filez: header declares 7 bytes but payload has 6");
    CmdResult theirs = OstreeCli.tryRun("fsck", "--repo=" + repo);
    System.out.println("ostree fsck on a wrong size field: exit " + theirs.exitCode());
  }

  @Test
  void missingDirmetaAndBadRefAreFound() throws Exception {
    Peers.require("ostree");
    Path repo = repoWith("bare-user", "special-modes");
    OstreeRepo r = OstreeRepo.open(repo);
    RepoFile root = RepoFile.root(r, r.readCommit(r.resolveRev("t")));
    RepoFile dir = root.children().stream().filter(RepoFile::isDirectory).findFirst().orElseThrow();
    Checksum meta = dir.metaChecksum();
    Files.delete(r.objectPath(meta, ObjectType.DIR_META));
    Files.writeString(repo.resolve("refs/heads/dangling"), "1".repeat(64) + "\n");
    Cli.Result res = Cli.run("fsck", "--repo=" + repo);
    assertEquals(1, res.exitCode());
    assertTrue(res.stderr().contains("dirmeta " + meta + " is missing"), res.stderr());
    assertTrue(res.stderr().contains("ref dangling points to missing commit " + "1".repeat(64)), res.stderr());
    assertEquals(1, OstreeCli.tryRun("fsck", "--repo=" + repo).exitCode());
  }

  @Test
  void deleteRemovesCorruptObjects() throws Exception {
    Peers.require("ostree");
    Path repo = repoWith("archive", "vectors");
    Checksum c = fileObject(repo, "hello.txt");
    Path p = OstreeRepo.open(repo).objectPath(c, ObjectType.FILE);
    Files.writeString(p, "junk");
    Cli.Result r = Cli.run("fsck", "--repo=" + repo, "--delete");
    assertEquals(1, r.exitCode());
    assertTrue(!Files.exists(p));
    assertTrue(r.stderr().contains("Deleted corrupted object " + c.hex() + ".file"), r.stderr());
    // like ostree, the commit is now partial "from fsck-detected corruption"
    CmdResult theirs = OstreeCli.tryRun("fsck", "--repo=" + repo);
    assertEquals(1, theirs.exitCode());
    assertTrue(theirs.stderr().contains("partial commits from fsck-detected corruption"), theirs.stderr());
  }
}
