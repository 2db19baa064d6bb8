package io.github.ostree4j.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An image manifest (OCI, or Docker schema 2 for reading): config and layer descriptors plus
 * annotations. A parsed manifest keeps the bytes it was read from; its digest is over those bytes.
 */
public final class ImageManifest {

  private final byte[] raw;
  private final ObjectNode json;
  private final String mediaType;
  private final Descriptor config;
  private final List<Descriptor> layers;
  private final Map<String, String> annotations;

  private ImageManifest(byte[] raw, ObjectNode json, String mediaType, Descriptor config,
      List<Descriptor> layers, Map<String, String> annotations) {
    this.raw = raw;
    this.json = json;
    this.mediaType = mediaType;
    this.config = config;
    this.layers = layers;
    this.annotations = annotations;
  }

  /**
   * Parses manifest bytes. {@code mediaTypeHint} (e.g. the HTTP Content-Type or the descriptor's
   * type) is used when the document has no {@code mediaType} field.
   *
   * @throws OciFormatException if it is not a schema 2 image manifest
   */
  public static ImageManifest parse(byte[] raw, String mediaTypeHint) throws OciFormatException {
    ObjectNode n = Json.parseObject(raw, "image manifest");
    if (n.path("schemaVersion").asInt(-1) != 2) {
      throw new OciFormatException("image manifest: schemaVersion is not 2");
    }
    String mt = n.hasNonNull("mediaType") ? n.get("mediaType").asText()
        : mediaTypeHint != null ? mediaTypeHint : MediaTypes.OCI_MANIFEST;
    if (!MediaTypes.isManifest(mt)) {
      throw new OciFormatException("image manifest: unsupported media type '" + mt + "'");
    }
    if (n.has("manifests")) {
      throw new OciFormatException("image manifest: document is an index, not a manifest");
    }
    Descriptor config = Descriptor.fromJson(n.get("config"), "image manifest config");
    JsonNode ls = n.get("layers");
    if (ls == null || !ls.isArray()) {
      throw new OciFormatException("image manifest: layers is missing or not an array");
    }
    List<Descriptor> layers = new ArrayList<>();
    int i = 0;
    for (JsonNode l : ls) {
      layers.add(Descriptor.fromJson(l, "image manifest layer " + i++));
    }
    return new ImageManifest(raw.clone(), n, mt, config, Collections.unmodifiableList(layers),
        annotationsOf(n, "image manifest"));
  }

  static Map<String, String> annotationsOf(ObjectNode n, String what) throws OciFormatException {
    Map<String, String> ann = new LinkedHashMap<>();
    JsonNode a = n.get("annotations");
    if (a != null && !a.isNull()) {
      if (!a.isObject()) {
        throw new OciFormatException(what + ": annotations are not an object");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        ann.put(e.getKey(), e.getValue().asText());
      }
    }
    return Collections.unmodifiableMap(ann);
  }

  /** Starts a new OCI manifest. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a new manifest; fields are written in the order schemaVersion, mediaType, config, layers, annotations. */
  public static final class Builder {
    private String mediaType = MediaTypes.OCI_MANIFEST;
    private Descriptor config;
    private final List<Descriptor> layers = new ArrayList<>();
    private final Map<String, String> annotations = new LinkedHashMap<>();
    private String artifactType;

    /** The manifest media type (OCI by default). */
    public Builder mediaType(String mt) {
      this.mediaType = mt;
      return this;
    }

    /** The config descriptor. */
    public Builder config(Descriptor d) {
      this.config = d;
      return this;
    }

    /** Appends a layer. */
    public Builder addLayer(Descriptor d) {
      layers.add(d);
      return this;
    }

    /** Adds a manifest annotation. */
    public Builder annotation(String k, String v) {
      annotations.put(k, v);
      return this;
    }

    /** Sets the OCI 1.1 artifactType. */
    public Builder artifactType(String t) {
      this.artifactType = t;
      return this;
    }

    /** Serializes the manifest. */
    public ImageManifest build() {
      if (config == null) {
        throw new IllegalStateException("manifest has no config");
      }
      ObjectNode n = Json.object();
      n.put("schemaVersion", 2);
      n.put("mediaType", mediaType);
      if (artifactType != null) {
        n.put("artifactType", artifactType);
      }
      n.set("config", config.toJson());
      ArrayNode ls = n.putArray("layers");
      layers.forEach(l -> ls.add(l.toJson()));
      if (!annotations.isEmpty()) {
        ObjectNode a = n.putObject("annotations");
        annotations.forEach(a::put);
      }
      byte[] raw = Json.toBytes(n);
      return new ImageManifest(raw, n, mediaType, config, List.copyOf(layers),
          Collections.unmodifiableMap(new LinkedHashMap<>(annotations)));
    }
  }

  /** The exact bytes. */
  public byte[] bytes() {
    return raw.clone();
  }

  /** The digest of the bytes. */
  public Digest digest() {
    return Digest.sha256(raw);
  }

  /** The descriptor of this manifest (media type, digest, size). */
  public Descriptor descriptor() {
    return Descriptor.of(mediaType, digest(), raw.length);
  }

  /** The media type. */
  public String mediaType() {
    return mediaType;
  }

  /** Whether this is a Docker schema 2 manifest. */
  public boolean isDocker() {
    return MediaTypes.DOCKER_MANIFEST.equals(mediaType);
  }

  /** The config descriptor. */
  public Descriptor config() {
    return config;
  }

  /** The layers, base first. */
  public List<Descriptor> layers() {
    return layers;
  }

  /** Manifest annotations. */
  public Map<String, String> annotations() {
    return annotations;
  }

  /** The parsed JSON (a copy). */
  public ObjectNode json() {
    return json.deepCopy();
  }
}
