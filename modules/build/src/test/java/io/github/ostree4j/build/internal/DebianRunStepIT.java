package io.github.ostree4j.build.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ostree4j.testing.Cmd;
import io.github.ostree4j.testing.DebianRootfs;
import io.github.ostree4j.testing.Peers;
import io.github.ostree4j.testing.TreeComparator;
import io.github.ostree4j.testing.WorkDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A RUN step on a real operating-system tree (Debian minbase, about 6,700 entries): adding a
 * user with the distribution's own tools and deleting documentation gives the same layer on both
 * paths (but for a lock file opened for writing and left unchanged, which only overlayfs counts),
 * and umoci applying it to the base gives the kernel's overlay view.
 */
class DebianRunStepIT {

  static final String SCRIPT = "useradd -m -u 1500 -G users app && rm -rf /usr/share/doc/* /usr/share/man"
      + " && echo hello > /etc/motd && dpkg-query -W -f '${Package}\\n' | wc -l > /packages";

  @BeforeEach
  void peers() {
    Steps.requirePeers();
    Peers.require("umoci");
  }

  @Test
  void userAddedAndDocumentationRemoved() throws Exception {
    Path base = DebianRootfs.minbase();
    OptionalLong clamp = OptionalLong.of(1_700_000_000L);
    long t0 = System.nanoTime();
    Steps.Ran overlay = Steps.run(List.of(base), true, Steps.sh(SCRIPT), clamp);
    long t1 = System.nanoTime();
    Steps.Ran copied = Steps.run(List.of(base), false, Steps.sh(SCRIPT), clamp);
    long t2 = System.nanoTime();
    System.out.printf("Debian minbase RUN step: overlay %.0f ms, copy-and-diff %.0f ms; layer %d entries, %d bytes%n",
        (t1 - t0) / 1e6, (t2 - t1) / 1e6, overlay.names().size(), overlay.layer().size());
    assertEquals(0, overlay.result().exitCode(), overlay.output());
    List<String> names = overlay.names();
    assertTrue(names.containsAll(List.of("etc/passwd", "etc/shadow", "etc/group", "home/app/", "etc/motd",
        "usr/share/.wh.man", "usr/share/doc/.wh.apt", "packages")), names.toString());
    assertTrue(names.stream().noneMatch(n -> n.startsWith("proc") || n.startsWith("sys/") || n.startsWith("dev/")
        || n.equals("etc/resolv.conf") || n.equals("etc/hosts")), names.toString());
    // useradd opens /etc/.pwd.lock for writing to lock it and writes nothing: overlayfs copies it
    // up, the copy-and-diff path sees no change; everything else is the same
    String overlayEntries = lines(overlay.entries());
    assertTrue(overlayEntries.contains(" etc/.pwd.lock "), overlayEntries);
    assertEquals(overlayEntries.replaceAll(".* etc/\\.pwd\\.lock .*\n", ""), lines(copied.entries()));

    Path work = WorkDirs.newDir("debian-apply");
    Path baseTar = work.resolve("base.tar");
    Cmd.of("tar", "--numeric-owner", "--xattrs", "--xattrs-include=user.*", "-C", base.toString(), "-cf",
        baseTar.toString(), ".").run().checkSuccess();
    String image = work.resolve("image").toString();
    Cmd.of("umoci", "init", "--layout", image).run().checkSuccess();
    Cmd.of("umoci", "new", "--image", image + ":t").run().checkSuccess();
    Cmd.of("umoci", "raw", "add-layer", "--image", image + ":t", baseTar.toString()).run().checkSuccess();
    Cmd.of("umoci", "raw", "add-layer", "--image", image + ":t", overlay.layer().tar().toString()).run()
        .checkSuccess();
    Path bundle = work.resolve("bundle");
    Cmd.of("umoci", "unpack", "--image", image + ":t", bundle.toString()).run().checkSuccess();
    Path merged = work.resolve("merged");
    Files.createDirectories(merged);
    Cmd.of("mount", "-t", "overlay", "overlay", "-o", "ro,userxattr,lowerdir=" + overlay.changes() + ":" + base,
        merged.toString()).run().checkSuccess();
    try {
      // the layer's times are clamped, so only contents, modes, owners, links and xattrs compare
      TreeComparator.assertEqualTrees(merged, bundle.resolve("rootfs"),
          TreeComparator.Options.defaults().compareHardlinks().ignoreRootMetadata());
    } finally {
      Cmd.of("umount", merged.toString()).run().checkSuccess();
    }
  }

  private static String lines(List<LayerEntries.Entry> entries) {
    StringBuilder sb = new StringBuilder();
    for (LayerEntries.Entry e : entries) {
      sb.append(e).append(' ').append(e.mtime()).append(' ').append(e.size()).append(' ').append(e.xattrs().keySet())
          .append('\n');
    }
    return sb.toString();
  }
}
