package io.github.ostree4j.build;

/**
 * Parses Containerfile text into {@link Containerfile}: directives, continuations, comments,
 * exec/shell forms, heredocs, flags. Pure: no I/O.
 */
public final class ContainerfileParser {

  private ContainerfileParser() {}

  /**
   * @param text the whole file
   * @param fileName the name used in error messages and {@link SourceLocation}s
   * @throws ContainerfileException with file:line:column for anything not valid
   */
  public static Containerfile parse(String text, String fileName) throws ContainerfileException {
    throw new UnsupportedOperationException("not yet");
  }
}
