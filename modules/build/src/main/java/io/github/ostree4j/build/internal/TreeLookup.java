package io.github.ostree4j.build.internal;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Read access to a root filesystem by relative path ({@code ""} is the root, {@code /}
 * separators, no {@code .} or {@code ..} components): a real directory or a stack of layers.
 */
interface TreeLookup {

  /** The entry's metadata, symlinks not followed; null when nothing is there. */
  FileMeta lstat(String rel) throws IOException;

  /** The file that holds the entry (to read content, link targets or xattrs); null when missing. */
  Path realPath(String rel) throws IOException;

  /** A real directory tree. */
  static TreeLookup of(Path root) {
    return new TreeLookup() {
      @Override
      public FileMeta lstat(String rel) throws IOException {
        return FileMeta.readIfExists(realPath(rel));
      }

      @Override
      public Path realPath(String rel) {
        return rel.isEmpty() ? root : root.resolve(rel);
      }
    };
  }
}
