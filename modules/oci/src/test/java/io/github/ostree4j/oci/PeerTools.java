package io.github.ostree4j.oci;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.ostree4j.testing.Cmd;
import io.github.ostree4j.testing.CmdResult;
import io.github.ostree4j.testing.Peers;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** skopeo and umoci invocations shared by the integration tests. */
final class PeerTools {

  private PeerTools() {}

  static CmdResult skopeo(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Peers.require("skopeo").toString());
    cmd.add("--insecure-policy");
    cmd.addAll(List.of(args));
    return Cmd.of(cmd).timeout(Duration.ofMinutes(2)).run().checkSuccess();
  }

  /** {@code skopeo inspect REF}, parsed. */
  static JsonNode inspect(String ref) throws IOException {
    return Json.MAPPER.readTree(skopeo("inspect", ref).stdoutBytes());
  }

  /** {@code skopeo inspect --raw REF}: the exact manifest bytes. */
  static byte[] inspectRaw(String ref) {
    return skopeo("inspect", "--raw", ref).stdoutBytes();
  }

  static void copy(String src, String dst) {
    skopeo("copy", "--quiet", src, dst);
  }

  static CmdResult umoci(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Peers.require("umoci").toString());
    cmd.addAll(List.of(args));
    return Cmd.of(cmd).timeout(Duration.ofMinutes(2)).run().checkSuccess();
  }

  /** umoci needs {@code --rootless} for commands that touch files when not running as root. */
  static List<String> rootless() {
    return Peers.isRoot() ? List.of() : List.of("--rootless");
  }

  static String oci(Path dir, String tag) {
    return "oci:" + dir + (tag == null ? "" : ":" + tag);
  }
}
