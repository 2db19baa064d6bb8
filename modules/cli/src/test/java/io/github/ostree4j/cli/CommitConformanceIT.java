package io.github.ostree4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ostree4j.cli.SharedCommits.Committed;
import io.github.ostree4j.cli.SharedCommits.Tool;
import io.github.ostree4j.cli.SharedCommits.Variant;
import io.github.ostree4j.testing.OstreeCli;
import io.github.ostree4j.testing.TreeCorpus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Acceptance: {@code ostree4j commit} and {@code ostree commit} given the same tree and the same
 * options produce the same commit checksum (hence byte-identical commit, dirtree, dirmeta and
 * content checksums), in archive and bare-user repositories, for every tree corpus case, the
 * Debian minbase root filesystem, a bootable tree, and GNU tar archives via {@code --tree=tar=}.
 */
class CommitConformanceIT {

  static final List<String> MODES = List.of("archive", "bare-user");

  private static Path work;
  private static Path bigTree;

  @BeforeAll
  static void setUp() {
    OstreeCli.executable();
    work = ItFixtures.newDir("commit-conformance");
  }

  @AfterAll
  static void tearDown() {
    SharedCommits.forget(TreeCorpus.BIG_FILE);
    ItFixtures.deleteQuietly(work);
  }

  static Stream<Arguments> corpusCases() {
    List<Arguments> out = new ArrayList<>();
    for (String name : ItFixtures.smallCases()) {
      for (String mode : MODES) {
        for (Variant v : Variant.values()) {
          out.add(Arguments.of(name, mode, v));
        }
      }
    }
    return out.stream();
  }

