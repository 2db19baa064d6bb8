package io.github.ostree4j.build.internal;

import static io.github.ostree4j.build.internal.Fixtures.arg;
import static io.github.ostree4j.build.internal.Fixtures.env;
import static io.github.ostree4j.build.internal.Fixtures.from;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ostree4j.build.Containerfile;
import io.github.ostree4j.build.ContainerfileException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StagePlanTest {

  private static Containerfile cf(io.github.ostree4j.build.Instruction... is) {
    return new Containerfile("Containerfile", '\\', Map.of(), List.of(is));
  }

  @Test
  void stagesByNameAndIndex() throws Exception {
    StagePlan p = StagePlan.of(cf(arg(1, "BASE", "scratch"), from(2, "${BASE}", "Builder"),
        env(3, "A", "1"), from(4, "builder", null), env(5, "B", "2")));
    assertEquals(1, p.globalArgs().size());
    assertEquals(2, p.stages().size());
    assertEquals(0, p.find("BUILDER").orElseThrow().index());
    assertEquals(1, p.find("1").orElseThrow().index());
    assertTrue(p.find("2").isEmpty());
    assertTrue(p.findBefore("builder", 0).isEmpty(), "a stage cannot refer to itself");
    assertEquals(0, p.findBefore("builder", 1).orElseThrow().index());
    assertEquals(1, p.last().index());
    assertEquals("ENV", StagePlan.keyword(p.last().instructions().get(0)));
  }

  @Test
  void invalidPlans() {
    ContainerfileException e = assertThrows(ContainerfileException.class,
        () -> StagePlan.of(cf(env(1, "A", "1"), from(2, "scratch", null))));
    assertEquals("Containerfile:1: ENV before the first FROM (only ARG may come before FROM)",
        e.getMessage());
    e = assertThrows(ContainerfileException.class, () -> StagePlan.of(cf(arg(1, "A", "1"))));
    assertEquals("Containerfile: no FROM instruction", e.getMessage());
    e = assertThrows(ContainerfileException.class,
        () -> StagePlan.of(cf(from(1, "scratch", "a"), from(2, "scratch", "A"))));
    assertTrue(e.getMessage().startsWith("Containerfile:2: duplicate stage name"), e.getMessage());
  }
}
