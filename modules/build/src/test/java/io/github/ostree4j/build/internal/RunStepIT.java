package io.github.ostree4j.build.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ostree4j.testing.Cmd;
import io.github.ostree4j.testing.Peers;
import io.github.ostree4j.testing.WorkDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One RUN step through real runc, on overlayfs and on the copy-and-diff fallback: the layer holds
 * exactly the step's changes, with whiteouts and opaque directories, and nothing of the mount
 * points or host files the container had.
 */
class RunStepIT {

  @BeforeEach
  void peers() {
    Steps.requirePeers();
  }

  @ParameterizedTest(name = "overlay={0}")
  @ValueSource(booleans = {true, false})
  void createdModifiedAndDeletedFilesAndDirectories(boolean overlay) throws Exception {
    Path base = Steps.base();
    Steps.Ran ran = Steps.run(List.of(base), overlay,
        "echo new > /data/new && echo more >> /data/keep && rm /data/old && rm -rf /data/dir && mkdir -p /a/b");
    assertEquals(0, ran.result().exitCode(), ran.output());
    assertEquals(List.of("a/", "a/b/", "data/", "data/.wh.dir", "data/.wh.old", "data/keep", "data/new"),
        ran.names());
    Map<String, LayerEntries.Entry> e = LayerEntries.byName(ran.layer().tar());
    assertEquals("keep\nmore\n", e.get("data/keep").content());
    assertEquals("new\n", e.get("data/new").content());
    assertEquals('0', e.get("data/.wh.old").type());
    assertEquals(0, e.get("data/.wh.old").size());
    assertFalse(ran.layer().empty());
    assertEquals(Files.size(ran.layer().tar()), ran.layer().size());
    String sha = Cmd.of("sha256sum", ran.layer().tar().toString()).run().checkSuccess().stdout().split(" ")[0];
    assertEquals("sha256:" + sha, ran.layer().diffId().toString());
  }

  @ParameterizedTest(name = "overlay={0}")
  @ValueSource(booleans = {true, false})
  void directoryRemovedAndMadeAgainIsOpaque(boolean overlay) throws Exception {
    Path base = Steps.base();
    Steps.Ran ran = Steps.run(List.of(base), overlay, "rm -rf /data && mkdir /data && echo y > /data/y");
    assertEquals(List.of("data/", "data/.wh..wh..opq", "data/y"), ran.names());
    assertTrue(ChangeTreeFormat.isOpaque(ran.changes().resolve("data")));
  }

  @ParameterizedTest(name = "overlay={0}")
  @ValueSource(booleans = {true, false})
  void permissionAndOwnerChanges(boolean overlay) throws Exception {
    Path base = Steps.base();
    Steps.Ran ran = Steps.run(List.of(base), overlay,
        "chmod 4750 /data/mode && chown 1000:10 /data/owner && mkdir /shared && chmod 1777 /shared"
            + " && mkdir /g && chmod 2755 /g");
    Map<String, LayerEntries.Entry> e = LayerEntries.byName(ran.layer().tar());
    assertEquals(List.of("data/", "data/mode", "data/owner", "g/", "shared/"), List.copyOf(e.keySet()));
    assertEquals(04750, e.get("data/mode").mode());
    assertEquals("mode\n", e.get("data/mode").content());
    assertEquals(1000, e.get("data/owner").uid());
    assertEquals(10, e.get("data/owner").gid());
    assertEquals(0644, e.get("data/owner").mode());
    assertEquals(01777, e.get("shared/").mode());
    assertEquals(02755, e.get("g/").mode());
  }

  @ParameterizedTest(name = "overlay={0}")
  @ValueSource(booleans = {true, false})
  void hardLinksAndSymlinks(boolean overlay) throws Exception {
    Path base = Steps.base();
    Steps.Ran ran = Steps.run(List.of(base), overlay,
        "echo h > /h1 && ln /h1 /h2 && ln -s /h1 /sym && ln /data/keep /data/keep2");
    Map<String, LayerEntries.Entry> e = LayerEntries.byName(ran.layer().tar());
    assertEquals(List.of("data/", "data/keep", "data/keep2", "h1", "h2", "sym"), List.copyOf(e.keySet()));
    assertEquals('0', e.get("h1").type());
    assertEquals("h\n", e.get("h1").content());
    assertEquals('1', e.get("h2").type());
    assertEquals("h1", e.get("h2").link());
    assertEquals('1', e.get("data/keep2").type());
    assertEquals("data/keep", e.get("data/keep2").link());
    assertEquals('2', e.get("sym").type());
    assertEquals("/h1", e.get("sym").link());
  }

