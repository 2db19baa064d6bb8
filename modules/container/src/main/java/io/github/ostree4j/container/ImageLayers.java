package io.github.ostree4j.container;

import io.github.ostree4j.oci.Descriptor;
import io.github.ostree4j.oci.Digest;
import io.github.ostree4j.oci.ImageConfig;
import io.github.ostree4j.oci.ImageManifest;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which layers of an image are what: the ostree commit layer, the component (chunk) layers, and
 * the derived (non-ostree) layers added on top, e.g. by a Containerfile build.
 *
 * <p>The rules are ostree-ext's: with the {@code ostree.final-diffid} label, layer 0 is the commit
 * layer, the layers up to and including the one whose diff ID is the label are component layers,
 * and everything after is derived. Images from before that label (2021–2022) that carry {@code
 * ostree.commit} have the commit in layer 0 and only derived layers after it. An image with
 * neither label is not an ostree image: all its layers are derived.
 *
 * @param commitLayer the commit layer, empty for a non-ostree image
 * @param componentLayers the component layers, in manifest order
 * @param derivedLayers the derived layers, in manifest order
 * @param diffIds the diff IDs of all layers, in manifest order
 * @param expectedCommit the {@code ostree.commit} label, if any
 */
public record ImageLayers(Optional<Descriptor> commitLayer, List<Descriptor> componentLayers,
    List<Descriptor> derivedLayers, List<Digest> diffIds, Optional<String> expectedCommit) {

  /**
   * Classifies the layers of an image.
   *
   * @param manifest the manifest
   * @param config its config
   * @return the classification
   * @throws InvalidContainerImageException when the label names no layer or several, or the
   *     config's diff IDs do not match the layers
   */
  public static ImageLayers of(ImageManifest manifest, ImageConfig config)
      throws InvalidContainerImageException {
    List<Descriptor> layers = manifest.layers();
    List<Digest> diffIds = config.diffIds();
    if (diffIds.size() != layers.size()) {
      throw new InvalidContainerImageException("image config lists " + diffIds.size()
          + " diff IDs for " + layers.size() + " layers");
    }
    Optional<String> finalDiffId = label(manifest, config, Encapsulator.LABEL_FINAL_DIFFID);
    Optional<String> commit = label(manifest, config, Encapsulator.LABEL_COMMIT);
    if (finalDiffId.isEmpty()) {
      if (commit.isPresent() && !layers.isEmpty()) {
        return new ImageLayers(Optional.of(layers.get(0)), List.of(),
            List.copyOf(layers.subList(1, layers.size())), diffIds, commit);
      }
      return new ImageLayers(Optional.empty(), List.of(), List.copyOf(layers), diffIds, commit);
    }
    if (layers.isEmpty()) {
      throw new InvalidContainerImageException("image has the " + Encapsulator.LABEL_FINAL_DIFFID
          + " label but no layers");
    }
    int last = -1;
    for (int i = 0; i < diffIds.size(); i++) {
      if (diffIds.get(i).toString().equals(finalDiffId.get())) {
        if (last >= 0) {
          throw new InvalidContainerImageException(Encapsulator.LABEL_FINAL_DIFFID + " "
              + finalDiffId.get() + " matches more than one layer (" + last + " and " + i + ")");
        }
        last = i;
      }
    }
    if (last < 0) {
      throw new InvalidContainerImageException(Encapsulator.LABEL_FINAL_DIFFID + " "
          + finalDiffId.get() + " matches no layer of the image");
    }
    return new ImageLayers(Optional.of(layers.get(0)), List.copyOf(layers.subList(1, last + 1)),
        List.copyOf(layers.subList(last + 1, layers.size())), diffIds, commit);
  }

  /** Whether the image holds an ostree commit. */
  public boolean isOstreeImage() {
    return commitLayer.isPresent();
  }

  private static Optional<String> label(ImageManifest m, ImageConfig c, String key) {
    Map<String, String> labels = c.labels();
    if (labels.containsKey(key)) {
      return Optional.of(labels.get(key));
    }
    return Optional.ofNullable(m.annotations().get(key));
  }
}
