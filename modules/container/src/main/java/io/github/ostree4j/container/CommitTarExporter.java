package io.github.ostree4j.container;

import io.github.ostree4j.container.internal.CommitIndex;
import io.github.ostree4j.container.internal.CommitStreamWriter;
import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.ostree.OstreeRepo;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.Set;

/**
 * Writes commits of a repository as ostree-ext tar streams ("ostree-in-tar", the layer format of
 * ostree native container images), as uncompressed tar to a stream.
 *
 * <p>A stream holds an ostree repository of mode {@code bare-split-xattrs} under
 * {@code sysroot/ostree/repo/} and, next to it, the checkout of the commit ({@code usr/...},
 * {@code etc/...}) as hard links into that repository, so that a container runtime sees a normal
 * root filesystem. Every entry has mtime 0; the same commit always gives the same bytes. Objects
 * are read from the repository with verification: a corrupt object fails the export with an
 * {@link io.github.ostree4j.ostree.CorruptObjectException} naming it. File contents are copied
 * from the repository to the stream, never held in memory.
 *
 * <p>The commit is read once, when the exporter is created; an exporter can then write any
 * number of streams (the whole commit, or the commit layer and component layers of a chunked
 * image) and may be used from several threads, each with its own output.
 *
 * <pre>{@code
 * CommitTarExporter exporter = new CommitTarExporter(repo, commit);
 * try (OutputStream out = Files.newOutputStream(tarFile)) {
 *   exporter.exportCommit(out);
 * }
 * }</pre>
 */
public final class CommitTarExporter {

  private final OstreeRepo repo;
  private final CommitIndex index;

  /**
   * Reads {@code commit} and its tree and indexes which paths use which content object.
   *
   * @param repo the repository holding the commit
   * @param commit the commit to export
   * @throws IOException if the commit or one of its objects is missing or corrupt
   */
  public CommitTarExporter(OstreeRepo repo, Checksum commit) throws IOException {
    this.repo = repo;
    this.index = CommitIndex.build(repo, commit);
  }

  /**
   * Writes the whole commit, like {@code ostree-ext-cli tar export --format-version=1} (with the
   * current xattrs form: one {@code .file-xattrs-link} regular file before each {@code .file}).
   *
   * @param out receives the tar stream; it is flushed but not closed
   * @throws IOException on write failure or a corrupt object
   */
  public void exportCommit(OutputStream out) throws IOException {
    new CommitStreamWriter(repo, index, out).writeCommitStream(true, Set.of());
  }

  /**
   * Writes layer 0 of a chunked image: commit, commitmeta, every dirtree and dirmeta, the
   * directory entries and {@code var/tmp}, but no files of the tree walk; then the
   * {@code remainder} content objects (those in no component layer), sorted by checksum, each
   * followed by the hard links for all of its paths.
   *
   * @param remainder content objects of this commit to include
   * @param out receives the tar stream; it is flushed but not closed
   * @throws IllegalArgumentException if an object is not a content object of the commit
   * @throws IOException on write failure or a corrupt object
   */
  public void exportCommitLayer(Set<Checksum> remainder, OutputStream out) throws IOException {
    requireContentObjects(remainder);
    new CommitStreamWriter(repo, index, out).writeCommitStream(false, remainder);
  }

  /**
   * Like {@link #exportCommitLayer(Set, OutputStream)}, followed by {@code copies}: checkout paths
   * (commit paths) written as plain files with the content of the given object, sorted by path —
   * the paths a component layer left out.
   *
   * @param remainder content objects of this commit to include
   * @param copies commit path to content object
   * @param out receives the tar stream; it is flushed but not closed
   * @throws IOException on write failure or a corrupt object
   */
  public void exportCommitLayer(Set<Checksum> remainder, Map<String, Checksum> copies,
      OutputStream out) throws IOException {
    requireContentObjects(remainder);
    requireContentObjects(copies.values());
    new CommitStreamWriter(repo, index, out).writeCommitStream(false, remainder, copies);
  }

  /**
   * Writes a component ("chunk") layer: the repository skeleton and config, then the given
   * content objects sorted by checksum, each followed by the hard links for all of its paths.
   *
   * @param objects content objects of this commit to include
   * @param out receives the tar stream; it is flushed but not closed
   * @throws IllegalArgumentException if an object is not a content object of the commit
   * @throws IOException on write failure or a corrupt object
   */
  public void exportChunk(Set<Checksum> objects, OutputStream out) throws IOException {
    requireContentObjects(objects);
    new CommitStreamWriter(repo, index, out).writeChunk(objects);
  }

  /**
   * Like {@link #exportChunk(Set, OutputStream)}, with checkout entries only for the paths {@code
   * keepPath} accepts (commit paths, e.g. {@code usr/bin/bash}); the others are expected in layer 0
   * as plain copies ({@link #exportCommitLayer(Set, Map, OutputStream)}).
   *
   * @param objects content objects of this commit to include
   * @param keepPath which paths of those objects get a hard link in this layer
   * @param out receives the tar stream; it is flushed but not closed
   * @throws IOException on write failure or a corrupt object
   */
  public void exportChunk(Set<Checksum> objects, java.util.function.Predicate<String> keepPath,
      OutputStream out) throws IOException {
    requireContentObjects(objects);
    new CommitStreamWriter(repo, index, out).writeChunk(objects, keepPath);
  }

  /**
   * Every content object of the commit with its uncompressed size and its paths, in the order a
   * depth-first walk of the tree first meets them.
   *
   * @return an unmodifiable map from checksum to object information
   */
  public Map<Checksum, ContentObjectInfo> contentObjects() {
    return index.contentObjects();
  }

  private void requireContentObjects(java.util.Collection<Checksum> objects) {
    for (Checksum c : objects) {
      if (!index.objects().containsKey(c)) {
        throw new IllegalArgumentException("content object " + c + " is not part of commit " + index.commit());
      }
    }
  }
}
