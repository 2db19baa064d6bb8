package io.github.ostree4j.container;

import io.github.ostree4j.container.internal.OstreeTarImport;
import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.ostree.OstreeRepo;
import java.io.IOException;
import java.io.InputStream;

/**
 * Imports ostree-ext tar streams ("ostree-in-tar") into a repository of any mode (archive,
 * bare-user, bare).
 *
 * <p>Accepted are the current form (a {@code .file-xattrs-link} regular file before each
 * {@code .file}), the 2022 to 2025 form ({@code .file-xattrs} objects named by their SHA-256 and
 * {@code .file-xattrs-link} hard links to them) and the 2021 form ({@code xattrs/<sha256>} and
 * {@code .file.xattrs} hard links). Only the embedded repository below
 * {@code sysroot/ostree/repo/} is read; {@code ./x}, {@code /x} and {@code x} name the same
 * entry; the checkout next to it is ignored.
 *
 * <p>Every object is written with its expected checksum and verified by the repository; file
 * contents are streamed, never held in memory. A stream that is not valid fails with an
 * {@link InvalidOstreeTarException} naming the entry and the reason. Nothing outside the
 * repository is written and no ref is created; objects written before a failure are complete and
 * valid, so the repository stays consistent ({@code ostree fsck} clean).
 *
 * <p>The stream must be uncompressed tar; decompress layers first. It is read to its end but not
 * closed.
 */
public final class CommitTarImporter {

  private final OstreeRepo repo;
  private boolean flushObjectSets = true;

  /**
   * An importer writing into {@code repo}.
   *
   * @param repo the target repository
   */
  public CommitTarImporter(OstreeRepo repo) {
    this.repo = repo;
  }

  /**
   * Imports a commit layer (layer 0 of an image) or a whole-commit stream. The first object of
   * the stream must be the commit. While the import runs, the commit is marked partial
   * ({@code state/<checksum>.commitpartial}, as libostree does); the mark is removed only when
   * the commit and everything it references are in the repository. When objects are still
   * missing at the end (a chunked image whose component layers were not imported first), the mark
   * stays and the import fails naming the first missing object.
   *
   * @param tar the uncompressed tar stream
   * @return the commit's checksum
   * @throws InvalidOstreeTarException if the stream is not a valid commit stream
   * @throws IOException if the repository cannot be written, or the commit is incomplete
   */
  public Checksum importCommit(InputStream tar) throws IOException {
    return new OstreeTarImport(repo, OstreeTarImport.Mode.COMMIT).run(tar);
  }

  /**
   * Imports the objects of a commit layer without completing the commit: as {@link
   * #importCommit}, but nothing is flushed and the commit stays marked partial, so that the
   * commit layer can be imported while its component layers still are. Once all layers are in,
   * the caller flushes ({@link OstreeRepo#syncFilesystem()}) and calls {@link #completeCommit}.
   *
   * @param tar the uncompressed tar stream
   * @return the commit's checksum
   * @throws InvalidOstreeTarException if the stream is not a valid commit stream
   * @throws IOException if the repository cannot be written
   */
  public Checksum importCommitObjects(InputStream tar) throws IOException {
    return new OstreeTarImport(repo, OstreeTarImport.Mode.COMMIT).completeAtEnd(false).run(tar);
  }

  /**
   * Completes a commit imported with {@link #importCommitObjects}: checks that the commit and
   * everything it references are in the repository and clears its partial mark.
   *
   * @param commit the commit
   * @throws IOException if the commit is incomplete (it stays marked partial; the message names
   *     the first missing object), or cannot be read
   */
  public void completeCommit(Checksum commit) throws IOException {
    OstreeTarImport.complete(repo, commit);
  }

  /**
   * Imports a component layer: content objects only (a metadata object or a content object that
   * appears twice is an error). As the reference importer does, the objects are then recorded in
   * a synthetic commit whose root directory holds one file per object, named by the object's
   * checksum (uid 0, gid 0, mode 0755 root directory; timestamp 0; no metadata, subject or
   * parent).
   *
   * @param tar the uncompressed tar stream
   * @return the checksum of the synthetic commit
   * @throws InvalidOstreeTarException if the stream is not a valid component layer
   * @throws IOException if the repository cannot be written
   */
  public Checksum importObjectSet(InputStream tar) throws IOException {
    return new OstreeTarImport(repo, OstreeTarImport.Mode.OBJECT_SET).flushAtEnd(flushObjectSets)
        .run(tar);
  }

  /**
   * Whether {@link #importObjectSet} ends by flushing the repository's filesystem (default: yes),
   * so that a ref may point at the synthetic commit at once. A caller that imports several
   * component layers and writes their refs together turns this off and calls
   * {@link OstreeRepo#syncFilesystem()} once, before writing any of the refs.
   *
   * @param flush whether each component-layer import flushes
   * @return this importer
   */
  public CommitTarImporter flushObjectSets(boolean flush) {
    this.flushObjectSets = flush;
    return this;
  }
}
