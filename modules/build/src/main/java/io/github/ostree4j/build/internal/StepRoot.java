package io.github.ostree4j.build.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** How a step's root filesystem is provided: an overlay mount, or a copy diffed at the end. */
interface StepRoot {

  /** The directory the step reads and writes. */
  Path root();

  /** Whether this is a kernel overlay. */
  boolean usesOverlay();

  /**
   * Makes missing mount points exist in {@link #root()} without them counting as changes.
   *
   * @param missing destinations resolved against {@link #root()}
   */
  void addMountTargets(List<MountTargets.Missing> missing) throws IOException;

  /** Ends the step: returns its change tree (overlay upper-directory format); idempotent. */
  Path finish() throws IOException;

  /** Releases the root (unmounts) without producing changes; idempotent. */
  void close() throws IOException;
}
