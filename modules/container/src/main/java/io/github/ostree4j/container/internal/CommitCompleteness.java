package io.github.ostree4j.container.internal;

import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.ostree.Commit;
import io.github.ostree4j.ostree.DirTree;
import io.github.ostree4j.ostree.ObjectType;
import io.github.ostree4j.ostree.OstreeRepo;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/** Finds whether every object a commit references is in the repository. */
public final class CommitCompleteness {

  /**
   * An object that is not in the repository.
   *
   * @param checksum its checksum
   * @param type its type
   * @param path the first path in the tree that needs it
   */
  public record Missing(Checksum checksum, ObjectType type, String path) {
    /** {@code <checksum>.<extension> (needed by <path>)}. */
    public String describe() {
      return checksum + "." + type.extension() + " (needed by /" + path + ")";
    }
  }

  /** A directory still to visit. */
  private record Dir(String path, Checksum tree) {}

  private CommitCompleteness() {}

  /**
   * The first missing object of a depth-first walk of the commit's tree, if any.
   *
   * @throws IOException if an object that is present cannot be read
   */
  public static Optional<Missing> firstMissing(OstreeRepo repo, Commit commit) throws IOException {
    if (!repo.hasObject(commit.rootMeta(), ObjectType.DIR_META)) {
      return Optional.of(new Missing(commit.rootMeta(), ObjectType.DIR_META, ""));
    }
    Set<Checksum> seenTrees = new HashSet<>();
    Set<Checksum> seenMetas = new HashSet<>();
    Set<Checksum> seenFiles = new HashSet<>();
    Deque<Dir> todo = new ArrayDeque<>();
    todo.push(new Dir("", commit.rootTree()));
    while (!todo.isEmpty()) {
      Dir next = todo.pop();
      String path = next.path();
      Checksum tree = next.tree();
      if (!seenTrees.add(tree)) {
        continue;
      }
      if (!repo.hasObject(tree, ObjectType.DIR_TREE)) {
        return Optional.of(new Missing(tree, ObjectType.DIR_TREE, path));
      }
      DirTree dt = repo.readDirTree(tree);
      String prefix = path.isEmpty() ? "" : path + "/";
      for (DirTree.FileEntry f : dt.files()) {
        if (seenFiles.add(f.checksum()) && !repo.hasObject(f.checksum(), ObjectType.FILE)) {
          return Optional.of(new Missing(f.checksum(), ObjectType.FILE, prefix + f.name()));
        }
      }
      for (DirTree.DirEntry d : dt.dirs()) {
        if (seenMetas.add(d.meta()) && !repo.hasObject(d.meta(), ObjectType.DIR_META)) {
          return Optional.of(new Missing(d.meta(), ObjectType.DIR_META, prefix + d.name()));
        }
      }
      for (int i = dt.dirs().size() - 1; i >= 0; i--) {
        DirTree.DirEntry d = dt.dirs().get(i);
        todo.push(new Dir(prefix + d.name(), d.tree()));
      }
    }
    return Optional.empty();
  }
}
