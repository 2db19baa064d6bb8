package io.github.ostree4j.ostree;

import io.github.ostree4j.ostree.gvariant.GVariantFormatException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An in-memory directory tree whose leaves are content checksums, for building commits from any
 * source (a directory, a tar stream, container layers). Subtrees loaded from a repository stay
 * unread until modified. Methods are synchronized so that parallel importers can fill one tree.
 */
public final class MutableTree {

  private Checksum metaChecksum;
  private final TreeMap<String, Checksum> files = new TreeMap<>(DirTree.NAME_ORDER);
  private final TreeMap<String, MutableTree> dirs = new TreeMap<>(DirTree.NAME_ORDER);
  private OstreeRepo lazyRepo;
  private Checksum lazyTree;
  private Checksum writtenTree;

  /** An empty tree with no dirmeta yet. */
  public MutableTree() {}

  /** A tree backed by an existing dirtree/dirmeta pair, read on first modification. */
  public static MutableTree fromRepo(OstreeRepo repo, Checksum tree, Checksum meta) {
    MutableTree t = new MutableTree();
    t.lazyRepo = repo;
    t.lazyTree = tree;
    t.metaChecksum = meta;
    return t;
  }

  private void load() throws IOException {
    if (lazyTree == null) {
      return;
    }
    DirTree dt = lazyRepo.readDirTree(lazyTree);
    for (DirTree.FileEntry f : dt.files()) {
      files.put(f.name(), f.checksum());
    }
    for (DirTree.DirEntry d : dt.dirs()) {
      dirs.put(d.name(), fromRepo(lazyRepo, d.tree(), d.meta()));
    }
    lazyTree = null;
    lazyRepo = null;
  }

  private void modified() {
    writtenTree = null;
  }

  /** The dirmeta checksum of this directory. */
  public synchronized Checksum metaChecksum() {
    return metaChecksum;
  }

  /** Sets the dirmeta checksum of this directory. */
  public synchronized void setMetaChecksum(Checksum meta) {
    this.metaChecksum = meta;
  }

  /**
   * Adds or replaces a file (regular or symlink). A directory of the same name is replaced.
   *
   * @throws OstreeException if the name is invalid
   */
  public synchronized void putFile(String name, Checksum content) throws IOException {
    validate(name);
    load();
    dirs.remove(name);
    files.put(name, content);
    modified();
  }

  /**
   * The subdirectory {@code name}, created (without dirmeta) if missing. A file of the same name
   * is replaced.
   *
   * @throws OstreeException if the name is invalid
   */
  public synchronized MutableTree ensureDir(String name) throws IOException {
    validate(name);
    load();
    MutableTree d = dirs.get(name);
    if (d == null) {
      files.remove(name);
      d = new MutableTree();
      dirs.put(name, d);
      modified();
    }
    // The child may be modified by the caller: this tree must be rewritten.
    modified();
    return d;
  }

  /**
   * The subdirectory {@code name} if it exists.
   *
   * @throws IOException if a lazily loaded tree cannot be read
   */
  public synchronized MutableTree getDir(String name) throws IOException {
    load();
    MutableTree d = dirs.get(name);
    if (d != null) {
      modified();
    }
    return d;
  }

  /**
   * The content checksum of file {@code name}, or null.
   *
   * @throws IOException if a lazily loaded tree cannot be read
   */
  public synchronized Checksum getFile(String name) throws IOException {
    load();
    return files.get(name);
  }

  /**
   * Removes a file or directory; returns whether something was removed.
   *
   * @throws IOException if a lazily loaded tree cannot be read
   */
  public synchronized boolean remove(String name) throws IOException {
    load();
    boolean removed = files.remove(name) != null | dirs.remove(name) != null;
    if (removed) {
      modified();
    }
    return removed;
  }

  /**
   * Removes every entry (an opaque directory in a layer).
   *
   * @throws IOException never in practice
   */
  public synchronized void clear() throws IOException {
    lazyTree = null;
    lazyRepo = null;
    files.clear();
    dirs.clear();
    modified();
  }

  /**
   * File entries by name, in dirtree order.
   *
   * @throws IOException if a lazily loaded tree cannot be read
   */
  public synchronized Map<String, Checksum> files() throws IOException {
    load();
    return new TreeMap<>(files);
  }

  /**
   * Subdirectories by name, in dirtree order.
   *
   * @throws IOException if a lazily loaded tree cannot be read
   */
  public synchronized Map<String, MutableTree> dirs() throws IOException {
    load();
    return new TreeMap<>(dirs);
  }

  /**
   * Walks a relative path of directory names, creating missing directories with {@code meta}.
   *
   * @throws IOException if a name is invalid
   */
  public MutableTree ensurePath(List<String> parts, Checksum meta) throws IOException {
    MutableTree t = this;
    for (String p : parts) {
      MutableTree next = t.ensureDir(p);
      synchronized (next) {
        if (next.metaChecksum == null) {
          next.metaChecksum = meta;
        }
      }
      t = next;
    }
    return t;
  }

  /**
   * Writes this tree's dirtree objects (bottom up) and returns the root dirtree checksum.
   *
   * @throws OstreeException if a directory has no dirmeta
   */
  public synchronized Checksum writeTree(OstreeRepo repo) throws IOException {
    if (lazyTree != null) {
      return lazyTree;
    }
    if (writtenTree != null) {
      return writtenTree;
    }
    List<DirTree.FileEntry> fe = new ArrayList<>(files.size());
    for (Map.Entry<String, Checksum> e : files.entrySet()) {
      fe.add(new DirTree.FileEntry(e.getKey(), e.getValue()));
    }
    List<DirTree.DirEntry> de = new ArrayList<>(dirs.size());
    for (Map.Entry<String, MutableTree> e : dirs.entrySet()) {
      MutableTree child = e.getValue();
      Checksum childTree = child.writeTree(repo);
      Checksum childMeta = child.metaChecksum();
      if (childMeta == null) {
        throw new OstreeException("directory " + e.getKey() + " has no metadata");
      }
      de.add(new DirTree.DirEntry(e.getKey(), childTree, childMeta));
    }
    writtenTree = repo.writeMetadata(ObjectType.DIR_TREE, new DirTree(fe, de).serialize());
    return writtenTree;
  }

  /**
   * Lays {@code upper} over this tree: its files replace ours, its directories merge into ours
   * (taking its dirmeta), as {@code ostree commit} does with several {@code --tree} options.
   *
   * @throws IOException if a lazily loaded tree cannot be read
   */
  public void overlay(MutableTree upper) throws IOException {
    if (upper.metaChecksum() != null) {
      setMetaChecksum(upper.metaChecksum());
    }
    for (Map.Entry<String, Checksum> f : upper.files().entrySet()) {
      putFile(f.getKey(), f.getValue());
    }
    for (Map.Entry<String, MutableTree> d : upper.dirs().entrySet()) {
      MutableTree mine = getDir(d.getKey());
      if (mine == null) {
        synchronized (this) {
          files.remove(d.getKey());
          dirs.put(d.getKey(), d.getValue());
          modified();
        }
      } else {
        mine.overlay(d.getValue());
      }
    }
  }

  private static void validate(String name) throws OstreeException {
    try {
      DirTree.validateName(name);
    } catch (GVariantFormatException e) {
      throw new OstreeException("Invalid file name '" + name + "'");
    }
  }
}
