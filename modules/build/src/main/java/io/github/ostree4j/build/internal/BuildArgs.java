package io.github.ostree4j.build.internal;

import io.github.ostree4j.oci.Platform;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The build arguments of one build: those given with {@code --build-arg} (a name without value
 * takes the environment's value, and is dropped when the environment has none), the automatic
 * platform arguments, and the predefined proxy arguments. Remembers which given arguments an
 * {@code ARG} consumed, to warn about the others as podman does.
 */
public final class BuildArgs {

  /** Proxy arguments: usable in RUN without an ARG, never recorded in history. */
  public static final Set<String> PROXIES = Set.of("HTTP_PROXY", "http_proxy", "HTTPS_PROXY",
      "https_proxy", "FTP_PROXY", "ftp_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy");

  private final Map<String, String> given = new LinkedHashMap<>();
  private final Map<String, String> automatic = new LinkedHashMap<>();
  private final Set<String> consumed = new LinkedHashSet<>();

  /**
   * @param buildArgs the given arguments (null value: take from the environment)
   * @param environment the environment
   * @param platform the target (and build) platform
   * @param sourceDateEpoch the build's fixed time, offered as {@code SOURCE_DATE_EPOCH}
   */
  public BuildArgs(Map<String, String> buildArgs, Map<String, String> environment,
      Platform platform, OptionalLong sourceDateEpoch) {
    buildArgs.forEach((k, v) -> {
      String value = v != null ? v : environment.get(k);
      if (value != null) {
        given.put(k, value);
      }
    });
    String variant = platform.variant() == null ? "" : platform.variant();
    String full = platform.os() + "/" + platform.architecture()
        + (variant.isEmpty() ? "" : "/" + variant);
    for (String p : List.of("TARGET", "BUILD")) {
      automatic.put(p + "PLATFORM", full);
      automatic.put(p + "OS", platform.os());
      automatic.put(p + "ARCH", platform.architecture());
      automatic.put(p + "VARIANT", variant);
    }
    if (sourceDateEpoch.isPresent()) {
      automatic.put("SOURCE_DATE_EPOCH", Long.toString(sourceDateEpoch.getAsLong()));
    }
  }

  /**
   * The value given for an ARG, marking it consumed.
   *
   * @param name the ARG's name
   * @return the given value, if any
   */
  public synchronized Optional<String> consume(String name) {
    String v = given.get(name);
    if (v != null) {
      consumed.add(name);
    }
    return Optional.ofNullable(v);
  }

  /**
   * The value of an automatic argument (platform, {@code SOURCE_DATE_EPOCH}), overridden by a
   * given one.
   *
   * @param name the name
   * @return the value, if it is automatic
   */
  public Optional<String> automatic(String name) {
    return Optional.ofNullable(automatic.get(name));
  }

  /** @return the automatic arguments, for FROM lines */
  public Map<String, String> automaticArgs() {
    return Collections.unmodifiableMap(automatic);
  }

  /** @return the proxy arguments given, for the environment of RUN */
  public Map<String, String> proxies() {
    Map<String, String> out = new LinkedHashMap<>();
    given.forEach((k, v) -> {
      if (PROXIES.contains(k)) {
        out.put(k, v);
      }
    });
    return out;
  }

  /** @return the given arguments no ARG consumed (proxies and automatic names excepted) */
  public synchronized List<String> unconsumed() {
    List<String> out = new ArrayList<>();
    for (String k : given.keySet()) {
      if (!consumed.contains(k) && !PROXIES.contains(k) && !automatic.containsKey(k)) {
        out.add(k);
      }
    }
    return out;
  }
}
