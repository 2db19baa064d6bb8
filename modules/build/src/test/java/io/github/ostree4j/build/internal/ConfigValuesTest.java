package io.github.ostree4j.build.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.ostree4j.build.CommandLine;
import io.github.ostree4j.build.ContainerfileException;
import io.github.ostree4j.build.Instruction;
import io.github.ostree4j.build.SourceLocation;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConfigValuesTest {

  private static final SourceLocation AT = new SourceLocation("Containerfile", 3, 3);

  @Test
  void exposedPortsAsDockerStoresThem() throws Exception {
    assertEquals(List.of("80/tcp"), ConfigValues.ports("80", AT));
    assertEquals(List.of("443/udp"), ConfigValues.ports("443/UDP", AT));
    // buildah 1.28 keeps EXPOSE 8000-8002 as one key
    assertEquals(List.of("8000-8002/tcp"), ConfigValues.ports("8000-8002", AT));
    ContainerfileException e = assertThrows(ContainerfileException.class,
        () -> ConfigValues.ports("http", AT));
    assertEquals("Containerfile:3", e.getMessage().substring(0, 15));
    assertThrows(ContainerfileException.class, () -> ConfigValues.ports("70000", AT));
    assertThrows(ContainerfileException.class, () -> ConfigValues.ports("80/icmp", AT));
  }

  @Test
  void goDurations() throws Exception {
    assertEquals(5_000_000_000L, ConfigValues.durationNanos("5s", AT));
    assertEquals(90_000_000_000L, ConfigValues.durationNanos("1m30s", AT));
    assertEquals(1_500_000_000L, ConfigValues.durationNanos("1.5s", AT));
    assertEquals(250_000_000L, ConfigValues.durationNanos("250ms", AT));
    assertEquals(0L, ConfigValues.durationNanos("0", AT));
    assertThrows(ContainerfileException.class, () -> ConfigValues.durationNanos("5", AT));
    assertThrows(ContainerfileException.class, () -> ConfigValues.durationNanos("5sx", AT));
  }

  /** buildah 1.28 stores HEALTHCHECK --interval=5s --retries=2 CMD cat /a.txt like this. */
  @Test
  void healthcheckAsBuildahStoresIt() throws Exception {
    Instruction.Healthcheck h = new Instruction.Healthcheck(AT,
        "HEALTHCHECK --interval=5s --retries=2 CMD cat /a.txt",
        Optional.of(CommandLine.shell("cat /a.txt")), Optional.of("5s"), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.of("2"));
    assertEquals("{\"Test\":[\"CMD-SHELL\",\"cat /a.txt\"],\"Interval\":5000000000,\"Retries\":2}",
        ConfigValues.healthcheck(h, StageState.DEFAULT_SHELL).toString());
    Instruction.Healthcheck none = new Instruction.Healthcheck(AT, "HEALTHCHECK NONE",
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty());
    assertEquals("{\"Test\":[\"NONE\"]}", ConfigValues.healthcheck(none, List.of()).toString());
    Instruction.Healthcheck exec = new Instruction.Healthcheck(AT, "HEALTHCHECK CMD [\"true\"]",
        Optional.of(CommandLine.exec(List.of("true"))), Optional.empty(), Optional.of("3s"),
        Optional.empty(), Optional.empty(), Optional.empty());
    assertEquals("{\"Test\":[\"CMD\",\"true\"],\"Timeout\":3000000000}",
        ConfigValues.healthcheck(exec, List.of()).toString());
  }

  @Test
  void chmodAndSignals() throws Exception {
    assertEquals(0755, ConfigValues.octalMode("755", AT, "COPY"));
    assertEquals(04755, ConfigValues.octalMode("4755", AT, "COPY"));
    assertThrows(ContainerfileException.class, () -> ConfigValues.octalMode("u+x", AT, "COPY"));
    assertEquals("SIGTERM", ConfigValues.signal("SIGTERM", AT));
    assertEquals("9", ConfigValues.signal("9", AT));
    assertEquals("SIGRTMIN+3", ConfigValues.signal("SIGRTMIN+3", AT));
    assertThrows(ContainerfileException.class, () -> ConfigValues.signal("kill me", AT));
  }
}
