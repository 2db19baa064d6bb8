package io.github.ostree4j.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An OCI content descriptor: media type, digest, size, annotations, optional platform; fields it
 * does not model are kept and written back unchanged.
 */
public final class Descriptor {

  private final String mediaType;
  private final Digest digest;
  private final long size;
  private final Map<String, String> annotations;
  private final ObjectNode json;

  private Descriptor(String mediaType, Digest digest, long size, Map<String, String> annotations, ObjectNode json) {
    this.mediaType = mediaType;
    this.digest = digest;
    this.size = size;
    this.annotations = annotations;
    this.json = json;
  }

  /** A descriptor with no annotations. */
  public static Descriptor of(String mediaType, Digest digest, long size) {
    return of(mediaType, digest, size, Map.of());
  }

  /** A descriptor with annotations (kept in the given order). */
  public static Descriptor of(String mediaType, Digest digest, long size, Map<String, String> annotations) {
    ObjectNode n = Json.object();
    n.put("mediaType", mediaType);
    n.put("digest", digest.toString());
    n.put("size", size);
    if (!annotations.isEmpty()) {
      ObjectNode a = n.putObject("annotations");
      annotations.forEach(a::put);
    }
    return new Descriptor(mediaType, digest, size,
        Collections.unmodifiableMap(new LinkedHashMap<>(annotations)), n);
  }

  /**
   * Reads a descriptor object.
   *
   * @throws OciFormatException if digest, size or media type are missing or invalid
   */
  public static Descriptor fromJson(JsonNode n, String what) throws OciFormatException {
    if (n == null || !n.isObject()) {
      throw new OciFormatException(what + ": descriptor is not an object");
    }
    JsonNode mt = n.get("mediaType");
    JsonNode dg = n.get("digest");
    JsonNode sz = n.get("size");
    if (dg == null || !dg.isTextual()) {
      throw new OciFormatException(what + ": descriptor has no digest");
    }
    if (sz == null || !sz.isIntegralNumber() || sz.asLong() < 0) {
      throw new OciFormatException(what + ": descriptor has no valid size");
    }
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
    return new Descriptor(mt == null ? null : mt.asText(), Digest.parse(dg.asText()), sz.asLong(),
        Collections.unmodifiableMap(ann), ((ObjectNode) n).deepCopy());
  }

  /** The media type (may be null in Docker manifest lists of old registries). */
  public String mediaType() {
    return mediaType;
  }

  /** The digest. */
  public Digest digest() {
    return digest;
  }

  /** The size in bytes. */
  public long size() {
    return size;
  }

  /** Annotations in stored order. */
  public Map<String, String> annotations() {
    return annotations;
  }

  /** The platform object of an index entry, if any. */
  public Optional<Platform> platform() {
    JsonNode p = json.get("platform");
    return p != null && p.isObject() ? Optional.of(Platform.fromJson(p)) : Optional.empty();
  }

  /** A copy with the given annotations (replacing any). */
  public Descriptor withAnnotations(Map<String, String> a) {
    ObjectNode n = json.deepCopy();
    n.remove("annotations");
    if (!a.isEmpty()) {
      ObjectNode an = n.putObject("annotations");
      a.forEach(an::put);
    }
    return new Descriptor(mediaType, digest, size, Collections.unmodifiableMap(new LinkedHashMap<>(a)), n);
  }

  /** A copy with another media type (e.g. when a layer is recompressed). */
  public Descriptor withMediaType(String mt) {
    ObjectNode n = json.deepCopy();
    n.put("mediaType", mt);
    return new Descriptor(mt, digest, size, annotations, n);
  }

  /** A copy with a platform object. */
  public Descriptor withPlatform(Platform p) {
    ObjectNode n = json.deepCopy();
    n.set("platform", p.toJson());
    return new Descriptor(mediaType, digest, size, annotations, n);
  }

  /** The JSON object (a copy), unknown fields included. */
  public ObjectNode toJson() {
    return json.deepCopy();
  }

  @Override
  public String toString() {
    return mediaType + " " + digest + " (" + size + " bytes)";
  }
}
