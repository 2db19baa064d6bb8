package io.github.ostree4j.build.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ostree4j.oci.Compression;
import io.github.ostree4j.oci.Descriptor;
import io.github.ostree4j.oci.ImageConfig;
import io.github.ostree4j.oci.ImageManifest;
import io.github.ostree4j.oci.Json;
import io.github.ostree4j.oci.MediaTypes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns the final stage's state into an OCI config and manifest: the config keeps the base
 * image's fields, gets {@code created}, the rootfs diff IDs and the history; map-valued fields
 * (Labels, ExposedPorts, Volumes) are written with sorted keys, as Go tools write them. The
 * manifest lists the base layers with their original blobs (media type made OCI) and the new
 * layers' compressed blobs, and carries the {@code org.opencontainers.image.base.*}
 * annotations as buildah writes them.
 */
public final class ImageAssembler {

  /** Manifest annotation: the base image's manifest digest. */
  public static final String BASE_DIGEST = "org.opencontainers.image.base.digest";
  /** Manifest annotation: the base image's name. */
  public static final String BASE_NAME = "org.opencontainers.image.base.name";

  /**
   * The assembled image.
   *
   * @param config the config
   * @param manifest the manifest
   * @param layers the layers in manifest order
   */
  public record Assembled(ImageConfig config, ImageManifest manifest, List<ImageLayer> layers) {}

  private ImageAssembler() {}

  /**
   * Assembles an image; new layers are compressed here if they are not yet.
   *
   * @param state the final stage
   * @param created the image's creation time (RFC 3339)
   * @param blobs where new layers are compressed to
   * @param compression their compression
   * @return config, manifest and layers
   * @throws IOException when compressing fails or a base layer has an unknown media type
   */
  public static Assembled assemble(StageState state, String created, LayerBlobs blobs,
      Compression compression) throws IOException {
    ObjectNode n = state.image().deepCopy();
    for (String f : List.of("container", "container_config", "docker_version", "id", "parent")) {
      n.remove(f);
    }
    ObjectNode out = Json.object();
    out.put("created", created);
    for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getKey().equals("created")) {
        out.set(e.getKey(), e.getValue());
      }
    }
    ObjectNode c = (ObjectNode) out.get("config");
    if (c != null) {
      for (String f : List.of("Labels", "ExposedPorts", "Volumes")) {
        JsonNode v = c.get(f);
        if (v != null && v.isObject()) {
          c.set(f, sorted((ObjectNode) v));
        }
      }
    }
    ObjectNode rootfs = out.putObject("rootfs");
    rootfs.put("type", "layers");
    ArrayNode ids = rootfs.putArray("diff_ids");
    List<Descriptor> descriptors = new ArrayList<>();
    for (ImageLayer l : state.layers()) {
      ids.add(l.diffId().toString());
      if (l instanceof ImageLayer.Base) {
        descriptors.add(((ImageLayer.Base) l).ociDescriptor());
      } else {
        descriptors.add(((ImageLayer.New) l).blob(blobs, compression));
      }
    }
    ArrayNode history = out.putArray("history");
    state.history().forEach(history::add);
    ImageConfig config = ImageConfig.parse(Json.toBytes(out));
    ImageManifest.Builder mb = ImageManifest.builder().mediaType(MediaTypes.OCI_MANIFEST)
        .config(Descriptor.of(MediaTypes.OCI_CONFIG, config.digest(), config.bytes().length));
    descriptors.forEach(mb::addLayer);
    if (state.baseImage().isPresent()) {
      mb.annotation(BASE_DIGEST, state.baseImage().get().manifestDigest().toString());
      mb.annotation(BASE_NAME, state.baseName().orElse(state.baseImage().get().reference().toString()));
    }
    return new Assembled(config, mb.build(), List.copyOf(state.layers()));
  }

  private static ObjectNode sorted(ObjectNode o) {
    TreeMap<String, JsonNode> m = new TreeMap<>();
    o.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue()));
    ObjectNode r = Json.object();
    m.forEach(r::set);
    return r;
  }
}
