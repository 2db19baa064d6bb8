package io.github.ostree4j.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ostree4j.oci.Compression;
import io.github.ostree4j.oci.Digest;
import io.github.ostree4j.ostree.CommitOptions;
import io.github.ostree4j.ostree.OstreeRepo;
import io.github.ostree4j.ostree.RepoMode;
import io.github.ostree4j.testing.Cmd;
import io.github.ostree4j.testing.OstreeCli;
import io.github.ostree4j.testing.Peers;
import io.github.ostree4j.testing.SharedTestData;
import io.github.ostree4j.testing.TreeComparator;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upstream fixture {@code hlinks.tar.gz}, a real derived layer (75 directories, 90 symlinks,
 * a regular file and a hard link to it, all owned by uid 1000), imports as a layer commit whose
 * checkout by the real {@code ostree} equals what GNU tar extracts from it.
 */
class HlinksFixtureIT {

  static final String FIXTURE = "ostree-ext-fixtures/hlinks.tar.gz";
  static final String PYC = "usr/lib/python3.10/site-packages/setuptools/_distutils/command/__pycache__/";

  @TempDir Path tmp;

  @Test
  void importedLayerChecksOutLikeGnuTarExtractsIt() throws Exception {
    OstreeCli.executable();
    Peers.require("tar");
    Path fixture = SharedTestData.require(FIXTURE);

    Path repoDir = tmp.resolve("repo");
    OstreeRepo repo = OstreeRepo.init(repoDir, RepoMode.BARE_USER);
    String ref = ContainerRefs.layerRef(Digest.sha256(Files.readAllBytes(fixture)));
    DerivedLayerResult r;
    try (InputStream in = Compression.decompressDetected(Files.newInputStream(fixture))) {
      r = new DerivedLayerImporter(repo).importLayer(in, CommitOptions.builder().branch(ref).build());
    }
    assertEquals(Map.of(), r.filtered(), "everything in the fixture is under usr/");

    OstreeCli.run("--repo=" + repoDir, "fsck");
    assertEquals(r.commit().hex(), OstreeCli.run("--repo=" + repoDir, "rev-parse", ref).stdout().strip());

    Path checkout = tmp.resolve("checkout");
    OstreeCli.run("--repo=" + repoDir, "checkout", "-U", ref, checkout.toString());
    Path expected = tmp.resolve("expected");
    Files.createDirectories(expected);
    Cmd.of("tar", "-x", "-z", "--numeric-owner", "-f", fixture.toString(), "-C", expected.toString())
        .run().checkSuccess();

    // -U checks out as the calling user (ownership is checked below through ostree ls), and the
    // hardlinked objects of a bare-user repo carry user.ostreemeta (the fixture has no xattrs)
    TreeComparator.assertEqualTrees(expected, checkout,
        TreeComparator.Options.defaults().ignoreOwners().ignoreXattrs().ignoreRootMetadata().compareHardlinks());

    // counts from the fixture's description
    Map<String, Integer> kinds = new HashMap<>();
    try (Stream<Path> s = Files.walk(checkout)) {
      s.filter(p -> !p.equals(checkout)).forEach(p -> kinds.merge(
          Files.isSymbolicLink(p) ? "symlink" : Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "dir" : "file",
          1, Integer::sum));
    }
    assertEquals(Map.of("dir", 75, "symlink", 90, "file", 2), kinds);

    // ostree itself sees uid/gid 1000 everywhere below the root, and one object for the pair
    List<String> lines = OstreeCli.run("--repo=" + repoDir, "ls", "-R", "-C", ref).stdoutLines();
    Map<String, String> checksums = new HashMap<>();
    int entries = 0;
    for (String line : lines) {
      String[] f = line.trim().split("\\s+");
      String path = f[f.length - 1].startsWith("->") ? f[f.length - 3] : f[f.length - 1];
      if (path.equals("/")) {
        continue;
      }
      entries++;
      assertEquals("1000", f[1], line);
      assertEquals("1000", f[2], line);
      if (f[0].startsWith("-")) {
        checksums.put(path, f[4]);
      }
    }
    assertEquals(167, entries);
    assertEquals(2, checksums.size(), checksums.toString());
    assertEquals(checksums.get("/" + PYC + "register.cpython-310.opt-1.pyc"),
        checksums.get("/" + PYC + "register.cpython-310.pyc"));
    assertTrue(checksums.get("/" + PYC + "register.cpython-310.pyc").matches("[0-9a-f]{64}"));
  }
}
