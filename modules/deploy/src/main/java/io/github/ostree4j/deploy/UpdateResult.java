package io.github.ostree4j.deploy;

import java.util.Optional;

/**
 * The outcome of a rebase or upgrade.
 *
 * @param outcome what happened
 * @param image the ostree image reference, e.g. {@code ostree-unverified-registry:quay.io/x:1}
 * @param digest the image's manifest digest as the source has it now
 * @param deployed the new deployment, when one was written
 * @param layersFetched layers downloaded
 * @param bytesFetched bytes of layers downloaded
 * @param cleanup what the cleanup after a new deployment removed
 */
public record UpdateResult(Outcome outcome, String image, String digest,
    Optional<DeployResult> deployed, int layersFetched, long bytesFetched,
    Optional<CleanupResult> cleanup) {

  /** What an update did. */
  public enum Outcome {
    /** A new deployment was written and is the default. */
    DEPLOYED,
    /** The image's digest is the deployed one: nothing to do. */
    NO_UPDATE,
    /** Only checked: the source has another digest than the deployed one. */
    UPDATE_AVAILABLE,
    /** Downloaded into the repository, not deployed. */
    DOWNLOADED
  }
}
