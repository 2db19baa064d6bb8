package io.github.ostree4j.container.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ostree4j.container.InvalidOstreeTarException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ObjectNameTest {

  private static final String HEX = "5b7a2af2df2d0825cec7b703640361e4a59d5e6b31a36563cfd34fc60d79b1d0";

  private static ObjectName parse(String dir, String file) throws InvalidOstreeTarException {
    return ObjectName.parse("entry", List.of(dir, file));
  }

  @Test
  void everySuffixOfTheFormat() throws InvalidOstreeTarException {
    String stem = HEX.substring(2);
    assertEquals(ObjectName.Kind.COMMIT, parse("5b", stem + ".commit").kind());
    assertEquals(ObjectName.Kind.COMMIT_META, parse("5b", stem + ".commitmeta").kind());
    assertEquals(ObjectName.Kind.DIR_TREE, parse("5b", stem + ".dirtree").kind());
    assertEquals(ObjectName.Kind.DIR_META, parse("5b", stem + ".dirmeta").kind());
    assertEquals(ObjectName.Kind.FILE, parse("5b", stem + ".file").kind());
    assertEquals(ObjectName.Kind.FILE_XATTRS, parse("5b", stem + ".file-xattrs").kind());
    assertEquals(ObjectName.Kind.FILE_XATTRS_LINK, parse("5b", stem + ".file-xattrs-link").kind());
    ObjectName v0 = parse("5b", stem + ".file.xattrs");
    assertEquals(ObjectName.Kind.XATTRS_LINK_V0, v0.kind());
    assertEquals(HEX, v0.checksum().hex());
  }

  @Test
  void badNamesAreRefusedWithTheReason() {
    String stem = HEX.substring(2);
    assertReason("unknown object type suffix '.exe'", "5b", stem + ".exe");
    assertReason("unknown object type suffix '.filez'", "5b", stem + ".filez");
    assertReason("no type suffix", "5b", stem);
    assertReason("not two characters", "5", stem + ".file");
    assertReason("not 62 characters", "5b", stem.substring(1) + ".file");
    assertReason("not 64 lowercase hex digits", "5B", stem + ".file");
    assertReason("not 64 lowercase hex digits", "5b", stem.toUpperCase() + ".dirtree");
    assertReason("not 64 lowercase hex digits", "zz", stem + ".file");
    InvalidOstreeTarException e = assertThrows(InvalidOstreeTarException.class,
        () -> ObjectName.parse("entry", List.of("5b", "x", stem + ".file")));
    assertTrue(e.getMessage().contains("not an object path"), e.getMessage());
  }

  private static void assertReason(String reason, String dir, String file) {
    InvalidOstreeTarException e = assertThrows(InvalidOstreeTarException.class, () -> parse(dir, file));
    assertTrue(e.getMessage().startsWith("tar entry 'entry': "), e.getMessage());
    assertTrue(e.getMessage().contains(reason), e.getMessage());
  }
}
