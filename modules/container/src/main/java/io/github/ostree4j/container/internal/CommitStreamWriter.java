package io.github.ostree4j.container.internal;

import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.ostree.ContentObject;
import io.github.ostree4j.ostree.DirMeta;
import io.github.ostree4j.ostree.FileHeader;
import io.github.ostree4j.ostree.ObjectType;
import io.github.ostree4j.ostree.OstreeRepo;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * Writes one ostree-ext tar stream for an indexed commit, in the order of the reference exporter:
 *
 * <ol>
 *   <li>the {@code ./} root directory (commit streams only), the repository skeleton and config;
 *   <li>the {@code .commit} object, the {@code .commitmeta} object if any, the root
 *       {@code .dirmeta};
 *   <li>a depth-first walk: each directory's {@code .dirtree}, then its files (xattrs link, object,
 *       checkout entry), then for each subdirectory its {@code .dirmeta}, its directory entry and
 *       the subdirectory's own walk; files are left out of a commit layer;
 *   <li>{@code var/tmp} (root, 01777) unless the tree has it;
 *   <li>the given content objects sorted by checksum, each followed by its checkout entries.
 * </ol>
 *
 * <p>Each content object goes out as a {@code .file-xattrs-link} regular file holding its
 * serialized xattrs (also when there are none), immediately followed by the {@code .file} entry,
 * which carries the xattrs except {@code security.selinux} as PAX {@code SCHILY.xattr.*} records.
 * A checkout path is a hard link to the object entry (also for symlinks), except for empty regular
 * files, which are written as empty files of their own. {@code usr/etc} is written as
 * {@code etc}. Checkout paths inside the embedded repository ({@code sysroot/ostree/repo/...})
 * are left out, and a checkout path that was already written (the commit's own {@code sysroot}
 * directory, {@code etc} next to {@code usr/etc}) is written only once.
 */
public final class CommitStreamWriter {

  private static final String REPO_PREFIX = RepoTarLayout.REPO + "/";

  private final OstreeRepo repo;
  private final CommitIndex index;
  private final OstreeTarWriter tar;
  private final Set<Checksum> writtenTrees = new HashSet<>();
  private final Set<Checksum> writtenMetas = new HashSet<>();
  private final Set<Checksum> writtenContent = new HashSet<>();

  /** A writer of one stream to {@code out}. */
  public CommitStreamWriter(OstreeRepo repo, CommitIndex index, OutputStream out) {
    this.repo = repo;
    this.index = index;
    this.tar = new OstreeTarWriter(out);
  }

  /**
   * The whole commit, or its commit layer: the tree structure with ({@code withFiles}) or without
   * the files of the walk, then {@code var/tmp}, then {@code trailing} content objects.
   *
   * @throws IOException on read or write failure, or if an object is corrupt
   */
  public void writeCommitStream(boolean withFiles, Collection<Checksum> trailing) throws IOException {
    writeCommitStream(withFiles, trailing, java.util.Map.of());
  }

  /**
   * Like {@link #writeCommitStream(boolean, Collection)}, then {@code copies}: checkout paths
   * written as plain files (regular files with the object's content, or symlinks), sorted by path,
   * for paths whose object lives in another layer.
   *
   * @throws IOException on read or write failure, or if an object is corrupt
   */
  public void writeCommitStream(boolean withFiles, Collection<Checksum> trailing,
      java.util.Map<String, Checksum> copies) throws IOException {
    DirMeta root = index.rootMeta();
    tar.directory(".", root.uid(), root.gid(), root.mode());
    writeSkeleton();
    Checksum commit = index.commit();
    metadataFile(commit, ObjectType.COMMIT, VerifiedMetadata.read(repo, commit, ObjectType.COMMIT));
    if (repo.hasObject(commit, ObjectType.COMMIT_META)) {
      metadataFile(commit, ObjectType.COMMIT_META, VerifiedMetadata.readCommitMeta(repo, commit));
    }
    writeDirMeta(index.parsedCommit().rootMeta());
    for (CommitIndex.Step step : index.steps()) {
      if (step instanceof CommitIndex.TreeStep t) {
        if (writtenTrees.add(t.dirtree())) {
          metadataFile(t.dirtree(), ObjectType.DIR_TREE, VerifiedMetadata.read(repo, t.dirtree(), ObjectType.DIR_TREE));
        }
      } else if (step instanceof CommitIndex.FileStep f) {
        if (withFiles) {
          writeContent(f.content());
          writeCheckoutEntry(f.content(), f.path());
        }
      } else if (step instanceof CommitIndex.DirStep d) {
        writeDirMeta(d.dirmetaChecksum());
        String path = RepoTarLayout.checkoutPath(d.path());
        if (!insideEmbeddedRepo(path)) {
          tar.directory(path, d.dirmeta().uid(), d.dirmeta().gid(), d.dirmeta().mode());
        }
      }
    }
    tar.directory(RepoTarLayout.VAR_TMP, 0, 0, RepoTarLayout.VAR_TMP_MODE);
    writeObjectsWithAllPaths(trailing);
    for (java.util.Map.Entry<String, Checksum> e : new java.util.TreeMap<>(copies).entrySet()) {
      writePlainCopy(e.getValue(), e.getKey());
    }
    tar.finish();
  }

