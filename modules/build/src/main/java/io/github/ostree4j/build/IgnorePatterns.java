package io.github.ostree4j.build;

import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code .containerignore} / {@code .dockerignore} patterns. Placeholder with the agreed
 * signatures until the real implementation lands with the parser.
 */
public final class IgnorePatterns {

  private IgnorePatterns() {}

  /** Parses the text of an ignore file. */
  public static IgnorePatterns parse(String text) {
    throw new UnsupportedOperationException("not yet");
  }

  /** Patterns that exclude nothing. */
  public static IgnorePatterns none() {
    return new IgnorePatterns();
  }

  /** Whether a context-relative path (with {@code /} separators) is excluded. */
  public boolean excludes(String relPath) {
    return false;
  }

  /** The ignore file that applies to a build of {@code context} with {@code containerfile}. */
  public static Optional<Path> locate(Path context, Path containerfile) {
    throw new UnsupportedOperationException("not yet");
  }
}