  @Test
  void failingCommandReportsExitCodeAndOutputTail() throws Exception {
    Path base = Steps.base();
    StringBuilder script = new StringBuilder("echo to-stderr >&2; ");
    for (int i = 1; i <= 30; i++) {
      script.append("echo line").append(i).append("; ");
    }
    script.append("exit 3");
    Steps.Ran ran = Steps.run(List.of(base), true, script.toString());
    assertEquals(3, ran.result().exitCode());
    assertFalse(ran.result().succeeded());
    // runc copies the container's stdout and stderr through two pipes of its own, so the order
    // between the two streams is not kept (within each it is): the stderr line may be anywhere
    List<String> tail = ran.result().outputTail().lines().filter(l -> !l.equals("to-stderr")).toList();
    List<String> expected = new java.util.ArrayList<>();
    for (int i = 30 - tail.size() + 1; i <= 30; i++) {
      expected.add("line" + i);
    }
    assertEquals(expected, tail);
    assertTrue(tail.size() >= RuncRunner.TAIL_LINES - 1, ran.result().outputTail());
    assertEquals(RuncRunner.TAIL_LINES, ran.result().outputTail().lines().count(), ran.result().outputTail());
    List<String> all = ran.output().lines().filter(l -> !l.equals("to-stderr")).toList();
    assertEquals(30, all.size(), ran.output());
    assertEquals("line1", all.get(0));
    assertTrue(ran.output().contains("to-stderr\n"), ran.output());
  }

  @Test
  void environmentWorkingDirectoryAndUserApply() throws Exception {
    Path base = Steps.base();
    UserResolver.ResolvedUser u = UserResolver.resolve(base, "builder");
    RunSpec spec = new RunSpec(List.of("/bin/sh", "-c", "echo \"$FOO|$PATH\"; pwd; id -u; id -g; id -G; hostname"),
        List.of("FOO=bar baz"), "/srv/app", u.uid(), u.gid(), u.additionalGids(), true, List.of(), "stephost");
    Steps.Ran ran = Steps.run(List.of(base), true, spec, OptionalLong.empty());
    assertEquals(0, ran.result().exitCode(), ran.output());
    assertEquals(List.of("bar baz|" + RuntimeConfig.DEFAULT_PATH.substring(5), "/srv/app", "1000", "1000",
        "1000 10 50", "stephost"), ran.output().lines().toList());
    // the missing working directory was created, as buildah does, and is part of the step
    assertEquals(List.of("srv/", "srv/app/"), ran.names());
  }

  @ParameterizedTest(name = "overlay={0}")
  @ValueSource(booleans = {true, false})
  void hostNetworkFilesAreVisibleButNeverCaptured(boolean overlay) throws Exception {
    Path base = Steps.base();
    Files.writeString(base.resolve("etc/hosts"), "10.9.9.9 from-base\n");
    String script = "cat /etc/resolv.conf; cat /etc/hosts; (echo x > /etc/resolv.conf) 2>/dev/null || echo resolv-ro;"
        + " (echo x >> /etc/hosts) 2>/dev/null || echo hosts-ro; ls / | tr '\\n' ' '";
    Steps.Ran ran = Steps.run(List.of(base), overlay, script);
    assertEquals(0, ran.result().exitCode(), ran.output());
    String hostResolv = Files.readString(Path.of("/etc/resolv.conf"));
    assertTrue(ran.output().startsWith(hostResolv), ran.output());
    assertTrue(ran.output().contains(Files.readString(Path.of("/etc/hosts"))), ran.output());
    assertFalse(ran.output().contains("from-base"), ran.output());
    assertTrue(ran.output().contains("resolv-ro") && ran.output().contains("hosts-ro"), ran.output());
    assertTrue(ran.output().contains("proc") && ran.output().contains("sys"), ran.output());
    assertEquals(List.of(), ran.names());
    assertTrue(ran.layer().empty());
    assertEquals(1024, ran.layer().size());
    assertEquals("10.9.9.9 from-base\n", Files.readString(base.resolve("etc/hosts")));
    assertFalse(Files.exists(base.resolve("etc/resolv.conf")));
  }

