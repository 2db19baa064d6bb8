package io.github.ostree4j.build.internal;

import io.github.ostree4j.testing.Peers;
import io.github.ostree4j.testing.WorkDirs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/** Runs whole steps (create, RUN, capture) for the integration tests. */
final class Steps {

  /** What a step gave. */
  record Ran(RunResult result, String output, LayerCapture layer, Path changes, boolean overlay) {

    List<LayerEntries.Entry> entries() throws IOException {
      return LayerEntries.read(layer.tar());
    }

    List<String> names() throws IOException {
      return LayerEntries.names(layer.tar());
    }
  }

  private Steps() {}

  /** Skips unless root with runc installed. */
  static void requirePeers() {
    Peers.requireRoot("mounts overlays and runs runc");
    Peers.require("runc");
    BusyboxRootfs.busybox();
  }

  /** A fresh busybox root filesystem. */
  static Path base() throws IOException {
    return BusyboxRootfs.create(WorkDirs.newDir("base").resolve("rootfs"));
  }

  /** {@code /bin/sh -c script} as root in {@code /}, host network. */
  static RunSpec sh(String script) {
    return new RunSpec(List.of("/bin/sh", "-c", script), List.of(), "/", 0, 0, List.of(), true, List.of(),
        "builder");
  }

  static Ran run(List<Path> lowers, boolean overlay, String script) throws IOException {
    return run(lowers, overlay, sh(script), OptionalLong.empty());
  }

  static Ran run(List<Path> lowers, boolean overlay, RunSpec spec, OptionalLong clamp) throws IOException {
    Path dir = WorkDirs.newDir("step");
    try (StepFilesystem fs = StepFilesystem.create(lowers, dir.resolve("step"), overlay)) {
      if (overlay && !fs.usesOverlay()) {
        throw new AssertionError("overlay not used: " + fs.overlayFailure().orElse("?"));
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      RunResult r = fs.run(spec, out);
      LayerCapture c = fs.capture(dir.resolve("layer.tar"), clamp);
      return new Ran(r, out.toString(StandardCharsets.UTF_8), c, fs.changes(), fs.usesOverlay());
    }
  }
}
