package io.github.ostree4j.deploy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OsReleaseTest {

  @Test
  void unquotesAsAShell() {
    OsRelease r = OsRelease.parse("# comment\nNAME=Fedora\nPRETTY_NAME=\"Fedora Linux 40 (CoreOS)\"\n"
        + "ID='fedora'\nVARIANT=\"say \\\"hi\\\" \\$x\"\nBAD=\"unterminated\nPLAIN=a\\ b\n");
    assertEquals("Fedora", r.get("NAME").orElseThrow());
    assertEquals("Fedora Linux 40 (CoreOS)", r.get("PRETTY_NAME").orElseThrow());
    assertEquals("fedora", r.get("ID").orElseThrow());
    assertEquals("say \"hi\" $x", r.get("VARIANT").orElseThrow());
    assertEquals("a b", r.get("PLAIN").orElseThrow());
    assertTrue(r.get("BAD").isEmpty(), "a line that does not unquote is skipped");
    assertTrue(r.get("comment").isEmpty());
  }
}
