package io.github.ostree4j.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ostree4j.oci.Descriptor;
import io.github.ostree4j.oci.Digest;
import io.github.ostree4j.oci.ImageConfig;
import io.github.ostree4j.oci.ImageManifest;
import io.github.ostree4j.oci.MediaTypes;
import io.github.ostree4j.oci.Platform;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Layer classification by the ostree-ext rules. */
class ImageLayersTest {

  private static Digest d(String s) {
    return Digest.sha256(s.getBytes(StandardCharsets.UTF_8));
  }

  private static ImageManifest manifest(int layers) {
    ImageManifest.Builder b = ImageManifest.builder()
        .config(Descriptor.of(MediaTypes.OCI_CONFIG, d("config"), 10));
    for (int i = 0; i < layers; i++) {
      b.addLayer(Descriptor.of(MediaTypes.OCI_LAYER_GZIP, d("layer" + i), 100 + i));
    }
    return b.build();
  }

  private static ImageConfig config(int layers, Map<String, String> labels) {
    ImageConfig.Builder b = ImageConfig.builder(new Platform("linux", "amd64", null));
    for (int i = 0; i < layers; i++) {
      b.addDiffId(d("diff" + i));
    }
    labels.forEach(b::label);
    return b.build();
  }

  @Test
  void finalDiffIdSplitsComponentsFromDerived() throws Exception {
    ImageLayers l = ImageLayers.of(manifest(5),
        config(5, Map.of("ostree.final-diffid", d("diff2").toString(), "ostree.commit", "abc")));
    assertTrue(l.isOstreeImage());
    assertEquals(d("layer0"), l.commitLayer().get().digest());
    assertEquals(List.of(d("layer1"), d("layer2")),
        l.componentLayers().stream().map(Descriptor::digest).toList());
    assertEquals(List.of(d("layer3"), d("layer4")),
        l.derivedLayers().stream().map(Descriptor::digest).toList());
    assertEquals("abc", l.expectedCommit().get());
  }

  @Test
  void finalDiffIdOnLayerZeroMeansNoComponents() throws Exception {
    ImageLayers l = ImageLayers.of(manifest(2),
        config(2, Map.of("ostree.final-diffid", d("diff0").toString())));
    assertTrue(l.componentLayers().isEmpty());
    assertEquals(1, l.derivedLayers().size());
  }

  @Test
  void commitLabelWithoutFinalDiffIdIsTheOldSingleLayerForm() throws Exception {
    ImageLayers l = ImageLayers.of(manifest(2), config(2, Map.of("ostree.commit", "abc")));
    assertTrue(l.isOstreeImage());
    assertTrue(l.componentLayers().isEmpty());
    assertEquals(List.of(d("layer1")), l.derivedLayers().stream().map(Descriptor::digest).toList());
  }

  @Test
  void noLabelsMeansAllLayersDerived() throws Exception {
    ImageLayers l = ImageLayers.of(manifest(3), config(3, Map.of()));
    assertFalse(l.isOstreeImage());
    assertEquals(3, l.derivedLayers().size());
  }

  @Test
  void finalDiffIdMatchingNoLayerOrTwoIsRefused() {
    InvalidContainerImageException none = assertThrows(InvalidContainerImageException.class,
        () -> ImageLayers.of(manifest(2), config(2, Map.of("ostree.final-diffid", d("x").toString()))));
    assertTrue(none.getMessage().contains("matches no layer"), none.getMessage());
    ImageConfig.Builder b = ImageConfig.builder(new Platform("linux", "amd64", null))
        .addDiffId(d("same")).addDiffId(d("same"));
    b.label("ostree.final-diffid", d("same").toString());
    InvalidContainerImageException two = assertThrows(InvalidContainerImageException.class,
        () -> ImageLayers.of(manifest(2), b.build()));
    assertTrue(two.getMessage().contains("more than one layer"), two.getMessage());
  }

  @Test
  void diffIdCountMustMatchLayers() {
    InvalidContainerImageException e = assertThrows(InvalidContainerImageException.class,
        () -> ImageLayers.of(manifest(3), config(2, Map.of())));
    assertEquals("image config lists 2 diff IDs for 3 layers", e.getMessage());
  }
}
