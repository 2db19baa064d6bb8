package io.github.ostree4j.ostree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.ostree4j.ostree.gvariant.GVariantFormatException;
import io.github.ostree4j.ostree.gvariant.Variant;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The object vectors of the ostree 2022.7 CLI (shared ostree-repo-format notes, section 4): every
 * byte our codecs write must equal what ostree wrote for the same tree.
 */
class ObjectVectorsTest {

  private static final HexFormat HEX = HexFormat.of();

  static String contentChecksum(FileHeader h, byte[] payload) throws Exception {
    byte[] header = h.checksumHeader();
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    md.update(new byte[] {0, 0, 0, (byte) header.length, 0, 0, 0, 0});
    md.update(header);
    md.update(payload);
    return HEX.formatHex(md.digest());
  }

  static Checksum sha(byte[] b) throws Exception {
    return Checksum.fromBytes(MessageDigest.getInstance("SHA-256").digest(b));
  }

  @Test
  void regularFileHeaderAndChecksum() throws Exception {
    FileHeader h = FileHeader.regular(0, 0, 0644, Xattrs.EMPTY);
    assertEquals("00000000000000000000" + "81a40000000000" + "11", HEX.formatHex(h.checksumHeader()));
    assertEquals("44f778e59f0a4748d6b0c90a47347212a231c4ad1e8f7ea5c5dffc7749153a6b",
        contentChecksum(h, "hello\n".getBytes(StandardCharsets.UTF_8)));
    assertEquals("0000000000000006" + "00000000000000000000" + "81a40000000000" + "19",
        HEX.formatHex(h.archiveHeader(6)));
    assertEquals("0000000000000000000081a4", HEX.formatHex(h.ostreemeta()));
  }

  @Test
  void symlinkHeader() throws Exception {
    FileHeader h = FileHeader.symlink(0, 0, "hello.txt", Xattrs.EMPTY);
    assertEquals("000000000000000000000a1ff" .substring(1) + "0000000068656c6c6f2e74787400" + "1a",
        HEX.formatHex(h.checksumHeader()));
    assertEquals("f66efa496a72379413c44593de510dc344beb045294f1a543da87b2b6118db35",
        contentChecksum(h, new byte[0]));
    assertEquals("00000000000000000000a1ff", HEX.formatHex(h.ostreemeta()));
  }

  @Test
  void xattrHeader() throws Exception {
    Xattrs x = Xattrs.builder().add("user.test", "val".getBytes(StandardCharsets.UTF_8)).build();
    FileHeader h = FileHeader.regular(0, 0, 0644, x);
    assertEquals("4eb0b9583126545cc40edcdf1a238ea72bc826562fb00e6dfd4ef595bbb481ed",
        contentChecksum(h, "x".getBytes(StandardCharsets.UTF_8)));
    assertEquals("0000000000000000000081a4757365722e746573740076616c0a0e", HEX.formatHex(h.ostreemeta()));
    long[] size = new long[1];
    FileHeader parsed = FileHeader.parseArchiveHeader(h.archiveHeader(1), size);
    assertEquals(h, parsed);
    assertEquals(1, size[0]);
    assertEquals("[(b'user.test', [byte 0x76, 0x61, 0x6c])]", x.toString());
    assertEquals("@a(ayay) []", Xattrs.EMPTY.toString());
  }

  @Test
  void dirmetaAndEmptyDirtree() throws Exception {
    DirMeta m = DirMeta.of(0, 0, 0755, Xattrs.EMPTY);
    assertEquals("0000000000000000000041ed", HEX.formatHex(m.serialize()));
    assertEquals("446a0ef11b7cc167f3b603e585c7eeeeb675faa412d5ec73f62988eb0b6c5488", sha(m.serialize()).hex());
    DirMeta x = DirMeta.of(0, 0, 0750, Xattrs.builder().add("user.dirx", "dv".getBytes(StandardCharsets.UTF_8)).build());
    assertEquals("0000000000000000000041e8757365722e646972780064760a0d", HEX.formatHex(x.serialize()));
    assertEquals(x, DirMeta.parse(x.serialize()));
    DirTree empty = new DirTree(List.of(), List.of());
    assertEquals("00", HEX.formatHex(empty.serialize()));
    assertEquals("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d", sha(empty.serialize()).hex());
  }

