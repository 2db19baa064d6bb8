package io.github.ostree4j.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates the shared conformance data ({@code shared/testdata}: OSTree test vectors, ostree-ext
 * fixtures, BuildKit lexer cases) that lives beside the project rather than inside it.
 *
 * <p>The directory is taken from the system property {@code ostree4j.shared} (which the build
 * sets to the {@code shared} directory; pointing it at {@code shared/testdata} itself works too).
 * Without the property, the working directory and its ancestors are searched for a {@code
 * shared/testdata} subdirectory. When nothing is found, {@link #require()} skips the test, or
 * fails it when the environment variable {@code CI} is {@code true}.
 */
public final class SharedTestData {

  /** The system property naming the shared directory. */
  public static final String PROPERTY = "ostree4j.shared";

  private SharedTestData() {}

  /**
   * Finds the {@code testdata} directory without skipping or failing.
   *
   * @return the absolute {@code shared/testdata} directory, if found
   */
  public static Optional<Path> find() {
    String prop = System.getProperty(PROPERTY);
    if (prop != null && !prop.isBlank()) {
      Path p = Path.of(prop).toAbsolutePath().normalize();
      if (Files.isDirectory(p.resolve("testdata"))) {
        return Optional.of(p.resolve("testdata"));
      }
      if (p.getFileName() != null
          && p.getFileName().toString().equals("testdata")
          && Files.isDirectory(p)) {
        return Optional.of(p);
      }
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("shared").resolve("testdata");
      if (Files.isDirectory(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /**
   * Returns the {@code testdata} directory, skipping the test (failing it on CI) when absent.
   *
   * @return the absolute {@code shared/testdata} directory
   */
  public static Path require() {
    Optional<Path> found = find();
    if (found.isPresent()) {
      return found.get();
    }
    missing(
        "shared test data not found (set -D"
            + PROPERTY
            + "=.../shared or run from a checkout with ../shared/testdata)");
    throw new AssertionError("unreachable");
  }

  /**
   * Returns a file or directory under {@code testdata}, skipping the test (failing it on CI)
   * when it is absent.
   *
   * @param relative a path relative to {@code testdata}, e.g. {@code
   *     "ostree-vectors/dump-archive.txt"}
   * @return the absolute path
   */
  public static Path require(String relative) {
    Path p = require().resolve(relative);
    if (!Files.exists(p)) {
      missing("shared test data " + relative + " not found under " + require());
    }
    return p;
  }

  private static void missing(String message) {
    if (Peers.isCi()) {
      throw new AssertionError(message);
    }
    Assumptions.abort(message);
  }
}
