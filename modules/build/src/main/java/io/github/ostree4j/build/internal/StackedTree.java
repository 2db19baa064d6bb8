package io.github.ostree4j.build.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The merged view of read-only layers (change trees, topmost first), computed the way overlayfs
 * merges lower directories: the topmost entry at a path wins; a whiteout hides the path in the
 * layers below it; directories merge with the directories below them until a layer has a
 * non-directory there or marks the directory opaque.
 */
final class StackedTree implements TreeLookup {

  /**
   * One merged entry: metadata and file of its topmost occurrence, and for a directory the
   * layer directories that merge into it (topmost first).
   */
  record Node(FileMeta meta, Path path, List<Path> dirLayers) {

    boolean isDir() {
      return meta.isDir();
    }
  }

  private final Node root;

  /**
   * @param layers layer root directories, topmost first; at least one
   * @throws NotDirectoryException when a layer is not a directory
   */
  StackedTree(List<Path> layers) throws IOException {
    if (layers.isEmpty()) {
      throw new IllegalArgumentException("no layers");
    }
    List<Path> dirs = new ArrayList<>();
    FileMeta top = null;
    for (Path layer : layers) {
      FileMeta m = FileMeta.readIfExists(layer);
      if (m == null || !m.isDir()) {
        throw new NotDirectoryException(layer + " (a lower layer)");
      }
      if (top == null) {
        top = m;
      }
      dirs.add(layer);
      if (ChangeTreeFormat.isOpaque(layer)) {
        break;
      }
    }
    this.root = new Node(top, layers.get(0), List.copyOf(dirs));
  }

  /** The root directory. */
  Node root() {
    return root;
  }

  /** The entry called {@code name} in directory {@code dir}, or null when there is none. */
  Node child(Node dir, String name) throws IOException {
    if (!dir.isDir()) {
      return null;
    }
    FileMeta top = null;
    Path topPath = null;
    List<Path> dirs = new ArrayList<>();
    List<Path> layers = dir.dirLayers();
    for (int i = 0; i < layers.size(); i++) {
      Path p = layers.get(i).resolve(name);
      FileMeta m = FileMeta.readIfExists(p);
      if (m == null) {
        continue;
      }
      if (m.isWhiteout()) {
        break;
      }
      if (!m.isDir()) {
        if (top == null) {
          top = m;
          topPath = p;
        }
        break;
      }
      if (top == null) {
        top = m;
        topPath = p;
      }
      dirs.add(p);
      if (i < layers.size() - 1 && ChangeTreeFormat.isOpaque(p)) {
        break;
      }
    }
    return top == null ? null : new Node(top, topPath, List.copyOf(dirs));
  }

  /** The entries of a directory, by name. */
  SortedMap<String, Node> list(Node dir) throws IOException {
    TreeSet<String> names = new TreeSet<>();
    for (Path layer : dir.dirLayers()) {
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(layer)) {
        for (Path p : ds) {
          names.add(p.getFileName().toString());
        }
      }
    }
    SortedMap<String, Node> out = new TreeMap<>();
    for (String name : names) {
      Node n = child(dir, name);
      if (n != null) {
        out.put(name, n);
      }
    }
    return out;
  }

  /** The entry at a relative path, or null. */
  Node lookup(String rel) throws IOException {
    Node n = root;
    for (String c : rel.split("/")) {
      if (c.isEmpty()) {
        continue;
      }
      n = child(n, c);
      if (n == null) {
        return null;
      }
    }
    return n;
  }

  @Override
  public FileMeta lstat(String rel) throws IOException {
    Node n = lookup(rel);
    return n == null ? null : n.meta();
  }

  @Override
  public Path realPath(String rel) throws IOException {
    Node n = lookup(rel);
    return n == null ? null : n.path();
  }
}
