package io.github.ostree4j.build.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ostree4j.testing.OstreeCli;
import io.github.ostree4j.testing.Peers;
import io.github.ostree4j.testing.WorkDirs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Steps on top of steps: the change trees of earlier steps (from either path) serve as lower
 * layers with their whiteouts and opaque directories, also 40+ of them, and the base, a hard-link
 * checkout of an ostree repository, is never touched.
 */
class StackedStepsIT {

  @BeforeEach
  void peers() {
    Steps.requirePeers();
  }

  @ParameterizedTest(name = "first overlay={0}, second overlay={1}")
  @CsvSource({"true,true", "false,false", "false,true", "true,false"})
  void laterStepSeesEarlierChangesAndDeletions(boolean firstOverlay, boolean secondOverlay) throws Exception {
    Path base = Steps.base();
    Steps.Ran first = Steps.run(List.of(base), firstOverlay,
        "mkdir /s1 && echo s1 > /s1/file && rm /data/old && rm -rf /data/dir && mkdir /data/dir"
            + " && echo n > /data/dir/n");
    assertEquals(List.of("data/", "data/.wh.old", "data/dir/", "data/dir/.wh..wh..opq", "data/dir/n", "s1/",
        "s1/file"), first.names());
    Steps.Ran second = Steps.run(List.of(first.changes(), base), secondOverlay,
        "cat /s1/file; test -e /data/old || echo old-gone; ls /data/dir; echo two >> /s1/file; rm /data/dir/n;"
            + " cat /data/keep");
    assertEquals(List.of("s1", "old-gone", "n", "keep"), second.output().lines().toList());
    assertEquals(List.of("data/", "data/dir/", "data/dir/.wh.n", "s1/", "s1/file"), second.names());
    assertEquals("s1\ntwo\n", LayerEntries.byName(second.layer().tar()).get("s1/file").content());
  }

  @Test
  void fortyFiveLowerLayers() throws Exception {
    Path base = Steps.base();
    List<Path> lowers = new ArrayList<>();
    lowers.add(base);
    int steps = 45;
    for (int i = 0; i < steps; i++) {
      String script = "echo " + i + " > /f" + i + (i == 20 ? " && rm /f3 && rm -rf /data" : "");
      Steps.Ran ran = Steps.run(List.copyOf(lowers), true, script);
      assertEquals(0, ran.result().exitCode(), ran.output());
      lowers.add(0, ran.changes());
    }
    assertEquals(steps + 1, lowers.size());
    String check = "ls / | grep -c '^f'; cat /f0 /f44; test -e /f3 || echo f3-gone; test -e /data || echo data-gone";
    Steps.Ran last = Steps.run(List.copyOf(lowers), true, check);
    assertEquals(List.of("44", "0", "44", "f3-gone", "data-gone"), last.output().lines().toList());
    assertTrue(last.layer().empty());
    Steps.Ran copied = Steps.run(List.copyOf(lowers), false, check);
    assertEquals(last.output(), copied.output());
    assertTrue(copied.layer().empty());
  }

  @Test
  void hardlinkCheckoutOfTheBaseStaysIntact() throws Exception {
    OstreeCli.executable();
    Peers.require("setfattr");
    Path work = WorkDirs.newDir("ostree-base");
    Path repo = work.resolve("repo");
    OstreeCli.init(repo, "bare");
    Path tree = BusyboxRootfs.create(work.resolve("tree"));
    Files.writeString(tree.resolve("data/same1"), "same\n");
    Files.writeString(tree.resolve("data/same2"), "same\n");
    OstreeCli.run("--repo=" + repo, "commit", "--branch=base", "--tree=dir=" + tree);
    Path base = work.resolve("checkout");
    OstreeCli.run("--repo=" + repo, "checkout", "-H", "base", base.toString());
    assertTrue((Integer) Files.getAttribute(base.resolve("data/keep"), "unix:nlink") > 1,
        "the checkout is hard-linked to the repository");
    Map<String, String> before = snapshot(base);

    String script = "echo more >> /data/keep && chmod 4700 /data/mode && chown 1000 /data/owner"
        + " && rm /data/old && rm -rf /data/dir && touch /bin/busybox && ln /data/same1 /data/l"
        + " && echo changed > /data/same1 && mv /etc/passwd /etc/passwd.old && echo x > /etc/group"
        + " && mkdir /data/new && rm -rf /root";
    List<Path> lowers = new ArrayList<>(List.of(base));
    for (boolean overlay : new boolean[] {true, false}) {
      Steps.Ran ran = Steps.run(List.of(base), overlay, script);
      assertEquals(0, ran.result().exitCode(), ran.output());
      assertTrue(ran.names().contains("data/keep"), ran.names().toString());
      lowers.add(0, ran.changes());
    }
    Steps.Ran stacked = Steps.run(List.copyOf(lowers), true, Steps.sh("echo stacked > /stacked"),
        OptionalLong.empty());
    assertEquals(List.of("stacked"), stacked.names());

    assertEquals(before, snapshot(base));
    OstreeCli.run("--repo=" + repo, "fsck");
  }

  /** Per path: inode, links, mode, owner, size, modification and change time, content hash. */
  private static Map<String, String> snapshot(Path root) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Map<String, Object> a = Files.readAttributes(p, "unix:ino,nlink,mode,uid,gid,size,lastModifiedTime,ctime",
            LinkOption.NOFOLLOW_LINKS);
        String content = "";
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          MessageDigest md = MessageDigest.getInstance("SHA-256");
          try (InputStream in = Files.newInputStream(p)) {
            byte[] buf = new byte[65536];
            for (int n; (n = in.read(buf)) > 0; ) {
              md.update(buf, 0, n);
            }
          }
          content = HexFormat.of().formatHex(md.digest());
        } else if (Files.isSymbolicLink(p)) {
          content = Files.readSymbolicLink(p).toString();
        }
        out.put(root.relativize(p).toString(), new TreeMap<>(a) + " " + content);
      }
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }
}
