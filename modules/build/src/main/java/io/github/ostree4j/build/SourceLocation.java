package io.github.ostree4j.build;

/**
 * Where an instruction stands in its Containerfile: the file name as given by the user and the
 * first and last physical line (1-based; they differ when the instruction continues over lines
 * or carries heredocs).
 */
public record SourceLocation(String file, int startLine, int endLine) {

  /** {@code file:line}, the prefix of every error about this instruction. */
  @Override
  public String toString() {
    return file + ":" + startLine;
  }
}
