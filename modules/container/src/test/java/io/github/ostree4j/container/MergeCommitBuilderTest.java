package io.github.ostree4j.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ostree4j.oci.Digest;
import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.ostree.Commit;
import io.github.ostree4j.ostree.CommitOptions;
import io.github.ostree4j.ostree.Committer;
import io.github.ostree4j.ostree.OstreeRepo;
import io.github.ostree4j.ostree.RepoMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Layer semantics of the merge (whiteouts, opaque directories, replacements) and the merge commit. */
class MergeCommitBuilderTest {

  static final byte[] MANIFEST = ("{\n  \"schemaVersion\": 2,\n  \"mediaType\": \"application/vnd.oci.image.manifest.v1+json\",\n"
      + "  \"layers\": [],\n  \"config\": {\"size\": 2, \"digest\": \"sha256:" + "0".repeat(64) + "\"}\n}\n")
      .getBytes(StandardCharsets.UTF_8);
  static final byte[] CONFIG = "{\"os\": \"linux\", \"architecture\": \"amd64\", \"config\": {\"Labels\": {\"b\": \"2\", \"a\": \"1\"}}}"
      .getBytes(StandardCharsets.UTF_8);

  @TempDir Path tmp;
  OstreeRepo repo;

  @BeforeEach
  void init() throws IOException {
    repo = OstreeRepo.init(tmp.resolve("repo"), RepoMode.ARCHIVE);
  }

  private Checksum base() throws IOException {
    LayerTar t = new LayerTar()
        .dir("./", 0755)
        .file("usr/bin/a", "a")
        .file("usr/share/doc/readme", "r").file("usr/share/doc/sub/x", "x")
        .file("usr/share/gone", "g")
        .file("usr/lib/opq/old1", "o1").file("usr/lib/opq/olddir/y", "y")
        .file("usr/lib/dir2file/z", "z")
        .file("usr/lib/file2dir", "f")
        .dir("usr/share/meta", 0700).dir("usr/share/meta2", 0700)
        .file("usr/etc/hostname", "").file("usr/etc/resolv.conf", "").file("usr/etc/hosts", "")
        .file("usr/etc/keep", "k");
    return new Committer(repo).commitTar(t.stream(), CommitOptions.builder().timestamp(0).build());
  }

  private Checksum layer(LayerTar t) throws IOException {
    return new DerivedLayerImporter(repo).importLayer(t.stream(), CommitOptions.builder().build()).commit();
  }

  private static MergeMetadata metadata() {
    return new MergeMetadata(Digest.sha256(MANIFEST), MANIFEST, CONFIG, 1_700_000_123L);
  }

  @Test
  void layersApplyWithOciSemantics() throws Exception {
    Checksum base = base();
    Checksum l1 = layer(new LayerTar()
        .dir("usr", 0755).dir("usr/bin", 0755).file("usr/bin/.wh.a", "")
        .dir("usr/share", 0755).file("usr/share/.wh.doc", "")
        .dir("usr/lib", 0755).dir("usr/lib/opq", 0755).file("usr/lib/opq/.wh..wh..opq", "").file("usr/lib/opq/new", "n")
        .file("usr/lib/dir2file", "now a file")
        .file("usr/lib/file2dir/inner", "i")
        .dir("usr/share/meta", 0755)
        .dir("usr/share/meta2", 0711)
        .dir("usr/local", 0750)
        .file("usr/.wh..wh.plnk", ""));
    Checksum l2 = layer(new LayerTar()
        .file("usr/bin/a", "again")
        .file("usr/lib/opq/.wh.new", "")
        .file("usr/share/.wh.gone", "").file("usr/share/gone", "back")
        .file("etc/hostname", "").file("etc/resolv.conf", "nameserver 192.0.2.1\n"));
    Checksum merged = new MergeCommitBuilder(repo).merge(base, List.of(l1, l2), metadata());

    Map<String, String> expected = new TreeMap<>();
    expected.put(".", "d 755 0:0");
    expected.put("usr", "d 755 0:0");
    expected.put("usr/bin", "d 755 0:0");
    expected.put("usr/bin/a", "f 644 0:0 again");
    expected.put("usr/etc", "d 755 0:0");
    expected.put("usr/etc/hosts", "f 644 0:0 ");
    expected.put("usr/etc/keep", "f 644 0:0 k");
    expected.put("usr/etc/resolv.conf", "f 644 0:0 nameserver 192.0.2.1\n");
    expected.put("usr/lib", "d 755 0:0");
    expected.put("usr/lib/dir2file", "f 644 0:0 now a file");
    expected.put("usr/lib/file2dir", "d 755 0:0");
    expected.put("usr/lib/file2dir/inner", "f 644 0:0 i");
    expected.put("usr/lib/opq", "d 755 0:0");
    expected.put("usr/local", "d 750 0:0");
    // an explicit directory entry with the plain 0755 root metadata cannot be told from a created
    // parent: the lower directory keeps its metadata; any other metadata wins
    expected.put("usr/share", "d 755 0:0");
    expected.put("usr/share/gone", "f 644 0:0 back");
    expected.put("usr/share/meta", "d 700 0:0");
    expected.put("usr/share/meta2", "d 711 0:0");
    assertEquals(expected, TreeListing.of(repo, merged));
  }

