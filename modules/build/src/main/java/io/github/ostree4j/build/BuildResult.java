package io.github.ostree4j.build;

import io.github.ostree4j.oci.Digest;
import io.github.ostree4j.transport.ImageReference;
import java.util.List;

/**
 * What a build produced: the manifest digest (the image as registries name it), the config
 * digest (the image ID as podman shows it), where it was written and how many layers it has.
 *
 * @param manifestDigest the digest of the manifest written to every destination
 * @param configDigest the digest of the image config
 * @param destinations where the image was written
 * @param layers the number of layers, base layers included
 */
public record BuildResult(Digest manifestDigest, Digest configDigest,
    List<ImageReference> destinations, int layers) {

  /** Copies the destination list. */
  public BuildResult {
    destinations = List.copyOf(destinations);
  }
}
