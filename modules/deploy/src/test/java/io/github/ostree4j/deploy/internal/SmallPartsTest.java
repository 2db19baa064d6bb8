package io.github.ostree4j.deploy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Log lines, URL templates, the state file and the reboot command runner. */
class SmallPartsTest {

  @TempDir Path tmp;

  @Test
  void logLinesAreLogfmt() {
    String l = LogLine.of(Instant.parse("2024-06-03T10:00:00.123Z"), "warn", "lock-denied")
        .with("status", 409).with("value", "all slots \"taken\"\nnow").with("empty", "")
        .with("skipped", null).with("url", "http://h/v1/pre-reboot?a=b").toString();
    assertEquals("time=2024-06-03T10:00:00Z level=warn event=lock-denied status=409"
        + " value=\"all slots \\\"taken\\\"\\nnow\" empty=\"\" url=\"http://h/v1/pre-reboot?a=b\"", l);
  }

  @Test
  void urlTemplates() {
    assertEquals(List.of("group", "basearch"), UrlTemplate.variables("http://h/${group}/${basearch}/"));
    assertEquals("http://h/workers/x86_64/", UrlTemplate.expand("http://h/${group}/${basearch}/",
        Map.of("group", "workers", "basearch", "x86_64")));
    assertEquals("http://h/$x/", UrlTemplate.expand("http://h/$x/", Map.of()));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> UrlTemplate.expand("http://h/${stream}/", Map.of()));
    assertEquals("${stream} has no value on this node", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> UrlTemplate.variables("http://h/${group/"));
    assertThrows(IllegalArgumentException.class, () -> UrlTemplate.variables("http://h/${node_uuid}/"));
  }

  @Test
  void stateFileRoundTripCorruptionAndLock() throws IOException {
    AgentStateStore store = new AgentStateStore(tmp.resolve("var/lib/ostree4j/agent/state.json"));
    assertEquals(Optional.empty(), store.readExisting());
    AgentState s = store.read();
    assertEquals(0, s.counters.checks);
    s.booted = "os/abc.0";
    s.counters.reboots = 2;
    s.fleetLock = new AgentState.Lock();
    s.fleetLock.baseUrl = "http://h/";
    store.write(s);
    AgentState back = store.read();
    assertEquals("os/abc.0", back.booted);
    assertEquals(2, back.counters.reboots);
    assertEquals("http://h/", back.fleetLock.baseUrl);
    assertEquals(null, back.lastCheck);
    try (var files = Files.list(store.file().getParent())) {
      assertEquals(List.of("state.json"), files.map(p -> p.getFileName().toString())
          .filter(n -> !n.endsWith(".lock")).toList(), "no temp file left");
    }

    Optional<Closeable> lock = store.tryLock();
    assertTrue(lock.isPresent());
    assertFalse(store.tryLock().isPresent(), "held");
    lock.get().close();
    try (Closeable again = store.tryLock().orElseThrow()) {
      assertTrue(again != null);
    }

    Files.writeString(store.file(), "{\"booted\": [");
    assertThrows(AgentStateStore.CorruptStateException.class, store::read);
    Path aside = store.moveAside();
    assertEquals("{\"booted\": [", Files.readString(aside));
    assertEquals(Optional.empty(), store.readExisting());
  }

  @Test
  void rebootCommands() throws IOException {
    Path script = tmp.resolve("reboot.sh");
    Files.writeString(script, "#!/bin/sh\necho \"rebooting $*\" >> \"$(dirname \"$0\")/calls\"\necho done\n");
    Files.setAttribute(script, "unix:mode", 0755);
    RebootCommand.Result ok = RebootCommand.run(List.of(script.toString(), "now"), Duration.ofSeconds(30));
    assertTrue(ok.ok(), ok::toString);
    assertEquals("done", ok.output());
    assertEquals("rebooting now\n", Files.readString(tmp.resolve("calls")));

    RebootCommand.Result failed = RebootCommand.run(List.of("sh", "-c", "echo no permission >&2; exit 3"),
        Duration.ofSeconds(30));
    assertFalse(failed.ok());
    assertEquals(3, failed.exitCode());
    assertEquals("no permission", failed.output());

    RebootCommand.Result missing = RebootCommand.run(List.of(tmp.resolve("nope").toString()), Duration.ofSeconds(30));
    assertFalse(missing.ok());
    assertTrue(missing.failure().startsWith("cannot run " + tmp.resolve("nope") + ": "), missing.failure());

    RebootCommand.Result slow = RebootCommand.run(List.of("sleep", "30"), Duration.ofMillis(300));
    assertFalse(slow.ok());
    assertEquals("still running after 0 s; killed", slow.failure());
  }
}
