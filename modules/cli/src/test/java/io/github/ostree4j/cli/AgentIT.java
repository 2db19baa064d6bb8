package io.github.ostree4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ostree4j.testing.FleetLockStub;
import io.github.ostree4j.testing.LocalRegistry;
import io.github.ostree4j.testing.Peers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The update agent end to end, one cycle per {@code agent --once}: a real registry, a sysroot
 * made by the node commands (checked with the real ostree after each change), an in-test
 * FleetLock server and a reboot command that records its calls. The sysroot is not the running
 * system, so the agent's state file says which deployment the node runs: after the reboot command
 * ran, the next cycle runs in the new deployment.
 */
class AgentIT {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String NODE_ID = "e0f3745b108f471cbd4883c6fbed8cdd";

  private Path work;
  private Path sysroot;
  private Path configDir;
  private Path reboots;
  private Path recorder;
  private NodeImages images;

  @BeforeEach
  void setUp() throws IOException {
    Peers.require("ostree");
    Peers.requireRoot("sysroot repositories are in mode bare");
    work = ItFixtures.newDir("agent");
    sysroot = work.resolve("sysroot");
    Ostree4j.ok("admin", "init-fs", sysroot.toString());
    Ostree4j.ok("admin", "os-init", "--sysroot=" + sysroot, "testos");
    images = new NodeImages(work);
    configDir = Files.createDirectories(work.resolve("config.d"));
    reboots = work.resolve("reboots.log");
    recorder = recorder(work, reboots);
  }

  /** A reboot command that appends its arguments to {@code log}. */
  static Path recorder(Path dir, Path log) throws IOException {
    Path script = dir.resolve("record-reboot.sh");
    Files.writeString(script, "#!/bin/sh\necho \"$@\" >> " + log + "\n");
    Files.setAttribute(script, "unix:mode", 0755);
    return script;
  }

  /** The recorded reboot calls. */
  static List<String> calls(Path log) throws IOException {
    return Files.exists(log) ? Files.readAllLines(log) : List.of();
  }

