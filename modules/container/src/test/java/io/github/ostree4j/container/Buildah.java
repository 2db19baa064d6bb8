package io.github.ostree4j.container;

import io.github.ostree4j.testing.Cmd;
import io.github.ostree4j.testing.CmdResult;
import io.github.ostree4j.testing.Peers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The real {@code buildah}, with its own storage ({@code --root}, {@code --runroot}) and driver. */
final class Buildah {

  private final List<String> base;

  Buildah(Path root, Path runroot, String driver) {
    Peers.requireRoot("buildah with its own storage");
    Peers.require("runc");
    base = List.of(Peers.require("buildah").toString(), "--root", root.toString(), "--runroot", runroot.toString(),
        "--storage-driver", driver);
  }

  /** Runs {@code buildah ARGS} whatever the outcome. */
  CmdResult tryRun(String... args) {
    List<String> cmd = new ArrayList<>(base);
    cmd.addAll(List.of(args));
    return Cmd.of(cmd).run();
  }

  /** Runs {@code buildah ARGS}, insists on success and returns the last line of its output. */
  String run(String... args) {
    List<String> lines = tryRun(args).checkSuccess().stdoutLines();
    return lines.isEmpty() ? "" : lines.get(lines.size() - 1).strip();
  }

  /** Removes every container (unmounting it) and image of this storage. */
  void cleanup() {
    tryRun("rm", "--all");
    tryRun("rmi", "--all", "--force");
  }
}