  @Test
  void opaqueDirectoryTakesTheUpperMetadataAndKeepsOnlyTheLayersEntries() throws Exception {
    Checksum base = base();
    Checksum l1 = layer(new LayerTar()
        .dir("usr/lib/opq", 0755).file("usr/lib/opq/.wh..wh..opq", "").file("usr/lib/opq/.wh.new", "")
        .file("usr/lib/opq/new", "n"));
    Map<String, String> l = TreeListing.of(repo, new MergeCommitBuilder(repo).merge(base, List.of(l1), metadata()));
    assertEquals("d 755 0:0", l.get("usr/lib/opq"));
    assertEquals(List.of("usr/lib/opq/new"), l.keySet().stream().filter(p -> p.startsWith("usr/lib/opq/")).toList());
  }

  @Test
  void mergeCommitCarriesImageMetadataAndTheBaseAsParent() throws Exception {
    Checksum base = base();
    Checksum l1 = layer(new LayerTar().file("usr/x", "x"));
    Checksum merged = new MergeCommitBuilder(repo).merge(base, List.of(l1), metadata());
    Commit c = repo.readCommit(merged);
    assertEquals(base, c.parent().orElseThrow());
    assertEquals(1_700_000_123L, c.timestamp());
    assertEquals("", c.subject());
    assertEquals(List.of("ostree.container.image-config", "ostree.importer.version", "ostree.manifest",
        "ostree.manifest-digest"), List.copyOf(c.metadata().keySet()));
    assertEquals("sha256:" + Digest.sha256(MANIFEST).hex(), c.metadataString("ostree.manifest-digest").orElseThrow());
    assertEquals("{\"config\":{\"digest\":\"sha256:" + "0".repeat(64) + "\",\"size\":2},\"layers\":[],"
        + "\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"schemaVersion\":2}",
        c.metadataString("ostree.manifest").orElseThrow());
    assertEquals("{\"architecture\":\"amd64\",\"config\":{\"Labels\":{\"a\":\"1\",\"b\":\"2\"}},\"os\":\"linux\"}",
        c.metadataString("ostree.container.image-config").orElseThrow());
    assertTrue(repo.refs().list().isEmpty(), "merging writes no ref");
  }

  @Test
  void baseOnlyMergeKeepsTheTree() throws Exception {
    Checksum base = base();
    Checksum merged = new MergeCommitBuilder(repo).merge(base, List.of(), metadata());
    Map<String, String> expected = new TreeMap<>(TreeListing.of(repo, base));
    expected.remove("usr/etc/hostname");
    expected.remove("usr/etc/resolv.conf");
    assertEquals(expected, TreeListing.of(repo, merged));
  }

  @Test
  void imageWithoutOstreeBaseStartsFromTheFirstLayer() throws Exception {
    Checksum l1 = layer(new LayerTar().dir("./", 0700).file("usr/a", "1").file("usr/b", "2"));
    Checksum l2 = layer(new LayerTar().file("usr/.wh.a", ""));
    Checksum merged = new MergeCommitBuilder(repo).merge(null, List.of(l1, l2), metadata());
    assertEquals(Map.of(".", "d 700 0:0", "usr", "d 755 0:0", "usr/b", "f 644 0:0 2"), TreeListing.of(repo, merged));
    assertTrue(repo.readCommit(merged).parent().isEmpty());
  }

  @Test
  void whiteoutNamingNothingIsAnError() throws Exception {
    Checksum base = base();
    Checksum l1 = layer(new LayerTar().file("usr/share/.wh.", ""));
    InvalidLayerException e = assertThrows(InvalidLayerException.class,
        () -> new MergeCommitBuilder(repo).merge(base, List.of(l1), metadata()));
    assertTrue(e.getMessage().contains("usr/share/.wh."), e.getMessage());
  }

  @Test
  void invalidManifestJsonIsAnError() throws Exception {
    Checksum base = base();
    MergeMetadata bad = new MergeMetadata(Digest.sha256(MANIFEST), "{\"a\":".getBytes(StandardCharsets.UTF_8), CONFIG, 0);
    IOException e = assertThrows(IOException.class, () -> new MergeCommitBuilder(repo).merge(base, List.of(), bad));
    assertTrue(e.getMessage().contains("image manifest"), e.getMessage());
  }
}
