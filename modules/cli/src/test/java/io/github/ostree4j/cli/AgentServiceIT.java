package io.github.ostree4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.ostree4j.testing.LocalRegistry;
import io.github.ostree4j.testing.Peers;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The long-running agent ({@code java -jar ostree4j.jar agent}, a child process polling every
 * second) meets a malformed drop-in, an unknown strategy, a registry that goes down and a
 * FleetLock server nobody listens on: each is one clear log line, nothing is rebooted, the state
 * file stays intact, the agent keeps running, and SIGTERM stops it cleanly.
 */
class AgentServiceIT {

  private static final Duration WAIT = Duration.ofSeconds(60);

  private Path work;
  private Path sysroot;
  private Path configDir;
  private Path reboots;
  private Path logFile;
  private Process agent;

  @BeforeEach
  void setUp() throws IOException {
    Peers.require("ostree");
    Peers.requireRoot("sysroot repositories are in mode bare");
    work = ItFixtures.newDir("agent-service");
    sysroot = work.resolve("sysroot");
    Ostree4j.ok("admin", "init-fs", sysroot.toString());
    Ostree4j.ok("admin", "os-init", "--sysroot=" + sysroot, "testos");
    configDir = Files.createDirectories(work.resolve("config.d"));
    reboots = work.resolve("reboots.log");
    logFile = work.resolve("agent.log");
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    if (agent != null && agent.isAlive()) {
      agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private AgentLog log() throws IOException {
    return AgentLog.of(Files.readString(logFile, StandardCharsets.UTF_8));
  }

  /** Waits for the {@code n}-th (1-based) event matching, counting from the start of the log. */
  private Map<String, String> await(int n, String event, Predicate<Map<String, String>> match)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      List<Map<String, String>> hits = log().named(event).stream().filter(match).toList();
      if (hits.size() >= n) {
        return hits.get(n - 1);
      }
      assertTrue(agent.isAlive(), () -> "the agent exited (" + agent.exitValue() + "):\n" + logText());
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no event=" + event + " #" + n + " within " + WAIT + ":\n" + logText());
      }
      Thread.sleep(100);
    }
  }

  private Map<String, String> await(String event, Predicate<Map<String, String>> match)
      throws IOException, InterruptedException {
    return await(log().named(event).stream().filter(match).toList().size() + 1, event, match);
  }

  private String logText() {
    try {
      return Files.readString(logFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return e.toString();
    }
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void keepsRunningThroughBadConfigRegistryOutageAndUnreachableLockServer() throws Exception {
    String jar = System.getProperty("ostree4j.jar");
    Assumptions.assumeTrue(jar != null && Files.isRegularFile(Path.of(jar)),
        "the shaded ostree4j.jar is built by 'mvn package'");
    NodeImages images = new NodeImages(work);
    try (LocalRegistry registry = LocalRegistry.start()) {
      String tag = registry.host() + "/os/test:stable";
      String v1 = images.bootable("1", "docker://" + tag, "--tls-verify=false");
      Ostree4j.ok("rebase", "--sysroot=" + sysroot, "--tls-verify=false", "ostree-unverified-registry:" + tag);
      List<String> d1 = SysrootChecks.assertConsistent(sysroot);
      int port = closedPort();
      String lockUrl = "http://127.0.0.1:" + port + "/";
      Path recorder = AgentIT.recorder(work, reboots);
      Files.writeString(configDir.resolve("10-agent.toml"), "[updates]\nstrategy = \"fleet_lock\"\n"
          + "[updates.fleet_lock]\nbase_url = " + AgentIT.toml(lockUrl) + "\n"
          + "[identity]\nnode_uuid = " + AgentIT.toml(AgentIT.NODE_ID) + "\n"
          + "[agent]\npoll_interval_seconds = 1\nreboot_command = [" + AgentIT.toml(recorder.toString()) + "]\n");

      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      agent = new ProcessBuilder(java, "-jar", jar, "agent", "--sysroot=" + sysroot,
          "--config-dir=" + configDir, "--tls-verify=false")
          .redirectOutput(work.resolve("agent.out").toFile())
          .redirectError(logFile.toFile())
          .start();
      await(1, "started", e -> true);
      assertEquals(v1, await(1, "no-update", e -> true).get("digest"));

      // a malformed drop-in: the last good configuration is kept
      Path bad = configDir.resolve("20-bad.toml");
      Files.writeString(bad, "[updates]\nenabled = tru\n");
      Map<String, String> invalid = await(1, "config-invalid", e -> true);
      assertEquals("error", invalid.get("level"));
      assertEquals(bad.toString(), invalid.get("file"));
      assertEquals("not valid TOML: line 2, column 11: Unknown token", invalid.get("reason"));
      Map<String, String> kept = await(1, "config-kept", e -> true);
      assertEquals("fleet_lock", kept.get("strategy"));
      assertEquals(configDir.resolve("10-agent.toml").toString(), kept.get("files"));

      // an unknown strategy
      Files.writeString(bad, "[updates]\nstrategy = \"sometimes\"\n");
      invalid = await(1, "config-invalid", e -> "updates.strategy".equals(e.get("key")));
      assertEquals(bad.toString(), invalid.get("file"));
      assertEquals("unknown strategy 'sometimes' (immediate, periodic or fleet_lock)", invalid.get("reason"));
      Files.delete(bad);
      await("config-loaded", e -> true);

      // the registry goes down, then comes back
      registry.stop();
      Map<String, String> failed = await(1, "check-failed", e -> true);
      assertEquals("error", failed.get("level"));
      assertTrue(failed.get("reason").startsWith("reading the manifest of docker://" + tag + ": "), failed::toString);
      registry.restart();
      await("no-update", e -> true);

      // v2 is staged; the FleetLock server is unreachable: no reboot, asked again next cycle
      String v2 = images.bootable("2", "docker://" + tag, "--tls-verify=false");
      Map<String, String> staged = await(1, "update-staged", e -> true);
      assertEquals(v2, staged.get("digest"));
      Map<String, String> unreachable = await(1, "lock-request-failed", e -> true);
      assertEquals(lockUrl + "v1/pre-reboot", unreachable.get("url"));
      assertEquals("POST " + lockUrl + "v1/pre-reboot: connection refused", unreachable.get("reason"));
      await(2, "lock-request-failed", e -> true);
      assertEquals(1, log().named("update-staged").size(), "staged once, not downloaded again");
      assertTrue(log().named("reboot").isEmpty());
      assertFalse(Files.exists(reboots), "no reboot");
      assertTrue(agent.isAlive());

      // SIGTERM: a clean stop
      agent.destroy();
      assertTrue(agent.waitFor(60, TimeUnit.SECONDS), "stopped within a minute");
      assertEquals(143, agent.exitValue(), "terminated by SIGTERM");
      AgentLog all = log();
      assertEquals("stopped", all.names().get(all.names().size() - 1), logText());
      for (Map<String, String> e : all.all()) {
        assertTrue(List.of("info", "warn", "error").contains(e.get("level")), e::toString);
      }

      // nothing lost: the state records the update and the failures, the sysroot is sound
      JsonNode state = AgentIT.JSON.readTree(
          sysroot.resolve("ostree/deploy/testos/var/lib/ostree4j/agent/state.json").toFile());
      assertEquals(v2, state.at("/lastUpdate/digest").asText());
      assertTrue(state.at("/counters/lockErrors").asInt() >= 2, state::toString);
      assertTrue(state.at("/counters/checkErrors").asInt() >= 1, state::toString);
      assertTrue(state.path("fleetLock").isMissingNode(), "no slot held");
      assertTrue(state.path("reboot").isMissingNode(), "no reboot requested");
      List<String> d2 = SysrootChecks.assertConsistent(sysroot);
      assertEquals(List.of(d2.get(0), d1.get(0)), d2);
      JsonNode st = AgentIT.JSON.readTree(Ostree4j.ok("agent", "--status", "--json",
          "--sysroot=" + sysroot, "--config-dir=" + configDir).stdout());
      assertTrue(st.get("pendingReboot").asBoolean());
      assertEquals(v1, st.at("/running/digest").asText());
      assertEquals(v2, st.at("/staged/digest").asText());
    }
  }
}