  @Test
  void vectorTreeAndCommit() throws Exception {
    Checksum meta = Checksum.parse("446a0ef11b7cc167f3b603e585c7eeeeb675faa412d5ec73f62988eb0b6c5488");
    DirTree sub = new DirTree(
        List.of(new DirTree.FileEntry("x.dat", Checksum.parse("4eb0b9583126545cc40edcdf1a238ea72bc826562fb00e6dfd4ef595bbb481ed"))),
        List.of());
    assertEquals("1cf209ac7927caad9c23c02311471e614a40ae41d347ac6da9700f05c30b1ab7", sha(sub.serialize()).hex());
    DirTree root = new DirTree(
        List.of(
            new DirTree.FileEntry("run.sh", Checksum.parse("89b350d278ff59ba4780bc377b8ebfee8ade6b55c99fab1ec84e133bc6ea52c5")),
            new DirTree.FileEntry("hello.txt", Checksum.parse("44f778e59f0a4748d6b0c90a47347212a231c4ad1e8f7ea5c5dffc7749153a6b")),
            new DirTree.FileEntry("link", Checksum.parse("f66efa496a72379413c44593de510dc344beb045294f1a543da87b2b6118db35"))),
        List.of(
            new DirTree.DirEntry("sub", sha(sub.serialize()), meta),
            new DirTree.DirEntry("emptydir", Checksum.parse("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"), meta)));
    byte[] rootBytes = root.serialize();
    assertEquals(273, rootBytes.length);
    Checksum rootCsum = sha(rootBytes);
    assertEquals("f0e4f2d5e3c0ffc1f6f63978c8b64fdbc72716d2b8f1989931e66055fe94304a", rootCsum.hex());
    Commit c = Commit.builder()
        .metadata(Commit.KEY_REF_BINDING, Variant.strings(List.of("test")))
        .subject("Test subject").body("Test body").timestamp(1577836800L)
        .root(rootCsum, meta).build();
    assertEquals(142, c.bytes().length);
    assertEquals("a045da6285889b45d713ca8f2acf632dd377f5af93ba869a297e69ae6789a8f2", c.checksum().hex());
    Commit parsed = Commit.parse(c.bytes());
    assertEquals(List.of("test"), parsed.metadata().get(Commit.KEY_REF_BINDING).asStrings());
    assertEquals(1577836800L, parsed.timestamp());
    assertEquals("f4150724b533789edba57a893dffcfef0b194ffe6e7b72c0e82f0551e2483abd", parsed.contentChecksum().hex());
    Commit orphan = Commit.builder().subject("Test subject").body("Test body").timestamp(1577836800L)
        .root(rootCsum, meta).build();
    assertEquals("fdae1e859b978fa3322d31c0c982b5d192e679aaee130fe5427490728b68a320", orphan.checksum().hex());
    Commit child = Commit.builder()
        .metadata(Commit.KEY_REF_BINDING, Variant.strings(List.of("test")))
        .parent(c.checksum()).subject("Second").timestamp(1577923200L).root(rootCsum, meta).build();
    // The vector's child commit has no body and the same binding.
    assertEquals("d3ef2f46aa883eb5e95ff0b21d6ad9a8fc1774fda9e112671bcced4007125722", child.checksum().hex());
  }

  @Test
  void commitmetaVector() {
    byte[] b = Variant.vardict(java.util.Map.of("foo", Variant.string("bar"))).serialize();
    assertEquals("666f6f0000000000626172000073040f", HEX.formatHex(b));
  }

  @Test
  void rejectsBadHeaders() {
    byte[] good = FileHeader.regular(0, 0, 0644, Xattrs.EMPTY).checksumHeader();
    byte[] dev = good.clone();
    dev[8] = 0x00;
    dev[9] = 0x00;
    dev[10] = 0x21; // S_IFCHR
    assertThrows(GVariantFormatException.class, () -> FileHeader.parseChecksumHeader(dev));
    byte[] truncated = java.util.Arrays.copyOf(good, good.length - 1);
    assertThrows(GVariantFormatException.class, () -> FileHeader.parseChecksumHeader(truncated));
    byte[] badOffset = good.clone();
    badOffset[badOffset.length - 1] = 0x7f;
    assertThrows(GVariantFormatException.class, () -> FileHeader.parseChecksumHeader(badOffset));
    assertArrayEquals(good, FileHeader.regular(0, 0, 0100644, Xattrs.EMPTY).checksumHeader());
  }
}
