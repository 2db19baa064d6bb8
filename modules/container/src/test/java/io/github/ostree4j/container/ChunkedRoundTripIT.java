package io.github.ostree4j.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.ostree.OstreeException;
import io.github.ostree4j.ostree.OstreeRepo;
import io.github.ostree4j.ostree.RepoMode;
import io.github.ostree4j.testing.OstreeCli;
import io.github.ostree4j.testing.TreeCorpus;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A commit split as a chunked image: component layers holding a partition of the content
 * objects, and the commit layer with the rest. Importing the components (object-set mode) and
 * then the commit layer (commit mode) into a fresh repository gives the identical commit, which
 * the real {@code ostree fsck} finds clean; each component is recorded by a synthetic commit whose
 * files, as the real {@code ostree ls} lists them, are named by the object checksums.
 */
class ChunkedRoundTripIT {

  private static final int CHUNKS = 3;

  @BeforeAll
  static void peers() {
    OstreeCli.executable();
  }

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (String name : List.of(TreeCorpus.VECTORS, "hardlinks", "names", "symlinks", "xattrs", "empty", "minbase")) {
      for (RepoMode mode : List.of(RepoMode.ARCHIVE, RepoMode.BARE_USER)) {
        out.add(Arguments.of(name, mode));
      }
    }
    return out.stream();
  }

  /** The exported layers of one commit. */
  private record Layers(List<Path> chunks, List<Set<Checksum>> chunkObjects, Path commitLayer) {}

  @ParameterizedTest(name = "{0} into {1}")
  @MethodSource("cases")
  void componentsThenCommitLayerGiveTheSameCommit(String name, RepoMode mode) throws IOException {
    SourceCommits.Source source = source(name);
    Path work = ItWork.newDir("chunked-" + name);
    Layers layers = export(source, work);

    Path target = work.resolve("repo");
    OstreeRepo repo = OstreeRepo.init(target, mode);
    CommitTarImporter importer = new CommitTarImporter(repo);
    for (int i = 0; i < CHUNKS; i++) {
      Checksum synthetic;
      try (InputStream in = open(layers.chunks().get(i))) {
        synthetic = importer.importObjectSet(in);
      }
      assertEquals(layers.chunkObjects().get(i), namesListedByOstree(target, synthetic));
    }
    Checksum imported;
    try (InputStream in = open(layers.commitLayer())) {
      imported = importer.importCommit(in);
    }
    assertEquals(source.commit(), imported);
    assertFalse(Files.exists(target.resolve("state/" + imported.hex() + ".commitpartial")));
    ItWork.assertCleanRepo(target);
    ItWork.deleteQuietly(work);
  }

  @Test
  void commitLayerFirstStaysPartialUntilTheComponentsArrive() throws IOException {
    SourceCommits.Source source = source("hardlinks");
    Path work = ItWork.newDir("chunked-order");
    Layers layers = export(source, work);
    Path target = work.resolve("repo");
    CommitTarImporter importer = new CommitTarImporter(OstreeRepo.init(target, RepoMode.ARCHIVE));
    Path marker = target.resolve("state/" + source.commit().hex() + ".commitpartial");

    OstreeException e;
    try (InputStream in = open(layers.commitLayer())) {
      e = assertThrows(OstreeException.class, () -> importer.importCommit(in));
    }
    assertTrue(e.getMessage().contains("is missing"), e.getMessage());
    assertTrue(Files.exists(marker));
    ItWork.assertCleanRepo(target);
    String fsck = OstreeCli.run("--repo=" + target, "fsck").stdout();
    assertTrue(fsck.contains("1 partial commits not verified"), fsck);

    for (Path chunk : layers.chunks()) {
      try (InputStream in = open(chunk)) {
        importer.importObjectSet(in);
      }
    }
    try (InputStream in = open(layers.commitLayer())) {
      assertEquals(source.commit(), importer.importCommit(in));
    }
    assertFalse(Files.exists(marker));
    ItWork.assertCleanRepo(target);
    ItWork.deleteQuietly(work);
  }

  private static SourceCommits.Source source(String name) {
    return name.equals("minbase") ? SourceCommits.minbase()
        : SourceCommits.ostree(name, ItWork.corpus(name), "bare-user");
  }

  /** Chunk i holds the objects whose position in tree order is i modulo 4; the rest (3) stays in layer 0. */
  private static Layers export(SourceCommits.Source source, Path work) throws IOException {
    CommitTarExporter exporter = new CommitTarExporter(source.open(), source.commit());
    List<Set<Checksum>> parts = new ArrayList<>();
    for (int i = 0; i <= CHUNKS; i++) {
      parts.add(new LinkedHashSet<>());
    }
    int n = 0;
    for (Checksum c : exporter.contentObjects().keySet()) {
      parts.get(n++ % (CHUNKS + 1)).add(c);
    }
    List<Path> chunks = new ArrayList<>();
    for (int i = 0; i < CHUNKS; i++) {
      Path p = work.resolve("chunk-" + i + ".tar");
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(p), 1 << 16)) {
        exporter.exportChunk(parts.get(i), out);
      }
      chunks.add(p);
    }
    Path layer0 = work.resolve("commit-layer.tar");
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(layer0), 1 << 16)) {
      exporter.exportCommitLayer(parts.get(CHUNKS), out);
    }
    List<Set<Checksum>> sorted = new ArrayList<>();
    for (int i = 0; i < CHUNKS; i++) {
      sorted.add(new TreeSet<>(parts.get(i)));
    }
    return new Layers(chunks, sorted, layer0);
  }

  private static Set<Checksum> namesListedByOstree(Path repo, Checksum synthetic) {
    Set<Checksum> out = new TreeSet<>();
    for (String line : OstreeCli.run("--repo=" + repo, "ls", synthetic.hex()).stdoutLines()) {
      int arrow = line.indexOf(" -> ");
      String head = arrow >= 0 ? line.substring(0, arrow) : line;
      String path = head.substring(head.lastIndexOf(' ') + 1);
      if (!path.equals("/")) {
        assertTrue(line.startsWith("-") || line.startsWith("l"), line);
        out.add(Checksum.parse(path.substring(1)));
      }
    }
    return out;
  }

  private static InputStream open(Path p) throws IOException {
    return new BufferedInputStream(Files.newInputStream(p), 1 << 16);
  }
}
