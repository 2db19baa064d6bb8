package io.github.ostree4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

class PeersTest {

  @Test
  void findsProgramsOnPath() {
    assertTrue(Peers.find("sh").isPresent());
    assertTrue(Files.isExecutable(Peers.require("sh")));
    assertTrue(Peers.require("sh").isAbsolute());
  }

  @Test
  void missingPeerSkipsOrFailsOnCi() {
    String missing = "ostree4j-no-such-peer";
    assertFalse(Peers.isAvailable(missing));
    if (Peers.isCi()) {
      AssertionError e = assertThrows(AssertionError.class, () -> Peers.require(missing));
      assertTrue(e.getMessage().contains("run scripts/install-peers.sh"), e.getMessage());
    } else {
      TestAbortedException e =
          assertThrows(TestAbortedException.class, () -> Peers.require(missing));
      assertTrue(e.getMessage().contains("peer " + missing + " is missing"), e.getMessage());
    }
  }

  @Test
  void rejectsPaths() {
    assertThrows(IllegalArgumentException.class, () -> Peers.find("/bin/sh"));
  }

  @Test
  void isRootAgreesWithId() {
    String uid = Cmd.of("id", "-u").run().checkSuccess().stdout().trim();
    assertEquals(uid.equals("0"), Peers.isRoot());
  }
}
