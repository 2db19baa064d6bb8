package io.github.ostree4j.build.internal;

import io.github.ostree4j.testing.Cmd;
import io.github.ostree4j.testing.Peers;
import io.github.ostree4j.testing.TreeComparator;
import io.github.ostree4j.testing.WorkDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The layer means what the step did: umoci, unpacking an image made of the base (tarred by GNU
 * tar) and the captured layer, gives the same tree as the kernel's overlay of the change tree on
 * the base (contents, modes, owners, user xattrs, hard links, file times to the second).
 */
class LayerApplyIT {

  @BeforeEach
  void peers() {
    Steps.requirePeers();
    Peers.require("umoci");
    Peers.require("tar");
    Peers.require("setfattr");
  }

  @ParameterizedTest(name = "overlay={0}")
  @ValueSource(booleans = {true, false})
  void umociUnpackEqualsOverlayView(boolean overlay) throws Exception {
    Path base = Steps.base();
    Cmd.of("setfattr", "-n", "user.note", "-v", "base", base.resolve("data/keep").toString()).run().checkSuccess();
    String longName = "n".repeat(120);
    String script = "echo new > /data/new && echo more >> /data/keep && rm /data/old && rm -rf /data/dir"
        + " && mkdir /data/dir && echo z > /data/dir/z && chmod 4755 /data/mode && chown 1000:10 /data/owner"
        + " && ln /data/new /data/new2 && ln -s ../data/new /data/sym && mkdir -p /deep/" + longName
        + " && echo long > /deep/" + longName + "/" + longName + " && ln -s /deep/" + longName + "/" + longName
        + " /deep/longlink && touch -d @1000000000 /data/new && rm /bin/vi && mkfifo /data/fifo";
    Steps.Ran ran = Steps.run(List.of(base), overlay, script);
    if (ran.result().exitCode() != 0) {
      throw new AssertionError(ran.output());
    }

    Path work = WorkDirs.newDir("apply");
    Path baseTar = work.resolve("base.tar");
    Cmd.of("tar", "--numeric-owner", "--xattrs", "--xattrs-include=user.*", "-C", base.toString(), "-cf",
        baseTar.toString(), ".").run().checkSuccess();
    String image = work.resolve("image").toString();
    Cmd.of("umoci", "init", "--layout", image).run().checkSuccess();
    Cmd.of("umoci", "new", "--image", image + ":t").run().checkSuccess();
    Cmd.of("umoci", "raw", "add-layer", "--image", image + ":t", baseTar.toString()).run().checkSuccess();
    Cmd.of("umoci", "raw", "add-layer", "--image", image + ":t", ran.layer().tar().toString()).run().checkSuccess();
    Path bundle = work.resolve("bundle");
    Cmd.of("umoci", "unpack", "--image", image + ":t", bundle.toString()).run().checkSuccess();

    Path merged = work.resolve("merged");
    Files.createDirectories(merged);
    Cmd.of("mount", "-t", "overlay", "overlay", "-o",
        "ro,userxattr,lowerdir=" + ran.changes() + ":" + base, merged.toString()).run().checkSuccess();
    try {
      TreeComparator.assertEqualTrees(merged, bundle.resolve("rootfs"),
          TreeComparator.Options.defaults().compareHardlinks().compareFileMtimes().ignoreRootMetadata());
    } finally {
      Cmd.of("umount", merged.toString()).run().checkSuccess();
    }
  }
}
