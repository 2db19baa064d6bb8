package io.github.ostree4j.container;

import io.github.ostree4j.ostree.Checksum;
import java.util.List;
import java.util.Objects;

/**
 * One content object of a commit, to be placed in a layer: its checksum, its uncompressed size
 * (the file size from the content header; 0 for symlinks) and every path at which the commit
 * uses it, relative to the root ({@code usr/bin/bash}; content of {@code /etc} is under {@code
 * usr/etc} in commits made by ostree-based build tools), in the order of a walk of the tree.
 *
 * @param checksum the content object's checksum
 * @param size the uncompressed payload size in bytes
 * @param paths the relative paths that use the object, never empty
 */
public record ChunkObject(Checksum checksum, long size, List<String> paths) {

  /** Checks and copies the arguments. */
  public ChunkObject {
    Objects.requireNonNull(checksum, "checksum");
    if (size < 0) {
      throw new IllegalArgumentException("object " + checksum + ": negative size " + size);
    }
    paths = List.copyOf(paths);
    if (paths.isEmpty()) {
      throw new IllegalArgumentException("object " + checksum + " has no path");
    }
  }
}