  @Test
  void ownNetworkNamespaceWithoutHostNetwork() throws Exception {
    Path base = Steps.base();
    RunSpec spec = new RunSpec(List.of("/bin/sh", "-c", "ls /sys/class/net"),
        List.of(), "/", 0, 0, List.of(), false, List.of(), null);
    Steps.Ran ran = Steps.run(List.of(base), true, spec, OptionalLong.empty());
    assertEquals(List.of("lo"), ran.output().lines().toList());
    assertTrue(ran.layer().empty());
  }

  @ParameterizedTest(name = "overlay={0}")
  @ValueSource(booleans = {true, false})
  void stepMountsAreNotChanges(boolean overlay) throws Exception {
    Path base = Steps.base();
    Path src = WorkDirs.newDir("src");
    Files.writeString(src.resolve("f"), "from host\n");
    Path single = src.resolve("single");
    Files.writeString(single, "single file\n");
    RunSpec spec = new RunSpec(List.of("/bin/sh", "-c",
        "cat /src/f > /copied && cat /etc/app/conf >> /copied && echo y > /var/cache/apt/y"
            + " && (echo z 2>/dev/null > /src/z || echo src-ro) && ls /var/cache/apt"),
        List.of(), "/", 0, 0, List.of(), true,
        List.of(new MountPoint(MountPoint.Kind.BIND, src, "/src", List.of("ro")),
            new MountPoint(MountPoint.Kind.BIND, single, "/etc/app/conf", List.of("ro")),
            new MountPoint(MountPoint.Kind.TMPFS, null, "/var/cache/apt", List.of("size=1m"))),
        null);
    Steps.Ran ran = Steps.run(List.of(base), overlay, spec, OptionalLong.empty());
    assertEquals(0, ran.result().exitCode(), ran.output());
    assertEquals(List.of("src-ro", "y"), ran.output().lines().toList());
    assertEquals(List.of("copied"), ran.names());
    assertEquals("from host\nsingle file\n", LayerEntries.byName(ran.layer().tar()).get("copied").content());
    assertFalse(Files.exists(src.resolve("z")));
  }

  @ParameterizedTest(name = "overlay={0}")
  @ValueSource(booleans = {true, false})
  void userXattrsAndFileCapabilitiesOfChangedFiles(boolean overlay) throws Exception {
    Peers.require("setfattr");
    Path base = Steps.base();
    Cmd.of("setfattr", "-n", "user.note", "-v", "kept", base.resolve("data/mode").toString()).run().checkSuccess();
    // cap_net_raw+ep, as setcap writes it (VFS_CAP_REVISION_2)
    String cap = "0x0100000200200000000000000000000000000000";
    Cmd.of("setfattr", "-n", "security.capability", "-v", cap, base.resolve("data/keep").toString())
        .run().checkSuccess();
    Steps.Ran ran = Steps.run(List.of(base), overlay, "chmod 600 /data/mode && chmod 700 /data/keep");
    Map<String, LayerEntries.Entry> e = LayerEntries.byName(ran.layer().tar());
    assertEquals(Map.of("user.note", "kept"), e.get("data/mode").xattrs());
    if (overlay) {
      // overlayfs copies every xattr up; the JDK-only copy of the fallback keeps user.* alone
      assertEquals(List.of("security.capability"), List.copyOf(e.get("data/keep").xattrs().keySet()));
      Path out = WorkDirs.newDir("x");
      Cmd.of("tar", "--xattrs", "--xattrs-include=*", "-xpf", ran.layer().tar().toString(), "-C", out.toString())
          .run().checkSuccess();
      String dump = Cmd.of("getfattr", "-n", "security.capability", "-e", "hex", out.resolve("data/keep").toString())
          .run().checkSuccess().stdout();
      assertTrue(dump.contains("security.capability=" + cap), dump);
    }
  }

