package io.github.ostree4j.ostree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ostree4j.ostree.gvariant.Variant;
import io.github.ostree4j.ostree.internal.Formats;
import io.github.ostree4j.ostree.internal.StaticDeltas;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Summary bytes equal those of ostree summary -u 2022.7 for the same repository. */
class SummaryTest {

  /**
   * {@code ostree summary -u -m "foo='bar'" -m 'num=uint32 5'} on an archive repo with the vector
   * commit on {@code test} and a commit with {@code version=1.2} on {@code v}; last-modified
   * 1795509799.
   */
  static final String OSTREE_SUMMARY =
      "74657374000000008e00000000000000a045da6285889b45d713ca8f2acf632dd377f5af93ba869a297e69ae6789a8f2"
          + "6f73747265652e636f6d6d69742e74696d657374616d7000000000005e0be100007418232805000076000000000000"
          + "0086000000000000005d7b068e10e7e8d5ebca64bddd28f55f8dff5edb63940530e2ba44365e3a946b6f7374726565"
          + "2e636f6d6d69742e76657273696f6e000000312e3200007316006f73747265652e636f6d6d69742e74696d65737461"
          + "6d7000000000005e0d32800074181f43280256cf000000000000006f73747265652e73756d6d6172792e6d6f646500"
          + "00000000617263686976652d7a320000731400006e756d000000000005000000007504006f73747265652e73756d6d"
          + "6172792e6c6173742d6d6f64696669656400000000000000006b054e2700741d00000000006f73747265652e73756d"
          + "6d6172792e746f6d6273746f6e652d636f6d6d697473000000000000000000006221000000006f73747265652e7375"
          + "6d6d6172792e696e64657865642d64656c7461730000000100621e00000000666f6f00000000006261720000730426"
          + "376394bccfd100";

  /** {@code ostree summary -u} on an empty archive repo, last-modified 0x6b054b7f. */
  static final String OSTREE_EMPTY_SUMMARY =
      "6f73747265652e73756d6d6172792e6d6f64650000000000617263686976652d7a32000073140000"
          + "6f73747265652e73756d6d6172792e6c6173742d6d6f6469666965640000000000000000"
          + "6b054b7f00741d00000000006f73747265652e73756d6d6172792e746f6d6273746f6e65"
          + "2d636f6d6d697473000000000000000000006221000000006f73747265652e73756d6d61"
          + "72792e696e64657865642d64656c7461730000000100621e265384ac00";

  @TempDir Path tmp;

  private OstreeRepo vectorRepo() throws Exception {
    OstreeRepo repo = OstreeRepo.init(tmp.resolve("repo"), RepoMode.ARCHIVE);
    Checksum a = new Committer(repo).commitDirectory(CommitterTest.vectorTree(tmp), CommitterTest.vectorOptions());
    assertEquals(CommitterTest.VECTOR_COMMIT, a.hex());
    Commit ca = repo.readCommit(a);
    Checksum v = new Committer(repo).commitTree(MutableTree.fromRepo(repo, ca.rootTree(), ca.rootMeta()),
        CommitOptions.builder().branch("v").subject("V").addMetadataString("version", "1.2")
            .timestamp(Instant.parse("2020-01-02T00:00:00Z").getEpochSecond()).build());
    assertEquals("5d7b068e10e7e8d5ebca64bddd28f55f8dff5edb63940530e2ba44365e3a946b", v.hex());
    return repo;
  }

  private static Map<String, Variant> fooNum() {
    Map<String, Variant> md = new LinkedHashMap<>();
    md.put("foo", Variant.string("bar"));
    md.put("num", Variant.uint32(5));
    return md;
  }

  @Test
  void bytesEqualOstreeSummary() throws Exception {
    OstreeRepo repo = vectorRepo();
    Summary s = Summary.generate(repo, fooNum(), 1795509799L);
    assertEquals(OSTREE_SUMMARY, HexFormat.of().formatHex(s.bytes()));
  }

  @Test
  void metadataValuesParsedFromTextGiveTheSameBytes() throws Exception {
    OstreeRepo repo = vectorRepo();
    Map<String, Variant> md = new LinkedHashMap<>();
    md.put("foo", Summary.parseMetadataValue("'bar'"));
    md.put("num", Summary.parseMetadataValue("uint32 5"));
    assertEquals(OSTREE_SUMMARY, HexFormat.of().formatHex(Summary.generate(repo, md, 1795509799L).bytes()));
    OstreeException e = assertThrows(OstreeException.class, () -> Summary.parseMetadataValue("bar"));
    assertTrue(e.getMessage().startsWith("Error parsing variant 'bar'"), e.getMessage());
  }

  @Test
  void emptyRepositoryEqualsOstree() throws Exception {
    OstreeRepo repo = OstreeRepo.init(tmp.resolve("empty"), RepoMode.ARCHIVE);
    Summary s = Summary.generate(repo, Map.of(), 0x6b054b7fL);
    assertEquals(OSTREE_EMPTY_SUMMARY, HexFormat.of().formatHex(s.bytes()));
  }

