package io.github.ostree4j.build;

import io.github.ostree4j.build.internal.ignore.GoPath;
import io.github.ostree4j.build.internal.ignore.IgnorePattern;
import io.github.ostree4j.build.internal.shell.GoText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The patterns of a {@code .containerignore} or {@code .dockerignore} file, which keep files of
 * the build context away from COPY and ADD. The semantics are those of BuildKit (moby's
 * {@code ignorefile} and {@code patternmatcher}):
 *
 * <ul>
 *   <li>a UTF-8 byte order mark is dropped; lines starting with {@code #} are comments; lines are
 *       trimmed and blank ones skipped;
 *   <li>{@code !pattern} re-includes what earlier patterns excluded;
 *   <li>patterns are cleaned like paths ({@code ./a//b/} is {@code a/b}) and a leading {@code /}
 *       is dropped, so they are relative to the context;
 *   <li>{@code *}, {@code ?}, {@code [a-z]} and {@code \} work as in Go's {@code filepath.Match}
 *       and never cross a {@code /}; {@code **} matches any number of directories;
 *   <li>the last matching pattern decides, and a pattern that matches a directory excludes
 *       everything below it.
 * </ul>
 *
 * Instances are immutable and thread-safe.
 */
public final class IgnorePatterns {

  private static final IgnorePatterns NONE = new IgnorePatterns(List.of());

  private final List<IgnorePattern> patterns;

  private IgnorePatterns(List<IgnorePattern> patterns) {
    this.patterns = List.copyOf(patterns);
  }

  /** Patterns that exclude nothing. */
  public static IgnorePatterns none() {
    return NONE;
  }

  /**
   * Parses the content of an ignore file.
   *
   * @throws IllegalArgumentException naming the line of a malformed pattern (an unclosed
   *     {@code [}, a trailing {@code \}, a lone {@code !})
   */
  public static IgnorePatterns parse(String text) {
    List<IgnorePattern> out = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (int n = 0; n < lines.length; n++) {
      String line = lines[n];
      if (line.endsWith("\r")) {
        line = line.substring(0, line.length() - 1);
      }
      if (n == 0 && line.startsWith("\uFEFF")) {
        line = line.substring(1);
      }
      if (line.startsWith("#")) {
        continue;
      }
      String pattern = GoText.trim(line);
      if (pattern.isEmpty()) {
        continue;
      }
      boolean invert = pattern.charAt(0) == '!';
      if (invert) {
        pattern = GoText.trim(pattern.substring(1));
      }
      if (!pattern.isEmpty()) {
        pattern = GoPath.clean(pattern);
        if (pattern.length() > 1 && pattern.charAt(0) == '/') {
          pattern = pattern.substring(1);
        }
      }
      try {
        out.add(IgnorePattern.compile(invert ? "!" + pattern : pattern));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "ignore file line " + (n + 1) + ": " + e.getMessage(), e);
      }
    }
    return out.isEmpty() ? NONE : new IgnorePatterns(out);
  }

  /**
   * Finds the ignore file for a build: {@code <Containerfile>.containerignore}, then
   * {@code <Containerfile>.dockerignore} next to the Containerfile, then
   * {@code .containerignore}, then {@code .dockerignore} at the top of the context.
   *
   * @param contextDir the build context directory
   * @param containerfile the Containerfile, or null when it does not come from a file
   * @return the first of these that is a regular file
   */
  public static Optional<Path> locate(Path contextDir, Path containerfile) {
    List<Path> candidates = new ArrayList<>();
    if (containerfile != null && containerfile.getFileName() != null) {
      String name = containerfile.getFileName().toString();
      candidates.add(containerfile.resolveSibling(name + ".containerignore"));
      candidates.add(containerfile.resolveSibling(name + ".dockerignore"));
    }
    candidates.add(contextDir.resolve(".containerignore"));
    candidates.add(contextDir.resolve(".dockerignore"));
    return candidates.stream().filter(Files::isRegularFile).findFirst();
  }

  /** Whether there are no patterns at all. */
  public boolean isEmpty() {
    return patterns.isEmpty();
  }

  /**
   * Whether some pattern is a {@code !} re-inclusion; a context walk must then look inside
   * excluded directories too, since a file below one may be included again.
   */
  public boolean hasExclusions() {
    return patterns.stream().anyMatch(IgnorePattern::exclusion);
  }

  /**
   * Whether a path of the context is excluded: the last pattern that matches the path or one of
   * its parent directories decides.
   *
   * @param relativePath slash-separated, relative to the context (a leading {@code /} is
   *     ignored); the context root itself is never excluded
   */
  public boolean excludes(String relativePath) {
    String file = GoPath.clean(relativePath);
    while (file.startsWith("/")) {
      file = GoPath.clean(file.substring(1));
    }
    if (file.equals(".")) {
      return false;
    }
    String parent = GoPath.dir(file);
    String[] parentDirs = parent.split("/", -1);
    boolean matched = false;
    for (IgnorePattern p : patterns) {
      if (p.exclusion() != matched) {
        continue;
      }
      boolean match = p.matches(file);
      if (!match && !parent.equals(".")) {
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < parentDirs.length && !match; i++) {
          if (i > 0) {
            prefix.append('/');
          }
          prefix.append(parentDirs[i]);
          match = p.matches(prefix.toString());
        }
      }
      if (match) {
        matched = !p.exclusion();
      }
    }
    return matched;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("IgnorePatterns[");
    for (int i = 0; i < patterns.size(); i++) {
      IgnorePattern p = patterns.get(i);
      sb.append(i == 0 ? "" : ", ").append(p.exclusion() ? "!" : "").append(p.cleaned());
    }
    return sb.append(']').toString();
  }
}
