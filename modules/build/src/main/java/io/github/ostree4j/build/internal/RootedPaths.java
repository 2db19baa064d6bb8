package io.github.ostree4j.build.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Resolves an absolute path inside a root filesystem the way a container runtime does
 * ({@code securejoin}): component by component, symlinks followed but interpreted relative to
 * the root (an absolute target restarts at the root, {@code ..} never climbs above it), so no
 * path ever leads out of the root.
 */
final class RootedPaths {

  private static final int MAX_LINKS = 255;

  /**
   * A resolved path: its components below the root, and the index of the first one that does
   * not exist ({@code components.size()} when the whole path exists).
   */
  record Resolved(List<String> components, int firstMissing) {

    Resolved {
      components = List.copyOf(components);
    }

    /** Whether every component exists. */
    boolean exists() {
      return firstMissing == components.size();
    }

    /** The relative path ({@code ""} for the root). */
    String rel() {
      return String.join("/", components);
    }

    /** The relative path of the first {@code n} components. */
    String prefix(int n) {
      return String.join("/", components.subList(0, n));
    }
  }

  private RootedPaths() {}

  /**
   * Resolves {@code path} (absolute or relative to the root) inside {@code tree}.
   *
   * @throws NotDirectoryException when an existing non-directory is followed by more components
   * @throws IOException when symlinks loop
   */
  static Resolved resolve(TreeLookup tree, String path) throws IOException {
    Deque<String> todo = new ArrayDeque<>(split(path));
    List<String> done = new ArrayList<>();
    int missing = -1;
    int links = 0;
    while (!todo.isEmpty()) {
      String c = todo.removeFirst();
      if (c.equals("..")) {
        if (!done.isEmpty()) {
          done.remove(done.size() - 1);
        }
        if (missing >= done.size()) {
          missing = -1;
        }
        continue;
      }
      if (missing >= 0) {
        done.add(c);
        continue;
      }
      done.add(c);
      String rel = String.join("/", done);
      FileMeta m = tree.lstat(rel);
      if (m == null) {
        missing = done.size() - 1;
        continue;
      }
      if (m.isSymlink()) {
        if (++links > MAX_LINKS) {
          throw new IOException("too many levels of symbolic links resolving " + path);
        }
        String target = Files.readSymbolicLink(tree.realPath(rel)).toString();
        done.remove(done.size() - 1);
        if (target.startsWith("/")) {
          done.clear();
        }
        List<String> parts = split(target);
        for (int i = parts.size() - 1; i >= 0; i--) {
          todo.addFirst(parts.get(i));
        }
        continue;
      }
      if (!m.isDir() && !todo.isEmpty() && todo.stream().anyMatch(s -> !s.equals(".."))) {
        throw new NotDirectoryException("/" + rel);
      }
    }
    return new Resolved(done, missing < 0 ? done.size() : missing);
  }

  private static List<String> split(String path) {
    List<String> out = new ArrayList<>();
    for (String s : path.split("/")) {
      if (!s.isEmpty() && !s.equals(".")) {
        out.add(s);
      }
    }
    return out;
  }
}
