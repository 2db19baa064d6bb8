package io.github.ostree4j.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An image index (OCI) or manifest list (Docker); keeps the bytes it was read from. */
public final class ImageIndex {

  private final byte[] raw;
  private final String mediaType;
  private final List<Descriptor> manifests;
  private final Map<String, String> annotations;

  private ImageIndex(byte[] raw, String mediaType, List<Descriptor> manifests, Map<String, String> annotations) {
    this.raw = raw;
    this.mediaType = mediaType;
    this.manifests = manifests;
    this.annotations = annotations;
  }

  /**
   * Parses index bytes.
   *
   * @throws OciFormatException if it is not an index
   */
  public static ImageIndex parse(byte[] raw, String mediaTypeHint) throws OciFormatException {
    ObjectNode n = Json.parseObject(raw, "image index");
    if (n.path("schemaVersion").asInt(-1) != 2) {
      throw new OciFormatException("image index: schemaVersion is not 2");
    }
    String mt = n.hasNonNull("mediaType") ? n.get("mediaType").asText()
        : mediaTypeHint != null ? mediaTypeHint : MediaTypes.OCI_INDEX;
    if (!MediaTypes.isIndex(mt)) {
      throw new OciFormatException("image index: unsupported media type '" + mt + "'");
    }
    JsonNode ms = n.get("manifests");
    if (ms == null || !ms.isArray()) {
      throw new OciFormatException("image index: manifests is missing or not an array");
    }
    List<Descriptor> list = new ArrayList<>();
    int i = 0;
    for (JsonNode m : ms) {
      list.add(Descriptor.fromJson(m, "image index entry " + i++));
    }
    return new ImageIndex(raw.clone(), mt, Collections.unmodifiableList(list),
        ImageManifest.annotationsOf(n, "image index"));
  }

  /** A new OCI index with the given entries and annotations. */
  public static ImageIndex of(List<Descriptor> manifests, Map<String, String> annotations) {
    ObjectNode n = Json.object();
    n.put("schemaVersion", 2);
    n.put("mediaType", MediaTypes.OCI_INDEX);
    ArrayNode ms = n.putArray("manifests");
    manifests.forEach(m -> ms.add(m.toJson()));
    if (!annotations.isEmpty()) {
      ObjectNode a = n.putObject("annotations");
      annotations.forEach(a::put);
    }
    return new ImageIndex(Json.toBytes(n), MediaTypes.OCI_INDEX, List.copyOf(manifests),
        Collections.unmodifiableMap(new LinkedHashMap<>(annotations)));
  }

  /** The exact bytes. */
  public byte[] bytes() {
    return raw.clone();
  }

  /** The digest of the bytes. */
  public Digest digest() {
    return Digest.sha256(raw);
  }

  /** The media type. */
  public String mediaType() {
    return mediaType;
  }

  /** The entries. */
  public List<Descriptor> manifests() {
    return manifests;
  }

  /** Index annotations. */
  public Map<String, String> annotations() {
    return annotations;
  }

  /** The first entry whose platform matches, if any. */
  public Optional<Descriptor> forPlatform(Platform p) {
    for (Descriptor d : manifests) {
      if (d.platform().map(p::matches).orElse(false)) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }
}
