package io.github.ostree4j.container;

import io.github.ostree4j.container.internal.ImporterVersion;
import io.github.ostree4j.container.internal.LayerPathRules;
import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.ostree.CommitOptions;
import io.github.ostree4j.ostree.Committer;
import io.github.ostree4j.ostree.MutableTree;
import io.github.ostree4j.ostree.OstreeRepo;
import java.io.IOException;
import java.io.InputStream;

/**
 * Imports a derived (non-ostree) container layer, such as one written by a Containerfile
 * {@code RUN}, as a layer commit, as ostree-ext does before it merges an image: the tar's entries
 * are filtered by the ostree path rules ({@code etc} moves to {@code usr/etc}; {@code /tmp},
 * {@code /run} and the like are emptied; other top-level directories are dropped and counted),
 * then committed like {@code ostree commit --tree=tar=... --tar-autocreate-parents
 * --no-bindings}, with the {@code ostree.importer.version} metadata.
 *
 * <p>Whiteout files ({@code .wh.NAME}, {@code .wh..wh..opq}) are stored literally; they take
 * effect when the image is merged ({@link MergeCommitBuilder}). Ownership, modes and PAX
 * {@code SCHILY.xattr.*} extended attributes are kept. Content is streamed into the repository.
 *
 * <p>Bad input fails with an error naming the entry: {@code ..} in a name, names that are not
 * UTF-8, hard links to entries that are missing or dropped, device nodes and fifos outside the
 * emptied directories (ostree cannot store them; {@code ostree commit} rejects them too), and
 * truncated or oversized headers. Nothing is committed and no ref moves then.
 */
public final class DerivedLayerImporter {

  private final OstreeRepo repo;
  private boolean allowNonUsr;

  /** An importer writing into {@code repo}. */
  public DerivedLayerImporter(OstreeRepo repo) {
    this.repo = repo;
  }

  /**
   * Whether top-level directories other than {@code usr}, {@code etc}, {@code var} and the
   * emptied ones are kept (for images whose root is transient, and for non-ostree images).
   * Default: false, they are dropped and counted.
   */
  public DerivedLayerImporter allowNonUsr(boolean allow) {
    this.allowNonUsr = allow;
    return this;
  }

  /**
   * Filters and commits one layer tar (already decompressed). {@code options} supplies the
   * branch (usually {@link ContainerRefs#layerRef}), subject and further metadata; bindings are
   * never written, {@code ostree.importer.version} is added, and without an explicit timestamp
   * the commit gets timestamp 0 so that a layer always gives the same commit. Without an
   * explicit parent the commit has none, even if the branch exists.
   *
   * @throws InvalidLayerException for a layer that breaks the path rules, naming the entry
   * @throws IOException for malformed tar data and on failure to write
   */
  public DerivedLayerResult importLayer(InputStream tar, CommitOptions options) throws IOException {
    CommitOptions.Builder b = options.toBuilder()
        .noBindings(true)
        .addMetadataString(ImporterVersion.KEY, ImporterVersion.VALUE);
    if (options.timestamp().isEmpty()) {
      b.timestamp(0);
    }
    if (options.parent().isEmpty()) {
      // a layer commit stands alone, even when its ref already exists
      b.orphan(true);
    }
    CommitOptions layerOptions = b.build();
    LayerPathRules rules = new LayerPathRules(allowNonUsr);
    Committer committer = new Committer(repo);
    MutableTree tree = committer.importTar(tar, layerOptions, rules);
    Checksum commit = committer.commitTree(tree, layerOptions);
    return new DerivedLayerResult(commit, rules.filtered());
  }
}
