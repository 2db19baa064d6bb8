package io.github.ostree4j.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WhiteoutsTest {

  @Test
  void classifiesNames() {
    assertTrue(Whiteouts.isWhiteout("usr/share/.wh.doc"));
    assertTrue(Whiteouts.isWhiteout(".wh.top"));
    assertTrue(Whiteouts.isWhiteout("./etc/.wh.passwd"));
    assertFalse(Whiteouts.isWhiteout("etc/passwd"));
    assertFalse(Whiteouts.isWhiteout(".wh.dir/file"));
    assertFalse(Whiteouts.isWhiteout("etc/.wh..wh..opq"));
    assertTrue(Whiteouts.isOpaque("etc/.wh..wh..opq"));
    assertTrue(Whiteouts.isOpaque(".wh..wh..opq"));
    assertFalse(Whiteouts.isOpaque("etc/.wh.x"));
    assertTrue(Whiteouts.isMeta(".wh..wh.plnk"));
    assertFalse(Whiteouts.isMeta(".wh..wh..opq"));
    assertFalse(Whiteouts.isWhiteout(".wh..wh.plnk"));
  }

  @Test
  void mapsBothWays() throws OciFormatException {
    assertEquals("usr/share/doc", Whiteouts.whitedOut("usr/share/.wh.doc"));
    assertEquals("doc", Whiteouts.whitedOut(".wh.doc"));
    assertEquals("a/b", Whiteouts.whitedOut("a/.wh.b/"));
    assertEquals("usr/share/.wh.doc", Whiteouts.whiteoutFor("usr/share/doc"));
    assertEquals(".wh.x", Whiteouts.whiteoutFor("x"));
    assertEquals("a/.wh.dir", Whiteouts.whiteoutFor("a/dir/"));
    assertEquals("a/b/.wh..wh..opq", Whiteouts.opaqueFor("a/b/"));
    assertEquals(".wh..wh..opq", Whiteouts.opaqueFor(""));
    for (String p : new String[] {"a/b/c", "x", ".hidden", "a/.wh.notreally/c"}) {
      assertEquals(p, Whiteouts.whitedOut(Whiteouts.whiteoutFor(p)));
    }
  }

  @Test
  void rejectsDotTargets() {
    OciFormatException e = assertThrows(OciFormatException.class, () -> Whiteouts.whitedOut("etc/.wh..."));
    assertEquals("invalid whiteout 'etc/.wh...': it names '..'", e.getMessage());
    assertThrows(OciFormatException.class, () -> Whiteouts.whitedOut("etc/.wh.."));
    assertThrows(OciFormatException.class, () -> Whiteouts.whitedOut(".wh."));
    assertThrows(IllegalArgumentException.class, () -> Whiteouts.whitedOut("etc/passwd"));
    assertThrows(IllegalArgumentException.class, () -> Whiteouts.whiteoutFor("a/.."));
  }
}
