package io.github.ostree4j.container;

import io.github.ostree4j.oci.Digest;
import java.util.Objects;

/**
 * What a merge commit records about its image, as ostree-ext records it: the manifest digest,
 * the manifest and config JSON, and the commit time.
 *
 * @param manifestDigest digest of the image's manifest as fetched (the original manifest, even if
 *     {@code manifestJson} is a converted form)
 * @param manifestJson the OCI image manifest JSON
 * @param configJson the image config JSON
 * @param timestamp commit time in seconds since the epoch: the manifest annotation {@code
 *     org.opencontainers.image.created}, else the config's {@code created}, else the current
 *     time; the caller decides
 */
public record MergeMetadata(Digest manifestDigest, byte[] manifestJson, byte[] configJson, long timestamp) {

  /**
   * Canonical constructor; copies the arrays.
   *
   * @param manifestDigest not null
   * @param manifestJson not null
   * @param configJson not null
   * @param timestamp seconds since the epoch
   */
  public MergeMetadata {
    Objects.requireNonNull(manifestDigest, "manifestDigest");
    manifestJson = Objects.requireNonNull(manifestJson, "manifestJson").clone();
    configJson = Objects.requireNonNull(configJson, "configJson").clone();
  }

  /** A copy of the manifest JSON. */
  @Override
  public byte[] manifestJson() {
    return manifestJson.clone();
  }

  /** A copy of the config JSON. */
  @Override
  public byte[] configJson() {
    return configJson.clone();
  }
}
