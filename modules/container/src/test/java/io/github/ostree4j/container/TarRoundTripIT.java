package io.github.ostree4j.container;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.ostree.OstreeRepo;
import io.github.ostree4j.ostree.RepoMode;
import io.github.ostree4j.testing.OstreeCli;
import io.github.ostree4j.testing.Peers;
import io.github.ostree4j.testing.TreeCorpus;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Export then import into a fresh repository gives the identical commit checksum, and the real
 * {@code ostree fsck} finds the target clean: for every tree corpus case (committed by the real
 * {@code ostree commit}) and for the Debian minbase tree (committed by our committer), into
 * archive and bare-user repositories (and, as root, the small corpus cases into bare ones).
 */
class TarRoundTripIT {

  static final List<RepoMode> MODES = List.of(RepoMode.ARCHIVE, RepoMode.BARE_USER);

  @BeforeAll
  static void peers() {
    OstreeCli.executable();
  }

  @AfterAll
  static void freeDisk() {
    SourceCommits.forgetExport("minbase", SourceCommits.minbase());
  }

  static Stream<Arguments> corpusCases() {
    List<Arguments> out = new ArrayList<>();
    for (String name : TreeCorpus.names()) {
      for (RepoMode mode : MODES) {
        out.add(Arguments.of(name, mode));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} into {1}")
  @MethodSource("corpusCases")
  void corpusTreeSurvivesExportAndImport(String name, RepoMode mode) throws IOException {
    SourceCommits.Source source = SourceCommits.ostree(name, ItWork.corpus(name), "bare-user");
    Path tar = SourceCommits.exported(name, source);
    assertRoundTrip(source, tar, mode);
    if (name.equals(TreeCorpus.BIG_FILE) && mode == MODES.get(MODES.size() - 1)) {
      SourceCommits.forgetExport(name, source);
    }
  }

  @ParameterizedTest(name = "{0} into bare")
  @MethodSource("bareCases")
  void corpusTreeSurvivesExportAndImportIntoABareRepository(String name) throws IOException {
    Peers.requireRoot("a bare repository stores real owners");
    SourceCommits.Source source = SourceCommits.ostree(name, ItWork.corpus(name), "bare-user");
    assertRoundTrip(source, SourceCommits.exported(name, source), RepoMode.BARE);
  }

  static Stream<String> bareCases() {
    return TreeCorpus.names(false).stream();
  }

  @ParameterizedTest(name = "minbase into {0}")
  @ValueSource(strings = {"ARCHIVE", "BARE_USER"})
  void debianMinbaseSurvivesExportAndImport(RepoMode mode) throws IOException {
    SourceCommits.Source source = SourceCommits.minbase();
    Path tar = SourceCommits.exported("minbase", source);
    assertRoundTrip(source, tar, mode);
  }

  private static void assertRoundTrip(SourceCommits.Source source, Path tar, RepoMode mode) throws IOException {
    Path target = ItWork.newDir("target").resolve("repo");
    OstreeRepo repo = OstreeRepo.init(target, mode);
    Checksum imported;
    try (InputStream in = new BufferedInputStream(Files.newInputStream(tar), 1 << 16)) {
      imported = new CommitTarImporter(repo).importCommit(in);
    }
    assertEquals(source.commit(), imported);
    ItWork.assertCleanRepo(target);
    // The real ostree reads the same tree from both repositories.
    String expected = OstreeCli.run("--repo=" + source.repo(), "ls", "-R", "-X", "-C", source.commit().hex()).stdout();
    String actual = OstreeCli.run("--repo=" + target, "ls", "-R", "-X", "-C", imported.hex()).stdout();
    assertEquals(expected, actual);
    ItWork.deleteQuietly(target.getParent());
  }
}
