package io.github.ostree4j.container.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ostree4j.container.InvalidOstreeTarException;
import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.ostree.gvariant.Variant;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;

/** Reading the commit and its signatures from the head of a commit layer, hostile cases included. */
class CommitLayerHeadTest {

  static final byte[] COMMIT = "not really a commit, but content-addressed".getBytes(StandardCharsets.UTF_8);

  static Checksum sha(byte[] b) throws Exception {
    return Checksum.fromBytes(MessageDigest.getInstance("SHA-256").digest(b));
  }

  static String path(Checksum c, String suffix) {
    return "sysroot/ostree/repo/objects/" + c.hex().substring(0, 2) + "/" + c.hex().substring(2)
        + "." + suffix;
  }

  static byte[] tar(Map<String, byte[]> entries) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarArchiveOutputStream t = new TarArchiveOutputStream(out)) {
      t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (String dir : List.of("sysroot/", "sysroot/ostree/", "sysroot/ostree/repo/")) {
        TarArchiveEntry d = new TarArchiveEntry(dir);
        t.putArchiveEntry(d);
        t.closeArchiveEntry();
      }
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        TarArchiveEntry f = new TarArchiveEntry(e.getKey());
        f.setSize(e.getValue().length);
        t.putArchiveEntry(f);
        t.write(e.getValue());
        t.closeArchiveEntry();
      }
    }
    return out.toByteArray();
  }

  @Test
  void readsCommitAndCommitmeta() throws Exception {
    Checksum c = sha(COMMIT);
    Variant meta = Variant.vardict(Map.of("ostree.gpgsigs",
        Variant.of("aay", List.<Object>of(new byte[] {1, 2, 3}))));
    Map<String, byte[]> e = new LinkedHashMap<>();
    e.put(path(c, "commit"), COMMIT);
    e.put(path(c, "commitmeta"), meta.serialize());
    e.put("sysroot/ostree/repo/objects/00/" + "1".repeat(62) + ".dirtree", new byte[] {0});
    CommitLayerHead h = CommitLayerHead.read(new ByteArrayInputStream(tar(e)));
    assertEquals(c, h.commit());
    assertArrayEquals(COMMIT, h.commitBytes());
    assertEquals(meta, h.commitMeta());
  }

  @Test
  void commitWithoutCommitmetaHasNone() throws Exception {
    Checksum c = sha(COMMIT);
    Map<String, byte[]> e = new LinkedHashMap<>();
    e.put(path(c, "commit"), COMMIT);
    e.put("sysroot/ostree/repo/objects/00/" + "1".repeat(62) + ".dirtree", new byte[] {0});
    assertNull(CommitLayerHead.read(new ByteArrayInputStream(tar(e))).commitMeta());
  }

  @Test
  void hostileHeadsAreRefused() throws Exception {
    Checksum c = sha(COMMIT);
    Map<String, byte[]> wrongName = new LinkedHashMap<>();
    wrongName.put(path(sha(new byte[] {9}), "commit"), COMMIT);
    InvalidOstreeTarException e1 = assertThrows(InvalidOstreeTarException.class,
        () -> CommitLayerHead.read(new ByteArrayInputStream(tar(wrongName))));
    assertTrue(e1.getMessage().contains("commit object checksum mismatch"), e1.getMessage());

    Map<String, byte[]> metaFirst = new LinkedHashMap<>();
    metaFirst.put(path(c, "commitmeta"), new byte[0]);
    InvalidOstreeTarException e2 = assertThrows(InvalidOstreeTarException.class,
        () -> CommitLayerHead.read(new ByteArrayInputStream(tar(metaFirst))));
    assertTrue(e2.getMessage().contains("expected the commit object first"), e2.getMessage());

    Map<String, byte[]> escape = new LinkedHashMap<>();
    escape.put("sysroot/ostree/repo/../../../etc/passwd", new byte[] {1});
    assertThrows(InvalidOstreeTarException.class,
        () -> CommitLayerHead.read(new ByteArrayInputStream(tar(escape))));

    Map<String, byte[]> badMeta = new LinkedHashMap<>();
    badMeta.put(path(c, "commit"), COMMIT);
    badMeta.put(path(c, "commitmeta"), new byte[] {(byte) 0xff, 0x00, 0x01});
    assertThrows(InvalidOstreeTarException.class,
        () -> CommitLayerHead.read(new ByteArrayInputStream(tar(badMeta))));

    assertThrows(InvalidOstreeTarException.class,
        () -> CommitLayerHead.read(new ByteArrayInputStream(tar(Map.of()))));
  }
}