  static String toml(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private void config(String name, String toml) throws IOException {
    Files.writeString(configDir.resolve(name), toml);
  }

  private String agentToml(String strategyPart) {
    return "[updates]\n" + strategyPart + "\n[identity]\ngroup = \"workers\"\nnode_uuid = " + toml(NODE_ID)
        + "\n[agent]\npoll_interval_seconds = 1\nreboot_command = [" + toml(recorder.toString())
        + ", \"reboot\", \"--now\"]\n";
  }

  /** One {@code agent --once}; returns the run (its log lines are on standard error). */
  private Ostree4j.Result once(String... extra) {
    List<String> args = new ArrayList<>(List.of("agent", "--once", "--sysroot=" + sysroot,
        "--config-dir=" + configDir, "--tls-verify=false"));
    args.addAll(List.of(extra));
    return Ostree4j.run(args.toArray(String[]::new));
  }

  private AgentLog onceOk(String... extra) {
    Ostree4j.Result r = once(extra);
    assertEquals(0, r.exitCode(), r::toString);
    assertEquals("", r.stdout());
    return AgentLog.of(r.stderr());
  }

  private JsonNode status(String... extra) throws IOException {
    List<String> args = new ArrayList<>(List.of("agent", "--status", "--json", "--sysroot=" + sysroot,
        "--config-dir=" + configDir));
    args.addAll(List.of(extra));
    return JSON.readTree(Ostree4j.ok(args).stdout());
  }

  private JsonNode stateFile() throws IOException {
    return JSON.readTree(sysroot.resolve("ostree/deploy/testos/var/lib/ostree4j/agent/state.json").toFile());
  }

  private static boolean registryRequests(LocalRegistry registry, int from) {
    List<String> lines = registry.logLines();
    return lines.subList(from, lines.size()).stream().anyMatch(l -> l.matches(".*\"(GET|HEAD) /v2/.*"));
  }

  @Test
  void fleetLockDeniedRetriedGrantedRebootedAndReleased() throws Exception {
    try (LocalRegistry registry = LocalRegistry.start(); FleetLockStub lock = FleetLockStub.start()) {
      String tag = registry.host() + "/os/test:stable";
      String image = "ostree-unverified-registry:" + tag;
      String v1 = images.bootable("1", "docker://" + tag, "--tls-verify=false");
      Ostree4j.ok("rebase", "--sysroot=" + sysroot, "--tls-verify=false", image);
      List<String> d1 = SysrootChecks.assertConsistent(sysroot);
      config("10-agent.toml", agentToml("strategy = \"fleet_lock\"\n[updates.fleet_lock]\nbase_url = "
          + toml(lock.baseUrl() + "fleet/${group}")));

      AgentLog log = onceOk();
      assertEquals(v1, log.one("no-update").get("digest"));
      assertEquals(image, log.one("no-update").get("image"));
      assertEquals(List.of(), lock.requests(), "nothing staged, nothing to ask");

      // v2 under the followed tag: staged, a slot is asked for and denied
      String v2 = images.bootable("2", "docker://" + tag, "--tls-verify=false");
      log = onceOk();
      Map<String, String> staged = log.one("update-staged");
      assertEquals(v2, staged.get("digest"));
      assertEquals("2", staged.get("version"));
      assertEquals(image, staged.get("image"));
      Map<String, String> denied = log.one("lock-denied");
      assertEquals("warn", denied.get("level"));
      assertEquals("409", denied.get("status"));
      assertEquals(FleetLockStub.DENIED_KIND, denied.get("kind"));
      assertEquals(lock.baseUrl() + "fleet/workers/v1/pre-reboot", denied.get("url"));
      assertTrue(log.named("reboot").isEmpty(), log::toString);
      assertEquals(List.of(), calls(reboots), "denied: no reboot");
      List<String> d2 = SysrootChecks.assertConsistent(sysroot);
      assertEquals(List.of(d2.get(0), d1.get(0)), d2, "v2 is the new default, v1 still there");
      assertEquals(1, lock.requests().size());
      FleetLockStub.Request req = lock.requests().get(0);
      assertEquals("POST", req.method());
      assertEquals("/fleet/workers/v1/pre-reboot", req.path());
      assertEquals("true", req.header("fleet-lock-protocol"));
      assertEquals("{\"client_params\":{\"id\":\"" + NODE_ID + "\",\"group\":\"workers\"}}", req.body());
      JsonNode st = status();
      assertTrue(st.get("pendingReboot").asBoolean());
      assertEquals(v1, st.at("/running/digest").asText());
      assertEquals(v2, st.at("/staged/digest").asText());
      assertTrue(st.get("fleetLock").isNull());

      // denied again: asked again, nothing downloaded again
      int mark = registry.logLines().size();
      log = onceOk();
      assertEquals(List.of("config-loaded", "lock-denied"), log.names());
      assertEquals(2, lock.requests("/v1/pre-reboot").size());
      assertEquals(lock.requests().get(0), lock.requests().get(1));
      assertFalse(registryRequests(registry, mark), "a staged update is not checked or fetched again");
      assertEquals(List.of(), calls(reboots));
      assertEquals(d2, SysrootChecks.assertConsistent(sysroot));

      // granted: the reboot command runs
      lock.grant(true);
      log = onceOk();
      assertEquals(List.of("config-loaded", "lock-acquired", "reboot"), log.names());
      assertEquals(d2.get(0).replace(' ', '/'), log.one("reboot").get("deployment"));
      assertEquals(v2, log.one("reboot").get("digest"));
      assertEquals(List.of("reboot --now"), calls(reboots));
      assertEquals(3, lock.requests("/v1/pre-reboot").size());
      assertEquals(List.of(), lock.requests("/v1/steady-state"));
      st = status();
      assertEquals(lock.baseUrl() + "fleet/workers/", st.at("/fleetLock/baseUrl").asText());
      assertEquals(d2.get(0).replace(' ', '/'), st.at("/rebootRequested/deployment").asText());

      // after the "reboot": the slot is released (not while the server fails), then the image is checked again
      lock.failRelease(true);
      Ostree4j.Result failedRelease = once();
      assertEquals(1, failedRelease.exitCode(), failedRelease::toString);
      log = AgentLog.of(failedRelease.stderr());
      assertEquals(List.of("config-loaded", "rebooted", "lock-release-failed"), log.names());
      assertEquals("500", log.one("lock-release-failed").get("status"));
      assertEquals("internal_error", log.one("lock-release-failed").get("kind"));
      assertTrue(status().get("fleetLock").isObject(), "still held");
      lock.failRelease(false);
      log = onceOk();
      assertEquals(List.of("config-loaded", "lock-released", "no-update"), log.names());
      assertEquals(lock.baseUrl() + "fleet/workers/v1/steady-state", log.one("lock-released").get("url"));
      assertEquals(v2, log.one("no-update").get("digest"));
      List<FleetLockStub.Request> released = lock.requests("/v1/steady-state");
      assertEquals(2, released.size(), "one failed, one granted");
      assertEquals("/fleet/workers/v1/steady-state", released.get(1).path());
      assertEquals("true", released.get(1).header("fleet-lock-protocol"));
      assertEquals(req.body(), released.get(1).body());
      assertEquals(3, lock.requests("/v1/pre-reboot").size(), "no slot asked for after the reboot");
      assertEquals(List.of("reboot --now"), calls(reboots), "rebooted once");
      assertEquals(d2, SysrootChecks.assertConsistent(sysroot));

      st = status();
      assertFalse(st.get("pendingReboot").asBoolean());
      assertEquals(v2, st.at("/running/digest").asText());
      assertTrue(st.get("fleetLock").isNull());
      assertEquals("no-update", st.at("/lastCheck/result").asText());
      assertEquals(v2, st.at("/lastUpdate/digest").asText());
      assertEquals("fleet_lock", st.at("/config/strategy").asText());
      assertEquals(configDir.resolve("10-agent.toml").toString(), st.at("/config/files/0").asText());
      JsonNode state = stateFile();
      assertEquals(2, state.at("/counters/lockDenied").asInt());
      assertEquals(1, state.at("/counters/reboots").asInt());
      assertEquals(1, state.at("/counters/updatesStaged").asInt());
      assertEquals(d2.get(0).replace(' ', '/'), state.get("booted").asText());
      String text = Ostree4j.ok("agent", "--status", "--sysroot=" + sysroot, "--config-dir=" + configDir).stdout();
      assertTrue(text.contains("      Strategy: fleet_lock: " + lock.baseUrl() + "fleet/${group}\n"), text);
      assertTrue(text.contains("FleetLock slot: not held\n"), text);
      assertTrue(text.contains("   Last update: "), text);
    }
  }

  @Test
  void periodicStagesOutsideTheWindowAndRebootsInside() throws Exception {
    try (LocalRegistry registry = LocalRegistry.start()) {
      String tag = registry.host() + "/os/test:stable";
      images.bootable("1", "docker://" + tag, "--tls-verify=false");
      Ostree4j.ok("rebase", "--sysroot=" + sysroot, "--tls-verify=false", "ostree-unverified-registry:" + tag);
      config("10-agent.toml", agentToml("strategy = \"periodic\"\n[updates.periodic]\n"
          + "time_zone = \"Europe/Berlin\"\n[[updates.periodic.window]]\ndays = [\"Mon\"]\n"
          + "start_time = \"03:00\"\nlength_minutes = 60\n"));
      String v2 = images.bootable("2", "docker://" + tag, "--tls-verify=false");

      // Monday 2024-06-03 12:00 in Berlin: outside
      AgentLog log = onceOk("--now=2024-06-03T10:00:00Z");
      assertEquals(v2, log.one("update-staged").get("digest"));
      Map<String, String> deferred = log.one("reboot-deferred");
      assertEquals("2024-06-10T01:00:00Z", deferred.get("next_window"), "Monday 03:00 CEST");
      assertEquals("Europe/Berlin", deferred.get("time_zone"));
      assertEquals("2024-06-03T10:00:00Z", deferred.get("time"));
      assertEquals(List.of(), calls(reboots));
      JsonNode st = status("--now=2024-06-03T10:00:00Z");
      assertEquals("2024-06-10T01:00:00Z", st.at("/config/periodic/nextWindow").asText());
      assertTrue(st.get("pendingReboot").asBoolean());
      assertEquals(v2, st.at("/staged/digest").asText());

      int mark = registry.logLines().size();
      log = onceOk("--now=2024-06-10T00:59:59Z");
      assertEquals(List.of("config-loaded", "reboot-deferred"), log.names());
      assertFalse(registryRequests(registry, mark));
      assertEquals(List.of(), calls(reboots));

      // Monday 03:30 CEST: inside
      log = onceOk("--now=2024-06-10T01:30:00Z");
      assertEquals(List.of("config-loaded", "reboot"), log.names());
      assertEquals("periodic", log.one("reboot").get("strategy"));
      assertEquals(List.of("reboot --now"), calls(reboots));

      log = onceOk("--now=2024-06-10T01:31:00Z");
      assertEquals(List.of("config-loaded", "rebooted", "no-update"), log.names());
      assertEquals(List.of("reboot --now"), calls(reboots));
    }
  }

  @Test
  void immediateRebootsInTheCycleThatStagesAndDisabledStaysIdle() throws Exception {
    try (LocalRegistry registry = LocalRegistry.start()) {
      String tag = registry.host() + "/os/test:stable";
      images.bootable("1", "docker://" + tag, "--tls-verify=false");
      Ostree4j.ok("rebase", "--sysroot=" + sysroot, "--tls-verify=false", "ostree-unverified-registry:" + tag);
      config("10-agent.toml", agentToml("strategy = \"immediate\""));
      config("90-off.toml", "[updates]\nenabled = false\n");
      String v2 = images.bootable("2", "docker://" + tag, "--tls-verify=false");
      int mark = registry.logLines().size();
      AgentLog log = onceOk();
      assertEquals(List.of("config-loaded", "idle"), log.names());
      assertEquals("disabled", log.one("idle").get("reason"));
      assertEquals(configDir.resolve("90-off.toml").toString(), log.one("idle").get("file"));
      assertFalse(registryRequests(registry, mark), "disabled: not even a check");

      Files.delete(configDir.resolve("90-off.toml"));
      int staging = registry.logLines().size();
      log = onceOk();
      registry.awaitLogLine(l -> l.contains("GET /v2/os/test/manifests/stable "), Duration.ofSeconds(5));
      List<String> lines = registry.logLines();
      assertEquals(1, lines.subList(staging, lines.size()).stream()
          .filter(l -> l.contains("\"GET /v2/os/test/manifests/stable ")).count(),
          "the manifest the agent checked is the one it deploys: read once");
      assertEquals(List.of("config-loaded", "update-available", "progress", "update-staged", "reboot"),
          log.names().stream().distinct().toList());
      assertEquals(v2, log.one("reboot").get("digest"));
      assertEquals("immediate", log.one("reboot").get("strategy"));
      assertEquals(List.of("reboot --now"), calls(reboots));
    }
  }

  @Test
  void aFailingRebootCommandIsRetriedAndACorruptStateFileIsSetAside() throws Exception {
    Path oci = work.resolve("layout");
    images.bootable("1", "oci:" + oci + ":stable");
    Ostree4j.ok("rebase", "--sysroot=" + sysroot, "oci:" + oci + ":stable");
    Path failing = work.resolve("failing-reboot.sh");
    Files.writeString(failing, "#!/bin/sh\necho 'Failed to reboot: access denied' >&2\nexit 1\n");
    Files.setAttribute(failing, "unix:mode", 0755);
    config("10-agent.toml", "[agent]\nreboot_command = [" + toml(failing.toString()) + "]\n");
    Path state = sysroot.resolve("ostree/deploy/testos/var/lib/ostree4j/agent/state.json");
    Files.createDirectories(state.getParent());
    Files.writeString(state, "{\"booted\": ");
    String v2 = images.bootable("2", "oci:" + oci + ":stable");

    Ostree4j.Result r = once();
    assertEquals(1, r.exitCode(), r::toString);
    AgentLog log = AgentLog.of(r.stderr());
    assertEquals("warn", log.one("state-reset").get("level"));
    assertEquals(state + ".corrupt", log.one("state-reset").get("moved_to"));
    assertEquals("{\"booted\": ", Files.readString(Path.of(state + ".corrupt")), "kept for inspection");
    assertEquals(v2, log.one("update-staged").get("digest"));
    Map<String, String> failed = log.one("reboot-failed");
    assertEquals("1", failed.get("exit"));
    assertEquals("Failed to reboot: access denied", failed.get("output"));
    JsonNode st = status();
    assertTrue(st.get("pendingReboot").asBoolean());
    assertTrue(st.get("rebootRequested").isNull());
    assertEquals(0, st.at("/counters/reboots").asInt());

    config("10-agent.toml", agentToml("strategy = \"immediate\""));
    log = onceOk();
    assertEquals(List.of("config-loaded", "reboot"), log.names(), "staged once; the reboot is tried again");
    assertEquals(List.of("reboot --now"), calls(reboots));
  }

  @Test
  void downgradesAreRefusedUnlessAllowed() throws Exception {
    Path oci = work.resolve("layout");
    String v1 = images.bootable("1", "oci:" + oci + ":stable");
    Ostree4j.ok("rebase", "--sysroot=" + sysroot, "oci:" + oci + ":stable");
    config("10-agent.toml", agentToml("strategy = \"immediate\""));
    // version "0" is committed with an earlier timestamp than version "1" (see NodeImages)
    String v0 = images.bootable("0", "oci:" + oci + ":stable");
    AgentLog log = onceOk();
    Map<String, String> refused = log.one("downgrade-refused");
    assertEquals(v0, refused.get("digest"));
    assertTrue(refused.get("created").compareTo(refused.get("running_created")) < 0, refused::toString);
    assertTrue(log.named("update-staged").isEmpty());
    assertEquals(v1, status().at("/running/digest").asText());
    assertTrue(status().get("staged").isNull());

    config("10-agent.toml", agentToml("strategy = \"immediate\"\nallow_downgrade = true"));
    log = onceOk();
    assertEquals(v0, log.one("update-staged").get("digest"));
    assertEquals(List.of("reboot --now"), calls(reboots));
  }
}
