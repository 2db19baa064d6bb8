package io.github.ostree4j.ostree;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A path inside a committed tree: a directory (dirtree + dirmeta) or a file (content object).
 * Obtain the root with {@link #root(OstreeRepo, Commit)}.
 */
public final class RepoFile {

  private final OstreeRepo repo;
  private final String path;
  private final Checksum tree;
  private final Checksum meta;
  private final Checksum content;

  private RepoFile(OstreeRepo repo, String path, Checksum tree, Checksum meta, Checksum content) {
    this.repo = repo;
    this.path = path;
    this.tree = tree;
    this.meta = meta;
    this.content = content;
  }

  /** The root directory of a commit. */
  public static RepoFile root(OstreeRepo repo, Commit commit) {
    return new RepoFile(repo, "/", commit.rootTree(), commit.rootMeta(), null);
  }

  /** The absolute path inside the tree ({@code /} for the root). */
  public String path() {
    return path;
  }

  /** The base name ({@code /} for the root). */
  public String name() {
    return path.equals("/") ? "/" : path.substring(path.lastIndexOf('/') + 1);
  }

  /** Whether this is a directory. */
  public boolean isDirectory() {
    return content == null;
  }

  /** The dirtree checksum of a directory. */
  public Checksum treeChecksum() {
    return tree;
  }

  /** The dirmeta checksum of a directory. */
  public Checksum metaChecksum() {
    return meta;
  }

  /** The content checksum of a file. */
  public Checksum contentChecksum() {
    return content;
  }

  /**
   * The directory's metadata.
   *
   * @throws IOException if it cannot be read
   */
  public DirMeta dirMeta() throws IOException {
    return repo.readDirMeta(meta);
  }

  /**
   * Children in dirtree order: files, then directories.
   *
   * @throws IOException if the dirtree cannot be read
   */
  public List<RepoFile> children() throws IOException {
    if (!isDirectory()) {
      return List.of();
    }
    DirTree dt = repo.readDirTree(tree);
    List<RepoFile> out = new ArrayList<>(dt.files().size() + dt.dirs().size());
    String prefix = path.equals("/") ? "/" : path + "/";
    for (DirTree.FileEntry f : dt.files()) {
      out.add(new RepoFile(repo, prefix + f.name(), null, null, f.checksum()));
    }
    for (DirTree.DirEntry d : dt.dirs()) {
      out.add(new RepoFile(repo, prefix + d.name(), d.tree(), d.meta(), null));
    }
    return out;
  }

  /**
   * Resolves a path relative to this directory ({@code a/b} or {@code /a/b}).
   *
   * @throws OstreeException if a component does not exist
   */
  public RepoFile resolve(String relative) throws IOException {
    RepoFile f = this;
    for (String part : relative.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (!f.isDirectory()) {
        throw new OstreeException("Not a directory: " + f.path);
      }
      RepoFile next = null;
      DirTree dt = repo.readDirTree(f.tree);
      String prefix = f.path.equals("/") ? "/" : f.path + "/";
      for (DirTree.FileEntry e : dt.files()) {
        if (e.name().equals(part)) {
          next = new RepoFile(repo, prefix + part, null, null, e.checksum());
        }
      }
      for (DirTree.DirEntry e : dt.dirs()) {
        if (e.name().equals(part)) {
          next = new RepoFile(repo, prefix + part, e.tree(), e.meta(), null);
        }
      }
      if (next == null) {
        throw new OstreeException("No such file or directory: " + prefix + part);
      }
      f = next;
    }
    return f;
  }
}
