package io.github.ostree4j.build;

import java.util.Map;

/**
 * One {@code RUN --mount=} flag. Option keys are normalised to BuildKit's canonical names
 * ({@code source}, {@code target}, {@code from}, {@code readonly}, {@code id}, {@code sharing},
 * {@code mode}, {@code uid}, {@code gid}, {@code size}, {@code required}, {@code env}); values are
 * raw. Booleans given without a value ({@code ro}) are stored as {@code "true"}.
 */
public record RunMount(Type type, Map<String, String> options) {

  /** Mount types BuildKit accepts. */
  public enum Type {
    BIND,
    CACHE,
    TMPFS,
    SECRET,
    SSH
  }

  public RunMount {
    options = Map.copyOf(options);
  }

  public String option(String key) {
    return options.get(key);
  }
}
