package io.github.ostree4j.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The drop-ins of {@code examples/agent} say what their comments say. */
class ExampleConfigTest {

  private static Path example(String name) {
    Path dir = Path.of("").toAbsolutePath().resolve("../../examples/agent").normalize();
    Assumptions.assumeTrue(Files.isDirectory(dir), "examples/agent is next to the modules");
    return dir.resolve(name);
  }

  @Test
  void fleetLock() throws IOException {
    AgentConfig c = AgentConfig.parse(List.of(example("50-fleet-lock.toml")));
    assertEquals(UpdateStrategy.FLEET_LOCK, c.strategy());
    assertEquals(Optional.of("http://fleetlock.example.com:3333/"), c.fleetLockBaseUrl());
    assertEquals("workers", c.group());
    assertEquals(List.of(), c.warnings());
  }

  @Test
  void periodic() throws IOException {
    AgentConfig c = AgentConfig.parse(List.of(example("50-periodic.toml")));
    assertEquals(UpdateStrategy.PERIODIC, c.strategy());
    assertEquals(ZoneId.of("Europe/Berlin"), c.windows().zone());
    assertEquals(120, c.windows().weeklyMinutes());
    assertEquals(List.of(), c.warnings());
  }

  @Test
  void disabledWinsWhenItSortsLast() throws IOException {
    AgentConfig c = AgentConfig.parse(List.of(example("50-periodic.toml"),
        example("90-disable-auto-updates.toml")));
    assertFalse(c.enabled());
    assertEquals(Optional.of(example("90-disable-auto-updates.toml")), c.source("updates.enabled"));
  }
}
