package io.github.ostree4j.container.internal;

import io.github.ostree4j.container.ChunkObject;
import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.ostree.ContentObject;
import io.github.ostree4j.ostree.OstreeException;
import io.github.ostree4j.ostree.OstreeRepo;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The paths of a commit (files, symlinks and the directories above them), built from the
 * collected content objects, with lookups that follow symlinks the way the kernel would inside
 * the tree: {@code /bin/bash} finds {@code usr/bin/bash} when {@code bin} is a symlink to
 * {@code usr/bin}. Resolution never leaves the tree: {@code ..} at the root stays at the root.
 */
public final class TreeIndex {

  private static final int MAX_SYMLINK_HOPS = 40;

  private final OstreeRepo repo;
  private final Map<String, Checksum> files = new HashMap<>();
  private final Set<String> dirs = new HashSet<>();
  private final Map<Checksum, Optional<String>> targets = new HashMap<>();

  private TreeIndex(OstreeRepo repo) {
    this.repo = repo;
  }

  /**
   * Indexes the paths of the given objects.
   *
   * @param repo the repository holding the objects (read for symlink targets and file content)
   * @param objects the objects of one commit
   * @return the index
   */
  public static TreeIndex of(OstreeRepo repo, Map<Checksum, ChunkObject> objects) {
    TreeIndex t = new TreeIndex(repo);
    t.dirs.add("");
    for (ChunkObject o : objects.values()) {
      for (String p : o.paths()) {
        t.files.put(p, o.checksum());
        for (int i = p.lastIndexOf('/'); i > 0; i = p.lastIndexOf('/', i - 1)) {
          if (!t.dirs.add(p.substring(0, i))) {
            break;
          }
        }
      }
    }
    return t;
  }

  /**
   * The object at a tree path (a regular file or a symlink, not followed).
   *
   * @param path a relative path as in {@link ChunkObject#paths()}
   * @return the checksum, if the path is a file
   */
  public Optional<Checksum> file(String path) {
    return Optional.ofNullable(files.get(path));
  }

  /**
   * Whether the path is a directory of the tree (one that holds at least one file).
   *
   * @param path a relative path
   * @return true for a directory
   */
  public boolean isDirectory(String path) {
    return dirs.contains(path);
  }

  /**
   * The file paths directly inside a directory, sorted.
   *
   * @param dir a relative directory path
   * @return the file paths
   */
  public List<String> filesIn(String dir) {
    String prefix = dir.isEmpty() ? "" : dir + "/";
    TreeSet<String> out = new TreeSet<>();
    for (String p : files.keySet()) {
      if (p.startsWith(prefix) && p.indexOf('/', prefix.length()) < 0) {
        out.add(p);
      }
    }
    return new ArrayList<>(out);
  }

  /**
   * The file paths anywhere below a directory, sorted.
   *
   * @param dir a relative directory path
   * @return the file paths
   */
  public List<String> filesUnder(String dir) {
    String prefix = dir.isEmpty() ? "" : dir + "/";
    TreeSet<String> out = new TreeSet<>();
    for (String p : files.keySet()) {
      if (p.startsWith(prefix)) {
        out.add(p);
      }
    }
    return new ArrayList<>(out);
  }

  /**
   * Resolves a path as a package database records it (absolute, e.g. {@code /bin/bash}) to a
   * tree path: every directory component is followed if it is a symlink, the last component is
   * not. {@code /etc/...} falls back to {@code usr/etc/...}, where ostree keeps {@code /etc}.
   *
   * @param absolute the path
   * @return the tree path of the file or directory, if it exists in the tree
   * @throws IOException if a symlink object cannot be read
   */
  public Optional<String> resolve(String absolute) throws IOException {
    Optional<String> r = resolveIn(absolute);
    if (r.isEmpty()) {
      String rel = stripSlashes(absolute);
      if (rel.equals("etc") || rel.startsWith("etc/")) {
        r = resolveIn("usr/" + rel);
      }
    }
    return r;
  }

  private Optional<String> resolveIn(String path) throws IOException {
    List<String> pending = new ArrayList<>(segments(path));
    List<String> done = new ArrayList<>();
    int hops = 0;
    while (!pending.isEmpty()) {
      String seg = pending.remove(0);
      if (seg.equals("..")) {
        if (!done.isEmpty()) {
          done.remove(done.size() - 1);
        }
        continue;
      }
      String cur = join(done, seg);
      if (pending.isEmpty()) {
        return files.containsKey(cur) || dirs.contains(cur) ? Optional.of(cur) : Optional.empty();
      }
      if (dirs.contains(cur)) {
        done.add(seg);
        continue;
      }
      Checksum cs = files.get(cur);
      if (cs == null) {
        return Optional.empty();
      }
      Optional<String> target = symlinkTarget(cs);
      if (target.isEmpty() || ++hops > MAX_SYMLINK_HOPS) {
        return Optional.empty();
      }
      String t = target.get();
      if (t.startsWith("/")) {
        done.clear();
      }
      pending.addAll(0, segments(t));
    }
    return Optional.of(String.join("/", done));
  }

  private Optional<String> symlinkTarget(Checksum cs) throws IOException {
    Optional<String> t = targets.get(cs);
    if (t == null) {
      try (ContentObject o = repo.openContentUnverified(cs)) {
        t = o.header().isSymlink() ? Optional.of(o.header().symlinkTarget()) : Optional.empty();
      }
      targets.put(cs, t);
    }
    return t;
  }

  /**
   * Opens the content of a regular file of the tree, verifying it as it is read.
   *
   * @param path the tree path
   * @return the payload stream; the caller closes it
   * @throws IOException if the path is not a regular file or the object cannot be read
   */
  public InputStream open(String path) throws IOException {
    Checksum cs = files.get(path);
    if (cs == null) {
      throw new OstreeException(path + ": no such file in the commit");
    }
    ContentObject o = repo.openContent(cs);
    if (o.header().isSymlink()) {
      o.close();
      throw new OstreeException(path + ": is a symlink, expected a regular file");
    }
    return o.payload();
  }

  private static List<String> segments(String path) {
    List<String> out = new ArrayList<>();
    for (String s : path.split("/")) {
      if (!s.isEmpty() && !s.equals(".")) {
        out.add(s);
      }
    }
    return out;
  }

  private static String join(List<String> done, String seg) {
    return done.isEmpty() ? seg : String.join("/", done) + "/" + seg;
  }

  private static String stripSlashes(String p) {
    int i = 0;
    while (i < p.length() && p.charAt(i) == '/') {
      i++;
    }
    return p.substring(i);
  }
}
