package io.github.ostree4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ostree4j.testing.CmdResult;
import io.github.ostree4j.testing.LocalRegistry;
import io.github.ostree4j.testing.OstreeCli;
import io.github.ostree4j.testing.Peers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Kill -9 of {@code ostree4j upgrade} (a separate JVM) at random points, again and again: after
 * every kill the real {@code ostree admin status} works, the default boot entry's kernel,
 * initramfs and deployment exist, ostree fsck is clean, and running the upgrade again completes.
 *
 * <p>Half of the kills fall anywhere in the run (mostly the download), the other half at a
 * random point after the download, where the deployment is written and switched to.
 */
class UpgradeKillIT {

  private static final int KILLS = 12;
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void killedUpgradesNeverLeaveTheNodeUnbootable() throws Exception {
    Peers.require("ostree");
    Peers.requireRoot("sysroot repositories are in mode bare");
    Path work = ItFixtures.newDir("upgrade-kill");
    Path sysroot = work.resolve("sysroot");
    NodeImages images = new NodeImages(work);
    // two versions, different in a large layer and in many small files
    String[] layouts = {"oci:" + work.resolve("a") + ":1", "oci:" + work.resolve("b") + ":1"};
    String[] digests = new String[2];
    for (int i = 0; i < 2; i++) {
      images.commit(images.tree("v" + i, true, 6 << 20, 1500), "v" + i, true);
      digests[i] = images.encapsulate(layouts[i]);
    }
    long seed = System.nanoTime();
    Random random = new Random(seed);
    try (LocalRegistry registry = LocalRegistry.start()) {
      String tag = "docker://" + registry.host() + "/os/test:stable";
      Ostree4j.ok("copy", "--progress=none", "--dest-tls-verify=false", layouts[0], tag);
      Ostree4j.ok("admin", "init-fs", sysroot.toString());
      Ostree4j.ok("admin", "os-init", "--sysroot=" + sysroot, "testos");
      Ostree4j.ok("rebase", "--sysroot=" + sysroot, "--tls-verify=false", tag);
      int deployed = 0;

      // uninterrupted runs: how long a whole upgrade takes, and the part after the download
      long whole = 0;
      long afterPull = 0;
      for (int i = 0; i < 2; i++) {
        deployed = push(layouts, deployed, tag);
        Child c = new Child(sysroot);
        assertTrue(c.process.waitFor(5, TimeUnit.MINUTES));
        assertEquals(0, c.process.exitValue(), c::output);
        whole = c.elapsed();
        afterPull = whole - c.pulledAt();
        assertEquals(digests[deployed], defaultDigest(sysroot));
      }

      int killed = 0;
      int killedAfterPull = 0;
      List<String> log = new ArrayList<>();
      for (int run = 0; killed < KILLS && run < 3 * KILLS; run++) {
        deployed = push(layouts, deployed, tag);
        boolean target = run % 2 == 1;
        Child c = new Child(sysroot);
        long delay;
        if (target) {
          c.pulled.await(5, TimeUnit.MINUTES);
          delay = (long) (random.nextDouble() * afterPull);
        } else {
          delay = (long) (random.nextDouble() * whole);
        }
        boolean ended = c.process.waitFor(delay, TimeUnit.MILLISECONDS);
        if (!ended) {
          c.process.destroyForcibly();
          c.process.waitFor(1, TimeUnit.MINUTES);
          killed++;
          killedAfterPull += c.pulledAt() >= 0 ? 1 : 0;
        }
        log.add("run " + run + ": " + (target ? "after the download, " : "") + "delay " + delay
            + " ms, " + (ended ? "finished" : "killed at " + c.elapsed() + " ms") + ", "
            + leftovers(sysroot));
        String context = "seed " + seed + ", " + log;

        CmdResult st = OstreeCli.tryRun("admin", "status", "--sysroot=" + sysroot);
        assertEquals(0, st.exitCode(), () -> context + "\n" + st);
        SysrootChecks.assertDefaultEntryBootable(sysroot);
        SysrootChecks.assertFsckClean(sysroot);
        assertEquals(SysrootChecks.ostreeStatus(sysroot), SysrootChecks.ourStatus(sysroot), context);

        Ostree4j.ok("upgrade", "--sysroot=" + sysroot, "--tls-verify=false");
        assertEquals(digests[deployed], defaultDigest(sysroot), context);
        SysrootChecks.assertConsistent(sysroot);
      }
      System.out.println("upgrade kill runs (seed " + seed + ", whole run " + whole
          + " ms, after the download " + afterPull + " ms):\n  " + String.join("\n  ", log));
      assertEquals(KILLS, killed, "runs killed mid-way: seed " + seed + ", " + log);
      assertTrue(killedAfterPull >= KILLS / 3, "kills after the download: seed " + seed + ", " + log);
    }
  }

  /** Pushes the version that is not deployed under the tag; returns its index. */
  private static int push(String[] layouts, int deployed, String tag) {
    int next = 1 - deployed;
    Ostree4j.ok("copy", "--progress=none", "--dest-tls-verify=false", layouts[next], tag);
    return next;
  }

  /** {@code ostree4j upgrade} in its own JVM, noting when the download is done. */
  private static final class Child {
    final Process process;
    final long start = System.nanoTime();
    final CountDownLatch pulled = new CountDownLatch(1);
    final StringBuffer out = new StringBuffer();
    volatile long pulledAt = -1;

    Child(Path sysroot) throws IOException {
      String jar = System.getProperty("ostree4j.jar");
      String cp = jar != null && Files.isRegularFile(Path.of(jar)) ? jar
          : System.getProperty("java.class.path");
      process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", cp, "io.github.ostree4j.cli.Main", "upgrade", "--sysroot=" + sysroot,
          "--tls-verify=false").redirectErrorStream(true).start();
      Thread t = new Thread(this::read, "upgrade-output");
      t.setDaemon(true);
      t.start();
    }

    private void read() {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          out.append(line).append('\n');
          if (line.startsWith("Fetched ") || line.contains("is already present")) {
            pulledAt = elapsed();
            pulled.countDown();
          }
        }
      } catch (IOException e) {
        // killed
      }
      pulled.countDown();
    }

    long elapsed() {
      return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    long pulledAt() {
      return pulledAt;
    }

    String output() {
      return out.toString();
    }
  }

  /** What a kill left: deployment directories beyond the entries, a pulled image not deployed. */
  private static String leftovers(Path sysroot) throws Exception {
    long dirs;
    try (Stream<Path> s = Files.list(sysroot.resolve("ostree/deploy/testos/deploy"))) {
      dirs = s.filter(Files::isDirectory).count();
    }
    int entries = SysrootChecks.ostreeStatus(sysroot).size();
    boolean pulled = !JSON.readTree(Ostree4j.ok("status", "--json", "--sysroot=" + sysroot)
        .stdout()).at("/status/booted/cachedUpdate").isNull();
    return dirs + " deployment dirs for " + entries + " entries" + (pulled ? ", image pulled" : "");
  }

  private static String defaultDigest(Path sysroot) throws Exception {
    return JSON.readTree(Ostree4j.ok("status", "--json", "--sysroot=" + sysroot).stdout())
        .at("/status/booted/image/imageDigest").asText();
  }
}
