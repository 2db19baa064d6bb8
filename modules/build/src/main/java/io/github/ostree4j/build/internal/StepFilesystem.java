package io.github.ostree4j.build.internal;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * The root filesystem of one build step: read-only lower trees (a base root filesystem and the
 * change trees of earlier steps, overlay semantics: whiteout character devices and opaque
 * directories honoured) plus a fresh change tree. COPY/ADD write into {@link #root()}; RUN
 * executes there through runc. {@link #capture} turns the changes into a layer tar. Uses kernel
 * overlayfs when it can be mounted, else a full copy and a tree diff.
 */
public final class StepFilesystem implements Closeable {

  private StepFilesystem() {}

  /**
   * @param lowers lower trees, topmost first; never modified
   * @param stepDir an empty directory owned by this step (upper/work/merged live here)
   * @param allowOverlay false forces the copy-and-diff fallback
   */
  public static StepFilesystem create(List<Path> lowers, Path stepDir, boolean allowOverlay)
      throws IOException {
    throw new UnsupportedOperationException("not yet");
  }

  /** The tree to read and modify (the overlay's merged directory or the full copy). */
  public Path root() {
    throw new UnsupportedOperationException("not yet");
  }

  /** Runs a command in {@link #root()} with runc; output goes to {@code output} as it comes. */
  public RunResult run(RunSpec spec, OutputStream output) throws IOException {
    throw new UnsupportedOperationException("not yet");
  }

  /**
   * Ends the step: unmounts, writes the changes as an OCI layer tar (whiteouts as {@code .wh.}
   * entries, opaque directories as {@code .wh..wh..opq}, entries sorted, uid/gid numeric, file
   * mtimes clamped to {@code clampMtime} seconds when present) and returns it.
   */
  public LayerCapture capture(Path tarFile, OptionalLong clampMtime) throws IOException {
    throw new UnsupportedOperationException("not yet");
  }

  /** After {@link #capture}: this step's change tree, usable as a lower of the next step. */
  public Path changes() {
    throw new UnsupportedOperationException("not yet");
  }

  /** Unmounts if still mounted; idempotent. */
  @Override
  public void close() throws IOException {}
}
