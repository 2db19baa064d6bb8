package io.github.ostree4j.container;

import io.github.ostree4j.container.internal.CanonicalJson;
import io.github.ostree4j.container.internal.ImporterVersion;
import io.github.ostree4j.container.internal.LayerMerger;
import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.ostree.Commit;
import io.github.ostree4j.ostree.CommitOptions;
import io.github.ostree4j.ostree.Committer;
import io.github.ostree4j.ostree.MutableTree;
import io.github.ostree4j.ostree.OstreeRepo;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the merge commit of a layered container image, as ostree-ext does at the end of
 * {@code container image pull}: the base commit's tree with each derived layer commit laid over
 * it in order, whiteouts applied (OCI semantics; see {@link DerivedLayerImporter} for how layer
 * commits keep them), empty {@code usr/etc/hostname} and {@code usr/etc/resolv.conf} removed.
 *
 * <p>The commit has the base commit as parent, the given timestamp, an empty subject, no ref
 * bindings, and the metadata {@code ostree.container.image-config}, {@code
 * ostree.importer.version}, {@code ostree.manifest} and {@code ostree.manifest-digest} (all
 * strings, in that sorted order). No ref is written: the caller points {@link
 * ContainerRefs#imageRef} at the result once everything else is in place.
 *
 * <p>Unlike ostree-ext, no SELinux relabeling is done: labels are whatever the layers carry.
 */
public final class MergeCommitBuilder {

  /** Commit metadata key of the manifest digest. */
  static final String KEY_MANIFEST_DIGEST = "ostree.manifest-digest";
  /** Commit metadata key of the manifest JSON. */
  static final String KEY_MANIFEST = "ostree.manifest";
  /** Commit metadata key of the image config JSON. */
  static final String KEY_CONFIG = "ostree.container.image-config";

  private final OstreeRepo repo;

  /** A builder writing into {@code repo}. */
  public MergeCommitBuilder(OstreeRepo repo) {
    this.repo = repo;
  }

  /**
   * Writes the merge commit.
   *
   * @param baseCommit the ostree base commit, or null for an image without one (all its layers
   *     are derived; the merge then starts from an empty tree and has no parent)
   * @param layerCommits the derived layer commits, bottom layer first
   * @param metadata manifest, config and timestamp
   * @throws InvalidLayerException for a malformed whiteout in a layer
   * @throws IOException if a commit is missing, the JSON is invalid, or writing fails
   */
  public Checksum merge(Checksum baseCommit, List<Checksum> layerCommits, MergeMetadata metadata)
      throws IOException {
    if (baseCommit == null && layerCommits.isEmpty()) {
      throw new IllegalArgumentException("a merge commit needs a base commit or at least one layer");
    }
    // ostree-ext stores both documents as canonical JSON (re-serialized), not the fetched bytes.
    String manifest = CanonicalJson.canonicalize(metadata.manifestJson(), "image manifest");
    String config = CanonicalJson.canonicalize(metadata.configJson(), "image config");

    MutableTree root;
    if (baseCommit != null) {
      Commit base = repo.readCommit(baseCommit);
      root = MutableTree.fromRepo(repo, base.rootTree(), base.rootMeta());
    } else {
      root = new MutableTree();
    }
    LayerMerger merger = new LayerMerger(repo);
    boolean fresh = baseCommit == null;
    for (Checksum layer : layerCommits) {
      Commit c = repo.readCommit(layer);
      merger.apply(root, c.rootTree(), c.rootMeta(), fresh, "");
      fresh = false;
    }
    merger.cleanupRoot(root);

    // sorted by key, as ostree-ext builds the a{sv} from a sorted map
    Map<String, String> md = new TreeMap<>();
    md.put(KEY_MANIFEST_DIGEST, metadata.manifestDigest().toString());
    md.put(KEY_MANIFEST, manifest);
    md.put(KEY_CONFIG, config);
    md.put(ImporterVersion.KEY, ImporterVersion.VALUE);
    CommitOptions.Builder o = CommitOptions.builder()
        .timestamp(metadata.timestamp())
        .noBindings(true);
    if (baseCommit != null) {
      o.parent(baseCommit);
    } else {
      o.orphan(true);
    }
    md.forEach(o::addMetadataString);
    return new Committer(repo).commitTree(root, o.build());
  }
}
