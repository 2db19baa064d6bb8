package io.github.ostree4j.deploy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.ostree4j.testing.Cmd;
import io.github.ostree4j.testing.CmdResult;
import io.github.ostree4j.testing.Peers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node id matches systemd's application-specific machine id, as Zincati sends it. */
class NodeIdentityTest {

  @TempDir Path tmp;

  /**
   * Pairs of machine id and {@code systemd-id128 machine-id --app-specific=de35106b6ec24688b63afddaa156679b}
   * output, produced with systemd-id128 (systemd 252) with each machine id bind-mounted over
   * /etc/machine-id.
   */
  @Test
  void goldenValuesFromSystemdId128() {
    assertEquals("a2a5385f64d54b22b0eca8f3deb0cd10",
        NodeIdentity.appSpecific("00000000000000000000000000000001", NodeIdentity.ZINCATI_APP_ID));
    assertEquals("583627a932274834a8ebd99f4ed41c0d",
        NodeIdentity.appSpecific("0123456789abcdef0123456789abcdef", NodeIdentity.ZINCATI_APP_ID));
    assertEquals("01e17ff8056e4c079b0bac70864eb9b5",
        NodeIdentity.appSpecific("ffffffffffffffffffffffffffffffff", NodeIdentity.ZINCATI_APP_ID));
    assertEquals("975228d46dc94622b9bbe16671e2b58d",
        NodeIdentity.appSpecific("3d1219c7c4c5404aaa1f6d2a48adfda4", NodeIdentity.ZINCATI_APP_ID));
  }

  @Test
  void sameAsSystemdId128OnThisHost() throws IOException {
    Path machineId = Path.of("/etc/machine-id");
    assumeTrue(Peers.isAvailable("systemd-id128") && Files.isReadable(machineId),
        "systemd-id128 and /etc/machine-id are needed");
    CmdResult r = Cmd.of("systemd-id128", "machine-id",
        "--app-specific=" + NodeIdentity.ZINCATI_APP_ID).run();
    assumeTrue(r.exitCode() == 0, () -> "systemd-id128 failed: " + r);
    assertEquals(r.stdout().strip(),
        NodeIdentity.appSpecific(NodeIdentity.readMachineId(machineId), NodeIdentity.ZINCATI_APP_ID));
  }

  @Test
  void machineIdFiles() throws IOException {
    Path f = Files.writeString(tmp.resolve("machine-id"), "0123456789ABCDEF0123456789ABCDEF\n");
    assertEquals("0123456789abcdef0123456789abcdef", NodeIdentity.readMachineId(f));
    Files.writeString(f, "uninitialized\n");
    IOException e = assertThrows(IOException.class, () -> NodeIdentity.readMachineId(f));
    assertEquals("reading the machine id " + f + ": not 32 hex digits", e.getMessage());
    Path missing = tmp.resolve("none");
    e = assertThrows(IOException.class, () -> NodeIdentity.readMachineId(missing));
    assertEquals("reading the machine id " + missing + ": " + missing, e.getMessage());
  }
}
