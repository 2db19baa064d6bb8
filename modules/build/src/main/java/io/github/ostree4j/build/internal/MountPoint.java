package io.github.ostree4j.build.internal;

import java.nio.file.Path;
import java.util.List;

/**
 * A mount inside a RUN step's container, already resolved to the host: a bind mount of
 * {@code source} (file or directory) or a tmpfs ({@code source} null), at {@code destination}
 * inside the root, with OCI runtime-spec mount options (e.g. {@code ro}, {@code size=64m}).
 */
public record MountPoint(Kind kind, Path source, String destination, List<String> options) {

  /** Kinds of mount a RUN step can get. */
  public enum Kind {
    BIND,
    TMPFS
  }

  public MountPoint {
    options = List.copyOf(options);
  }
}
