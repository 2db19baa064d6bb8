package io.github.ostree4j.build.internal;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Resolves paths inside a root directory as a process chrooted there would: symbolic links are
 * followed with their targets taken relative to the root, and {@code ..} never climbs above it.
 * Whatever the tree holds, the result is the root or below it. Components that do not exist are
 * appended as they are.
 */
public final class InRoot {

  private static final int MAX_LINKS = 40;

  private InRoot() {}

  /**
   * Resolves {@code path} (absolute or relative, both taken from the root) to a host path.
   *
   * @param root the root directory
   * @param path the path inside the root
   * @param followLast whether a symbolic link in the last component is followed
   * @return a path below {@code root}
   * @throws IOException after too many symbolic links
   */
  public static Path resolve(Path root, String path, boolean followLast) throws IOException {
    Deque<String> todo = new ArrayDeque<>(split(path));
    List<String> done = new ArrayList<>();
    int links = 0;
    while (!todo.isEmpty()) {
      String c = todo.pollFirst();
      if (c.equals(".")) {
        continue;
      }
      if (c.equals("..")) {
        if (!done.isEmpty()) {
          done.remove(done.size() - 1);
        }
        continue;
      }
      Path candidate = join(root, done).resolve(c);
      boolean last = todo.isEmpty();
      if ((!last || followLast) && Files.isSymbolicLink(candidate)) {
        if (++links > MAX_LINKS) {
          throw new FileSystemException(path, null, "too many levels of symbolic links");
        }
        String target = Files.readSymbolicLink(candidate).toString();
        List<String> t = split(target);
        for (int i = t.size() - 1; i >= 0; i--) {
          todo.addFirst(t.get(i));
        }
        if (target.startsWith("/")) {
          done.clear();
        }
        continue;
      }
      done.add(c);
    }
    return join(root, done);
  }

  /**
   * Cleans a path lexically and returns it relative to the root ({@code ""} for the root),
   * without looking at the filesystem.
   *
   * @param path an absolute or relative path
   * @return the cleaned relative path, {@code ..} clamped at the root
   */
  public static String clean(String path) {
    List<String> out = new ArrayList<>();
    for (String c : split(path)) {
      if (c.equals(".")) {
        continue;
      }
      if (c.equals("..")) {
        if (!out.isEmpty()) {
          out.remove(out.size() - 1);
        }
        continue;
      }
      out.add(c);
    }
    return String.join("/", out);
  }

  /**
   * Whether a relative path climbs above its starting point ({@code ../x}, {@code a/../../x}).
   *
   * @param path a relative path
   * @return true when it does
   */
  public static boolean escapes(String path) {
    int depth = 0;
    for (String c : split(path)) {
      if (c.equals("..")) {
        if (--depth < 0) {
          return true;
        }
      } else if (!c.equals(".")) {
        depth++;
      }
    }
    return false;
  }

  /**
   * Creates a directory that {@link #resolve} returned and its missing ancestors below the root
   * (plain names: the existing part of the path has its links resolved already).
   *
   * @param root the root
   * @param dir a path below the root
   * @param mode the mode of each created directory
   * @param owner the owner of each created directory, or null to leave it
   * @throws IOException when creating fails
   */
  static void createMissing(Path root, Path dir, int mode, TreeCopy.Owner owner)
      throws IOException {
    if (dir.equals(root) || Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (!dir.startsWith(root)) {
      throw new IOException(dir + " is not below " + root);
    }
    createMissing(root, dir.getParent(), mode, owner);
    Files.createDirectory(dir);
    if (owner != null) {
      FileAttrs.chown(dir, owner.uid(), owner.gid());
    }
    FileAttrs.chmod(dir, mode);
  }

  /** Whether the path exists inside the root without following a last symbolic link. */
  static boolean exists(Path hostPath) {
    return Files.exists(hostPath, LinkOption.NOFOLLOW_LINKS);
  }

  private static List<String> split(String path) {
    List<String> out = new ArrayList<>();
    for (String c : path.split("/")) {
      if (!c.isEmpty()) {
        out.add(c);
      }
    }
    return out;
  }

  private static Path join(Path root, List<String> parts) {
    Path p = root;
    for (String s : parts) {
      p = p.resolve(s);
    }
    return p;
  }
}
