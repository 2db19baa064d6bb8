package io.github.ostree4j.build.internal;

import io.github.ostree4j.testing.Cmd;
import io.github.ostree4j.testing.Peers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * A tiny root filesystem for RUN tests: the static busybox with a symlink per applet (what
 * {@code busybox --install -s} makes), {@code /etc/passwd} and {@code /etc/group} with root,
 * a builder user with supplementary groups, and nobody, plus {@code /tmp} and a {@code /data}
 * tree that tests change.
 */
final class BusyboxRootfs {

  static final String PASSWD = String.join("\n",
      "root:x:0:0:root:/root:/bin/sh",
      "builder:x:1000:1000:Builder:/home/builder:/bin/sh",
      "nobody:x:65534:65534:nobody:/nonexistent:/bin/false", "");
  static final String GROUP = String.join("\n",
      "root:x:0:",
      "wheel:x:10:builder",
      "builder:x:1000:",
      "staff:x:50:other,builder",
      "nogroup:x:65534:", "");

  private static List<String> applets;

  private BusyboxRootfs() {}

  /** The (static, from busybox-static) busybox, skipping (or failing on CI) when it is missing. */
  static Path busybox() {
    return Peers.require("busybox");
  }

  static synchronized List<String> applets() {
    if (applets == null) {
      applets = Cmd.of(busybox().toString(), "--list").run().checkSuccess().stdoutLines();
    }
    return applets;
  }

  /** Creates the root filesystem in {@code dir} (created if needed). */
  static Path create(Path dir) throws IOException {
    Files.createDirectories(dir.resolve("bin"));
    Files.copy(busybox(), dir.resolve("bin/busybox"), StandardCopyOption.COPY_ATTRIBUTES);
    for (String a : applets()) {
      if (!a.equals("busybox")) {
        Files.createSymbolicLink(dir.resolve("bin").resolve(a), Path.of("busybox"));
      }
    }
    Files.createDirectories(dir.resolve("etc"));
    Files.writeString(dir.resolve("etc/passwd"), PASSWD, StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("etc/group"), GROUP, StandardCharsets.UTF_8);
    Files.createDirectories(dir.resolve("tmp"));
    Files.setAttribute(dir.resolve("tmp"), "unix:mode", 01777);
    Files.createDirectories(dir.resolve("root"));
    Files.setAttribute(dir.resolve("root"), "unix:mode", 0700);
    Files.createDirectories(dir.resolve("data/dir/sub"));
    Files.writeString(dir.resolve("data/keep"), "keep\n");
    Files.writeString(dir.resolve("data/old"), "old\n");
    Files.writeString(dir.resolve("data/dir/x"), "x\n");
    Files.writeString(dir.resolve("data/dir/sub/y"), "y\n");
    Files.writeString(dir.resolve("data/mode"), "mode\n");
    Files.writeString(dir.resolve("data/owner"), "owner\n");
    return dir;
  }
}
