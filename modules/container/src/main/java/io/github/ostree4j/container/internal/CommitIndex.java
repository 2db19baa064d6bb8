package io.github.ostree4j.container.internal;

import io.github.ostree4j.container.ContentObjectInfo;
import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.ostree.Commit;
import io.github.ostree4j.ostree.ContentObject;
import io.github.ostree4j.ostree.CorruptObjectException;
import io.github.ostree4j.ostree.DirMeta;
import io.github.ostree4j.ostree.DirTree;
import io.github.ostree4j.ostree.FileHeader;
import io.github.ostree4j.ostree.ObjectType;
import io.github.ostree4j.ostree.OstreeRepo;
import io.github.ostree4j.ostree.gvariant.GVariantFormatException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A commit read once for export: the depth-first walk of its tree as a list of {@link Step}s (in
 * the order the tar stream needs them), the dirmeta of every directory, and for every content
 * object its header, size and paths. Metadata objects are checked against their checksums while
 * they are read. Immutable once built.
 */
public final class CommitIndex {

  /** One step of the tree walk. */
  public sealed interface Step permits TreeStep, FileStep, DirStep {}

  /** Entering a directory: its dirtree object. */
  public record TreeStep(Checksum dirtree) implements Step {}

  /** A file of the current directory: its path and content object. */
  public record FileStep(String path, Checksum content) implements Step {}

  /** A subdirectory, met before it is entered: its path, dirmeta checksum and dirmeta. */
  public record DirStep(String path, Checksum dirmetaChecksum, DirMeta dirmeta) implements Step {}

  /** What the export needs to know about a content object. */
  public record ObjectEntry(FileHeader header, long size, List<String> paths) {}

  private final Checksum commit;
  private final Commit parsedCommit;
  private final DirMeta rootMeta;
  private final List<Step> steps;
  private final Map<Checksum, ObjectEntry> objects;
  private final Map<Checksum, ContentObjectInfo> contentObjects;

  private CommitIndex(Checksum commit, Commit parsedCommit, DirMeta rootMeta, List<Step> steps,
      Map<Checksum, ObjectEntry> objects) {
    this.commit = commit;
    this.parsedCommit = parsedCommit;
    this.rootMeta = rootMeta;
    this.steps = steps;
    this.objects = objects;
    Map<Checksum, ContentObjectInfo> info = new LinkedHashMap<>();
    for (Map.Entry<Checksum, ObjectEntry> e : objects.entrySet()) {
      info.put(e.getKey(), new ContentObjectInfo(e.getKey(), e.getValue().size(), e.getValue().paths()));
    }
    this.contentObjects = Collections.unmodifiableMap(info);
  }

  /**
   * Reads the commit and its whole tree.
   *
   * @throws IOException if an object is missing or corrupt
   */
  public static CommitIndex build(OstreeRepo repo, Checksum commit) throws IOException {
    byte[] bytes = VerifiedMetadata.read(repo, commit, ObjectType.COMMIT);
    Commit c;
    try {
      c = Commit.parse(bytes);
    } catch (GVariantFormatException e) {
      throw new CorruptObjectException("commit " + commit + ": " + e.getMessage(), e);
    }
    Builder b = new Builder(repo);
    DirMeta rootMeta = b.dirMeta(c.rootMeta());
    b.walk("", c.rootTree());
    // Reading the headers is one open (and xattr read) per object: done in parallel, kept in
    // walk order.
    List<Map.Entry<Checksum, List<String>>> all = new ArrayList<>(b.paths.entrySet());
    ObjectEntry[] entries = new ObjectEntry[all.size()];
    try {
      java.util.stream.IntStream.range(0, all.size()).parallel().forEach(i -> {
        Map.Entry<Checksum, List<String>> e = all.get(i);
        try (ContentObject o = repo.openContentUnverified(e.getKey())) {
          entries[i] = new ObjectEntry(o.header(), o.size(), List.copyOf(e.getValue()));
        } catch (IOException ex) {
          throw new java.io.UncheckedIOException(ex);
        }
      });
    } catch (java.io.UncheckedIOException ex) {
      throw ex.getCause();
    }
    Map<Checksum, ObjectEntry> objects = new LinkedHashMap<>();
    for (int i = 0; i < entries.length; i++) {
      objects.put(all.get(i).getKey(), entries[i]);
    }
    return new CommitIndex(commit, c, rootMeta, List.copyOf(b.steps), Collections.unmodifiableMap(objects));
  }

  /** Collects the walk. */
  private static final class Builder {
    final OstreeRepo repo;
    final List<Step> steps = new ArrayList<>();
    final Map<Checksum, List<String>> paths = new LinkedHashMap<>();
    final Map<Checksum, DirMeta> metas = new HashMap<>();

    Builder(OstreeRepo repo) {
      this.repo = repo;
    }

    void walk(String path, Checksum tree) throws IOException {
      steps.add(new TreeStep(tree));
      DirTree dt;
      try {
        dt = DirTree.parse(VerifiedMetadata.read(repo, tree, ObjectType.DIR_TREE));
      } catch (GVariantFormatException e) {
        throw new CorruptObjectException("dirtree " + tree + ": " + e.getMessage(), e);
      }
      for (DirTree.FileEntry f : dt.files()) {
        String p = join(path, f.name());
        steps.add(new FileStep(p, f.checksum()));
        paths.computeIfAbsent(f.checksum(), k -> new ArrayList<>()).add(p);
      }
      for (DirTree.DirEntry d : dt.dirs()) {
        String p = join(path, d.name());
        steps.add(new DirStep(p, d.meta(), dirMeta(d.meta())));
        walk(p, d.tree());
      }
    }

    DirMeta dirMeta(Checksum meta) throws IOException {
      DirMeta m = metas.get(meta);
      if (m == null) {
        try {
          m = DirMeta.parse(VerifiedMetadata.read(repo, meta, ObjectType.DIR_META));
        } catch (GVariantFormatException e) {
          throw new CorruptObjectException("dirmeta " + meta + ": " + e.getMessage(), e);
        }
        metas.put(meta, m);
      }
      return m;
    }

    private static String join(String dir, String name) {
      return dir.isEmpty() ? name : dir + "/" + name;
    }
  }

  /** The commit's checksum. */
  public Checksum commit() {
    return commit;
  }

  /** The parsed commit. */
  public Commit parsedCommit() {
    return parsedCommit;
  }

  /** The root directory's dirmeta. */
  public DirMeta rootMeta() {
    return rootMeta;
  }

  /** The walk, in order. */
  public List<Step> steps() {
    return steps;
  }

  /** Every content object, in the order the walk first meets it. */
  public Map<Checksum, ObjectEntry> objects() {
    return objects;
  }

  /** The public view of the content objects. */
  public Map<Checksum, ContentObjectInfo> contentObjects() {
    return contentObjects;
  }
}