  static Stream<Arguments> modesAndVariants() {
    List<Arguments> out = new ArrayList<>();
    for (String mode : MODES) {
      for (Variant v : Variant.values()) {
        out.add(Arguments.of(mode, v));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} in {1}, {2}")
  @MethodSource("corpusCases")
  void corpusTreeGivesTheSameCommitAsOstree(String name, String mode, Variant variant) {
    Path tree = ItFixtures.corpus(name);
    assertSameCommit(mode, name, tree, variant);
  }

  @ParameterizedTest(name = "big-file in {0}, {1}")
  @MethodSource("modesAndVariants")
  void bigFileGivesTheSameCommitAsOstree(String mode, Variant variant) {
    assertSameCommit(mode, TreeCorpus.BIG_FILE, bigTree(), variant);
  }

  @ParameterizedTest(name = "minbase in {0}, {1}")
  @MethodSource("modesAndVariants")
  void debianMinbaseGivesTheSameCommitAsOstree(String mode, Variant variant) {
    Path rootfs = ItFixtures.minbase();
    assertSameCommit(mode, "minbase", rootfs, variant);
  }

  @ParameterizedTest(name = "bootable tree in {0}")
  @ValueSource(strings = {"archive", "bare-user"})
  void bootableCommitGivesTheSameCommitAsOstree(String mode) throws IOException {
    Path tree = bootableTree();
    List<String> opts = new ArrayList<>(SharedCommits.options("bootable", Variant.ROOT_OWNED));
    opts.add("--bootable");
    Committed expected = SharedCommits.commit(Tool.OSTREE, mode, "bootable", Variant.ROOT_OWNED, opts, tree);
    Committed actual = SharedCommits.commit(Tool.OSTREE4J, mode, "bootable", Variant.ROOT_OWNED, opts, tree);
    // The fixture really is bootable for ostree: it recorded the kernel version.
    assertEquals("'5.10.0'", OstreeCli.run("--repo=" + expected.repo(), "show",
        "--print-metadata-key=ostree.linux", expected.checksum()).stdout().strip());
    assertSame(expected, actual);
  }

  @ParameterizedTest(name = "GNU tar of {0} in {1}")
  @MethodSource("tarCases")
  void gnuTarGivesTheSameCommitAsOstree(String name, String mode) {
    Path tree = ItFixtures.corpus(name);
    Path tar = tarOf(name, tree);
    assertSameTarCommit(mode, "tar-" + name, tar);
  }

  static Stream<Arguments> tarCases() {
    List<Arguments> out = new ArrayList<>();
    for (String name : ItFixtures.smallCases()) {
      for (String mode : MODES) {
        out.add(Arguments.of(name, mode));
      }
    }
    return out.stream();
  }

  @Test
  void gnuTarOfDebianMinbaseGivesTheSameCommitAsOstree() {
    Path rootfs = ItFixtures.minbase();
    Path tar = ItFixtures.gnuTar(rootfs, work.resolve("minbase.tar"));
    try {
      assertSameTarCommit("archive", "tar-minbase", tar);
    } finally {
      ItFixtures.deleteQuietly(tar);
    }
  }

  // ---------------------------------------------------------------------------------------------

  private static void assertSameCommit(String mode, String treeKey, Path tree, Variant variant) {
    Committed expected = SharedCommits.commit(Tool.OSTREE, mode, treeKey, tree, variant);
    Committed actual = SharedCommits.commit(Tool.OSTREE4J, mode, treeKey, tree, variant);
    assertSame(expected, actual);
  }

  private static void assertSameTarCommit(String mode, String treeKey, Path tar) {
    List<String> opts = new ArrayList<>(SharedCommits.options(treeKey, Variant.REAL_OWNERS));
    opts.add("--tree=tar=" + tar);
    Committed expected = SharedCommits.commit(Tool.OSTREE, mode, treeKey, Variant.REAL_OWNERS, opts, null);
    Committed actual = SharedCommits.commit(Tool.OSTREE4J, mode, treeKey, Variant.REAL_OWNERS, opts, null);
    assertSame(expected, actual);
  }

  private static void assertSame(Committed expected, Committed actual) {
    if (!expected.checksum().equals(actual.checksum())) {
      throw new AssertionError(Diagnostics.explain(expected.repo(), expected.checksum(),
          actual.repo(), actual.checksum()));
    }
    // The ref moved to the commit, as ostree's did.
    Path ref = actual.repo().resolve("refs/heads").resolve(actual.branch());
    assertTrue(Files.isRegularFile(ref), "ostree4j wrote no ref " + ref);
    try {
      assertEquals(expected.checksum(), Files.readString(ref, StandardCharsets.US_ASCII).strip());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static synchronized Path bigTree() {
    if (bigTree == null) {
      bigTree = TreeCorpus.write(work.resolve("big-file"), TreeCorpus.BIG_FILE);
    }
    return bigTree;
  }

  private static Path tarOf(String name, Path tree) {
    Path tar = work.resolve(name + ".tar");
    if (!Files.exists(tar)) {
      ItFixtures.gnuTar(tree, tar);
    }
    return tar;
  }

  private static synchronized Path bootableTree() throws IOException {
    Path tree = work.resolve("bootable");
    if (Files.isDirectory(tree)) {
      return tree;
    }
    Path modules = Files.createDirectories(tree.resolve("usr/lib/modules/5.10.0"));
    Files.writeString(modules.resolve("vmlinuz"), "not really a kernel\n");
    Files.writeString(modules.resolve("initramfs.img"), "not really an initramfs\n");
    Files.createDirectories(tree.resolve("usr/bin"));
    Files.writeString(tree.resolve("usr/bin/init"), "#!/bin/sh\nexec /bin/sh\n");
    Files.setAttribute(tree.resolve("usr/bin/init"), "unix:mode", 0755);
    Files.createDirectories(tree.resolve("usr/etc"));
    Files.writeString(tree.resolve("usr/etc/os-release"), "ID=test\nVERSION_ID=1\n");
    Files.createSymbolicLink(tree.resolve("bin"), Path.of("usr/bin"));
    return tree;
  }
}