  /**
   * A component layer: the skeleton and config, then {@code objects} sorted by checksum, each
   * followed by its checkout entries.
   *
   * @throws IOException on read or write failure, or if an object is corrupt
   */
  public void writeChunk(Collection<Checksum> objects) throws IOException {
    writeChunk(objects, p -> true);
  }

  /**
   * A component layer whose checkout entries are only the paths {@code keepPath} accepts.
   *
   * @throws IOException on read or write failure, or if an object is corrupt
   */
  public void writeChunk(Collection<Checksum> objects, java.util.function.Predicate<String> keepPath)
      throws IOException {
    writeSkeleton();
    for (Checksum c : new TreeSet<>(objects)) {
      CommitIndex.ObjectEntry e = entry(c);
      writeContent(c);
      for (String path : e.paths()) {
        if (keepPath.test(path)) {
          writeCheckoutEntry(c, path);
        }
      }
    }
    tar.finish();
  }

  /** A checkout path as a file of its own (not a hard link into the repository). */
  private void writePlainCopy(Checksum c, String commitPath) throws IOException {
    String path = RepoTarLayout.checkoutPath(commitPath);
    if (insideEmbeddedRepo(path)) {
      return;
    }
    try (ContentObject o = repo.openContent(c)) {
      FileHeader h = o.header();
      PaxRecords pax = PaxRecords.forXattrs(h.xattrs());
      if (h.isSymlink()) {
        tar.symlink(path, h.uid(), h.gid(), h.mode(), h.symlinkTarget(), pax);
      } else {
        tar.regularFile(path, h.uid(), h.gid(), h.mode(), o.size(), o.payload(), pax);
      }
    }
  }

  private void writeSkeleton() throws IOException {
    for (String d : RepoTarLayout.skeletonDirectories()) {
      tar.directory(d, 0, 0, 0755);
    }
    tar.regularFile(RepoTarLayout.CONFIG_PATH, 0, 0, 0644, RepoTarLayout.configBytes());
  }

  private void writeObjectsWithAllPaths(Collection<Checksum> objects) throws IOException {
    for (Checksum c : new TreeSet<>(objects)) {
      CommitIndex.ObjectEntry e = entry(c);
      writeContent(c);
      for (String path : e.paths()) {
        writeCheckoutEntry(c, path);
      }
    }
  }

  private void writeDirMeta(Checksum meta) throws IOException {
    if (writtenMetas.add(meta)) {
      metadataFile(meta, ObjectType.DIR_META, VerifiedMetadata.read(repo, meta, ObjectType.DIR_META));
    }
  }

  private void metadataFile(Checksum c, ObjectType type, byte[] bytes) throws IOException {
    tar.regularFile(RepoTarLayout.objectPath(c, type.extension()), 0, 0, 0644, bytes);
  }

  private void writeContent(Checksum c) throws IOException {
    if (!writtenContent.add(c)) {
      return;
    }
    // verified while streaming: a corrupt object in the repository fails the export, naming it,
    // instead of travelling on in an image
    try (ContentObject o = repo.openContent(c)) {
      FileHeader h = o.header();
      tar.regularFile(RepoTarLayout.objectPath(c, ObjectType.FILE_XATTRS_LINK.extension()), 0, 0, 0644,
          h.xattrs().serialize());
      String path = RepoTarLayout.objectPath(c, ObjectType.FILE.extension());
      PaxRecords pax = PaxRecords.forXattrs(h.xattrs());
      if (h.isSymlink()) {
        tar.symlink(path, h.uid(), h.gid(), h.mode(), h.symlinkTarget(), pax);
      } else {
        tar.regularFile(path, h.uid(), h.gid(), h.mode(), o.size(), o.payload(), pax);
      }
    }
  }

  private void writeCheckoutEntry(Checksum c, String commitPath) throws IOException {
    String path = RepoTarLayout.checkoutPath(commitPath);
    if (insideEmbeddedRepo(path)) {
      return;
    }
    CommitIndex.ObjectEntry e = entry(c);
    FileHeader h = e.header();
    if (!h.isSymlink() && e.size() == 0) {
      tar.regularFile(path, h.uid(), h.gid(), h.mode(), new byte[0]);
    } else {
      tar.hardlink(path, RepoTarLayout.objectPath(c, ObjectType.FILE.extension()), h.uid(), h.gid(), h.mode());
    }
  }

  private CommitIndex.ObjectEntry entry(Checksum c) {
    CommitIndex.ObjectEntry e = index.objects().get(c);
    if (e == null) {
      throw new IllegalArgumentException("content object " + c + " is not part of commit " + index.commit());
    }
    return e;
  }

  private static boolean insideEmbeddedRepo(String path) {
    return path.startsWith(REPO_PREFIX);
  }
}
