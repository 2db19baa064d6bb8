package io.github.ostree4j.container;

import io.github.ostree4j.ostree.Checksum;
import java.util.List;
import java.util.Objects;

/**
 * A content object of a commit as the tar exporter sees it: its checksum, its uncompressed size
 * (the payload size; 0 for a symbolic link) and every path that uses it, in tree order.
 *
 * @param checksum the content object's checksum
 * @param size the payload size in bytes (0 for symbolic links)
 * @param paths the paths using the object, relative and as stored in the commit (so
 *     {@code usr/etc/...} stays {@code usr/etc/...}), in the order a depth-first walk of the tree
 *     meets them
 */
public record ContentObjectInfo(Checksum checksum, long size, List<String> paths) {

  /** Checks the fields and freezes the path list. */
  public ContentObjectInfo {
    Objects.requireNonNull(checksum, "checksum");
    if (size < 0) {
      throw new IllegalArgumentException("negative size " + size);
    }
    paths = List.copyOf(paths);
  }
}
