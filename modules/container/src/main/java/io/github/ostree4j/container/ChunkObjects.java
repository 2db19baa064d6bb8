package io.github.ostree4j.container;

import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.ostree.ContentObject;
import io.github.ostree4j.ostree.DirTree;
import io.github.ostree4j.ostree.OstreeException;
import io.github.ostree4j.ostree.OstreeRepo;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Collects the content objects of a commit, the input of {@link ComponentFinder} and {@link Chunker}. */
public final class ChunkObjects {

  /** More paths than this in one commit is refused (a dirtree reused as a "zip bomb"). */
  public static final long MAX_PATHS = 20_000_000L;

  private ChunkObjects() {}

  /**
   * Walks a commit's tree depth first, files before subdirectories, each in dirtree (name)
   * order, and returns every content object with its size (the uncompressed size from the
   * content header; 0 for symlinks) and its paths in walk order. Only object headers are read.
   *
   * @param repo the repository
   * @param commit the commit
   * @return the objects in order of first appearance
   * @throws IOException if an object is missing or corrupt, or the tree has more than
   *     {@value #MAX_PATHS} paths
   */
  public static Map<Checksum, ChunkObject> of(OstreeRepo repo, Checksum commit) throws IOException {
    Checksum root = repo.readCommit(commit).rootTree();
    Map<Checksum, Long> sizes = new LinkedHashMap<>();
    Map<Checksum, List<String>> paths = new LinkedHashMap<>();
    Deque<Dir> stack = new ArrayDeque<>();
    stack.push(new Dir("", root));
    long count = 0;
    while (!stack.isEmpty()) {
      Dir d = stack.pop();
      DirTree tree = repo.readDirTree(d.tree);
      for (DirTree.FileEntry f : tree.files()) {
        if (++count > MAX_PATHS) {
          throw new OstreeException("commit " + commit + ": more than " + MAX_PATHS + " paths");
        }
        Checksum cs = f.checksum();
        if (!sizes.containsKey(cs)) {
          sizes.put(cs, sizeOf(repo, cs));
          paths.put(cs, new ArrayList<>(1));
        }
        paths.get(cs).add(d.prefix + f.name());
      }
      List<DirTree.DirEntry> dirs = tree.dirs();
      for (int i = dirs.size() - 1; i >= 0; i--) {
        DirTree.DirEntry e = dirs.get(i);
        stack.push(new Dir(d.prefix + e.name() + "/", e.tree()));
      }
    }
    Map<Checksum, ChunkObject> out = new LinkedHashMap<>();
    for (Map.Entry<Checksum, Long> e : sizes.entrySet()) {
      out.put(e.getKey(), new ChunkObject(e.getKey(), e.getValue(), paths.get(e.getKey())));
    }
    return Collections.unmodifiableMap(out);
  }

  private static long sizeOf(OstreeRepo repo, Checksum cs) throws IOException {
    try (ContentObject o = repo.openContentUnverified(cs)) {
      return o.header().isSymlink() ? 0 : o.size();
    }
  }

  private record Dir(String prefix, Checksum tree) {}
}
