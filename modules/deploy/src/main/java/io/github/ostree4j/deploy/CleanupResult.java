package io.github.ostree4j.deploy;

import java.util.List;

/**
 * What a node cleanup removed.
 *
 * @param deployments deployment directories removed (relative to the sysroot)
 * @param images image references removed from the container store (not deployed, not pending)
 * @param layerRefs layer refs no stored image uses any more
 * @param objects repository objects pruned
 * @param freedBytes bytes freed by the prune
 */
public record CleanupResult(List<String> deployments, List<String> images, List<String> layerRefs,
    int objects, long freedBytes) {

  /**
   * Canonical constructor; copies the lists.
   *
   * @param deployments removed deployment directories
   * @param images removed images
   * @param layerRefs removed layer refs
   * @param objects pruned objects
   * @param freedBytes freed bytes
   */
  public CleanupResult {
    deployments = List.copyOf(deployments);
    images = List.copyOf(images);
    layerRefs = List.copyOf(layerRefs);
  }
}
