package io.github.ostree4j.build.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ostree4j.oci.Platform;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class BuildArgsTest {

  @Test
  void givenArgumentsConsumptionAndAutomaticOnes() {
    Map<String, String> given = new LinkedHashMap<>();
    given.put("A", "1");
    given.put("FROM_ENV", null);
    given.put("MISSING_ENV", null);
    given.put("UNUSED", "x");
    given.put("http_proxy", "http://proxy:3128");
    BuildArgs a = new BuildArgs(given, Map.of("FROM_ENV", "e"),
        new Platform("linux", "arm64", "v8"), OptionalLong.of(42));
    assertEquals("1", a.consume("A").orElseThrow());
    assertEquals("e", a.consume("FROM_ENV").orElseThrow());
    assertTrue(a.consume("MISSING_ENV").isEmpty());
    assertEquals(List.of("UNUSED"), a.unconsumed());
    assertEquals(Map.of("http_proxy", "http://proxy:3128"), a.proxies());
    assertEquals("linux/arm64/v8", a.automatic("TARGETPLATFORM").orElseThrow());
    assertEquals("arm64", a.automatic("BUILDARCH").orElseThrow());
    assertEquals("v8", a.automatic("TARGETVARIANT").orElseThrow());
    assertEquals("42", a.automatic("SOURCE_DATE_EPOCH").orElseThrow());
  }
}