  @Test
  void fallbackGivesTheSameLayerAsOverlay() throws Exception {
    Path base = Steps.base();
    String script = "echo new > /data/new && echo more >> /data/keep && rm /data/old && rm -rf /data/dir/sub"
        + " && rm -rf /data/dir && mkdir /data/dir && echo z > /data/dir/z && chmod 4755 /data/mode"
        + " && chown 1000:1000 /data/owner && ln /data/new /data/new2 && ln -s ../data/new /data/sym"
        + " && mkdir -p /deep/er/still && touch /deep/er/still/f && mkfifo /data/fifo";
    OptionalLong clamp = OptionalLong.of(1_000_000_000L);
    Steps.Ran o = Steps.run(List.of(base), true, Steps.sh(script), clamp);
    Steps.Ran c = Steps.run(List.of(base), false, Steps.sh(script), clamp);
    assertEquals(0, o.result().exitCode(), o.output());
    assertEquals(o.entries().toString(), c.entries().toString());
    assertEquals(o.layer().diffId(), c.layer().diffId());
    assertArrayEquals(Files.readAllBytes(o.layer().tar()), Files.readAllBytes(c.layer().tar()));
    assertTrue(o.names().contains("data/fifo") && o.names().contains("data/dir/.wh..wh..opq"), o.names().toString());
  }

  @ParameterizedTest(name = "overlay={0}")
  @ValueSource(booleans = {true, false})
  void clampMakesRunsReproducible(boolean overlay) throws Exception {
    Path base = Steps.base();
    String script = "cat /proc/sys/kernel/random/uuid > /stamp && mkdir /d && touch -d @1234 /d/old && touch /d/new";
    Steps.Ran first = Steps.run(List.of(base), overlay, Steps.sh(script), OptionalLong.of(5000));
    Thread.sleep(1100);
    Steps.Ran second = Steps.run(List.of(base), overlay, Steps.sh(script), OptionalLong.of(5000));
    assertNotEquals(LayerEntries.byName(first.layer().tar()).get("stamp").content(),
        LayerEntries.byName(second.layer().tar()).get("stamp").content());
    Map<String, LayerEntries.Entry> e = LayerEntries.byName(first.layer().tar());
    assertEquals(1234, e.get("d/old").mtime());
    assertEquals(5000, e.get("d/new").mtime());
    assertEquals(5000, e.get("d/").mtime());
    Steps.Ran again = Steps.run(List.of(base), overlay, Steps.sh("echo same > /f && mkdir /d2"), OptionalLong.of(5000));
    Thread.sleep(1100);
    Steps.Ran again2 = Steps.run(List.of(base), overlay, Steps.sh("echo same > /f && mkdir /d2"), OptionalLong.of(5000));
    assertEquals(again.layer().diffId(), again2.layer().diffId());
    Steps.Ran unclamped = Steps.run(List.of(base), overlay, Steps.sh("echo same > /f && mkdir /d2"), OptionalLong.empty());
    assertNotEquals(again.layer().diffId(), unclamped.layer().diffId());
  }

  @ParameterizedTest(name = "overlay={0}")
  @ValueSource(booleans = {true, false})
  void mountPointsAppearOnlyOnceNeededAndTheirDeletionIsNoChange(boolean overlay) throws Exception {
    Path base = Steps.base();
    Path dir = WorkDirs.newDir("targets");
    try (StepFilesystem fs = StepFilesystem.create(List.of(base), dir.resolve("step"), overlay)) {
      // a step that only copies files (or a view of the lowers) shows the lowers and nothing else
      try (var s = Files.list(fs.root())) {
        assertEquals(List.of("bin", "data", "etc", "root", "tmp"),
            s.map(p -> p.getFileName().toString()).sorted().toList());
      }
      assertFalse(Files.exists(fs.root().resolve("etc/hosts")));
      assertEquals(0, fs.run(Steps.sh("true"), new java.io.ByteArrayOutputStream()).exitCode());
      assertTrue(Files.isDirectory(fs.root().resolve("proc")));
      // deleting a mount point afterwards (a clean-up of the root) deletes nothing of the image
      Files.delete(fs.root().resolve("proc"));
      LayerCapture c = fs.capture(dir.resolve("layer.tar"), OptionalLong.empty());
      assertEquals(List.of(), LayerEntries.names(c.tar()));
    }
  }

  @Test
  void emptyStepGivesAnEmptyLayer() throws Exception {
    Steps.Ran ran = Steps.run(List.of(Steps.base()), true, "true");
    assertTrue(ran.layer().empty());
    assertEquals(List.of(), ran.names());
    assertEquals(1024, ran.layer().size());
  }
}
