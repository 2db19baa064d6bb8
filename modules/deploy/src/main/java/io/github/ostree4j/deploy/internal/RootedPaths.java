package io.github.ostree4j.deploy.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * Resolves a path inside a tree as if the tree were {@code /}: symlinks are followed, absolute
 * targets start at the tree's root and {@code ..} never climbs above it, so a hostile tree can
 * never make a read leave it.
 */
public final class RootedPaths {

  private static final int MAX_LINKS = 40;

  private RootedPaths() {}

  /**
   * Resolves {@code relative} inside {@code root}.
   *
   * @param root the tree's root directory
   * @param relative a path inside the tree, e.g. {@code usr/lib/os-release}
   * @return the real location below {@code root}, or empty when a component is missing or there
   *     are too many symlinks
   * @throws IOException when a link cannot be read
   */
  public static Optional<Path> resolve(Path root, String relative) throws IOException {
    Deque<String> todo = new ArrayDeque<>();
    push(todo, relative);
    Deque<String> done = new ArrayDeque<>();
    int links = 0;
    while (!todo.isEmpty()) {
      String part = todo.pop();
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        done.pollLast();
        continue;
      }
      Path cur = root;
      for (String d : done) {
        cur = cur.resolve(d);
      }
      Path next = cur.resolve(part);
      if (!Files.exists(next, LinkOption.NOFOLLOW_LINKS)) {
        return Optional.empty();
      }
      if (Files.isSymbolicLink(next)) {
        if (++links > MAX_LINKS) {
          return Optional.empty();
        }
        String target = Files.readSymbolicLink(next).toString();
        if (target.startsWith("/")) {
          done.clear();
        }
        push(todo, target);
        continue;
      }
      done.addLast(part);
    }
    Path out = root;
    for (String d : done) {
      out = out.resolve(d);
    }
    return Optional.of(out);
  }

  private static void push(Deque<String> todo, String path) {
    String[] parts = path.split("/");
    for (int i = parts.length - 1; i >= 0; i--) {
      todo.push(parts[i]);
    }
  }
}