  @Test
  void parsedSummaryAndView() throws Exception {
    OstreeRepo repo = vectorRepo();
    Summary s = Summary.parse(HexFormat.of().parseHex(OSTREE_SUMMARY));
    assertEquals(2, s.refs().size());
    Summary.RefEntry test = s.refs().get(0);
    assertEquals("test", test.name());
    assertEquals(142, test.commitSize());
    assertEquals(CommitterTest.VECTOR_COMMIT, test.commit().hex());
    assertEquals(1577836800L, test.timestamp().orElseThrow());
    assertEquals("1.2", s.refs().get(1).version().orElseThrow());
    assertEquals(1795509799L, s.lastModified().orElseThrow());
    assertEquals(List.of("ostree.summary.mode", "num", "ostree.summary.last-modified",
        "ostree.summary.tombstone-commits", "ostree.summary.indexed-deltas", "foo"), new ArrayList<>(s.metadata().keySet()));
    String expected = "* test\n"
        + "    Latest Commit (142 bytes):\n"
        + "      a045da6285889b45d713ca8f2acf632dd377f5af93ba869a297e69ae6789a8f2\n"
        + "    Timestamp (ostree.commit.timestamp): " + Formats.iso8601(1577836800L) + "\n"
        + "\n"
        + "* v\n"
        + "    Latest Commit (134 bytes):\n"
        + "      5d7b068e10e7e8d5ebca64bddd28f55f8dff5edb63940530e2ba44365e3a946b\n"
        + "    Version (ostree.commit.version): 1.2\n"
        + "    Timestamp (ostree.commit.timestamp): " + Formats.iso8601(1577923200L) + "\n"
        + "\n"
        + "Repository Mode (ostree.summary.mode): archive-z2\n"
        + "num: 5\n"
        + "Last-Modified (ostree.summary.last-modified): " + Formats.iso8601(1795509799L) + "\n"
        + "Has Tombstone Commits (ostree.summary.tombstone-commits): No\n"
        + "ostree.summary.indexed-deltas: true\n"
        + "foo: 'bar'\n";
    assertEquals(expected, s.view());
    assertEquals(s.view(), Summary.generate(repo, fooNum(), 1795509799L).view());
  }

  @Test
  void updateWritesSummaryConfigAndDeltaIndexes() throws Exception {
    OstreeRepo repo = vectorRepo();
    Files.writeString(repo.path().resolve("summary.sig"), "stale");
    Checksum to = Checksum.parse(CommitterTest.VECTOR_COMMIT);
    String b = StaticDeltas.toModifiedBase64(to);
    Path delta = repo.path().resolve("deltas").resolve(b.substring(0, 2)).resolve(b.substring(2));
    Files.createDirectories(delta);
    Files.write(delta.resolve("superblock"), new byte[] {1, 2, 3});
    Summary s = Summary.update(repo, Map.of());
    assertTrue(Files.isRegularFile(repo.path().resolve("summary")));
    assertFalse(Files.exists(repo.path().resolve("summary.sig")));
    assertEquals("true", OstreeRepo.open(repo.path()).config().get("core", "indexed-deltas").orElse(""));
    assertEquals(List.of("ostree.summary.mode", "ostree.summary.last-modified",
        "ostree.summary.tombstone-commits", "ostree.static-deltas", "ostree.summary.indexed-deltas"),
        new ArrayList<>(s.metadata().keySet()));
    Map<String, Variant> deltas = s.metadata().get("ostree.static-deltas").asVardict();
    byte[] sha = java.security.MessageDigest.getInstance("SHA-256").digest(new byte[] {1, 2, 3});
    assertEquals(HexFormat.of().formatHex(sha), HexFormat.of().formatHex(deltas.get(to.hex()).asBytes()));
    Path index = StaticDeltas.indexPath(repo.path(), to);
    Map<String, Variant> expected = Map.of("ostree.static-deltas", Variant.vardict(Map.of(to.hex(), Variant.bytes(sha))));
    assertEquals(HexFormat.of().formatHex(Variant.vardict(expected).serialize()), HexFormat.of().formatHex(Files.readAllBytes(index)));
    assertEquals(HexFormat.of().formatHex(s.bytes()),
        HexFormat.of().formatHex(Summary.read(repo).orElseThrow().bytes()));
  }

  @Test
  void collectionIdIsRefused() throws Exception {
    OstreeRepo repo = OstreeRepo.init(tmp.resolve("c"), RepoMode.ARCHIVE);
    repo.config().set("core", "collection-id", "org.example.Os");
    OstreeException e = assertThrows(OstreeException.class, () -> Summary.generate(repo, Map.of(), 0));
    assertTrue(e.getMessage().contains("collection ID"), e.getMessage());
  }
}
