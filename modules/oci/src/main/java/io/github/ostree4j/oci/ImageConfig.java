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
import java.util.Optional;

/**
 * An image configuration: platform, creation time, the runtime config (Env, Cmd, Entrypoint,
 * Labels, ...), rootfs diff IDs and history. A parsed config keeps its bytes; {@link #toBuilder()}
 * makes a modifiable copy that keeps every field it does not touch.
 */
public final class ImageConfig {

  private final byte[] raw;
  private final ObjectNode json;

  private ImageConfig(byte[] raw, ObjectNode json) {
    this.raw = raw;
    this.json = json;
  }

  /**
   * Parses config bytes.
   *
   * @throws OciFormatException if they are not a config object or the diff IDs are invalid
   */
  public static ImageConfig parse(byte[] raw) throws OciFormatException {
    ObjectNode n = Json.parseObject(raw, "image config");
    JsonNode rootfs = n.get("rootfs");
    if (rootfs != null && rootfs.has("diff_ids")) {
      for (JsonNode d : rootfs.get("diff_ids")) {
        Digest.parse(d.asText());
      }
    }
    return new ImageConfig(raw.clone(), n);
  }

  /** A builder for a new config for the given platform. */
  public static Builder builder(Platform platform) {
    ObjectNode n = Json.object();
    n.put("architecture", platform.architecture());
    n.put("os", platform.os());
    if (platform.variant() != null) {
      n.put("variant", platform.variant());
    }
    n.putObject("config");
    ObjectNode rootfs = n.putObject("rootfs");
    rootfs.put("type", "layers");
    rootfs.putArray("diff_ids");
    n.putArray("history");
    return new Builder(n);
  }

  /** A modifiable copy. */
  public Builder toBuilder() {
    return new Builder(json.deepCopy());
  }

  /** The exact bytes. */
  public byte[] bytes() {
    return raw.clone();
  }

  /** The digest of the bytes. */
  public Digest digest() {
    return Digest.sha256(raw);
  }

  /** The parsed JSON (a copy). */
  public ObjectNode json() {
    return json.deepCopy();
  }

  /** The platform. */
  public Platform platform() {
    JsonNode v = json.get("variant");
    return new Platform(json.path("os").asText(""), json.path("architecture").asText(""),
        v == null || v.isNull() ? null : v.asText());
  }

  /** The {@code created} timestamp text, if any. */
  public Optional<String> created() {
    return text(json, "created");
  }

  /** Labels of the runtime config, in stored order. */
  public Map<String, String> labels() {
    return stringMap(json.path("config").get("Labels"));
  }

  /** Env entries ({@code K=V}). */
  public List<String> env() {
    return stringList(json.path("config").get("Env"));
  }

  /** Cmd, if set. */
  public Optional<List<String>> cmd() {
    JsonNode c = json.path("config").get("Cmd");
    return c == null || c.isNull() ? Optional.empty() : Optional.of(stringList(c));
  }

  /** Entrypoint, if set. */
  public Optional<List<String>> entrypoint() {
    JsonNode c = json.path("config").get("Entrypoint");
    return c == null || c.isNull() ? Optional.empty() : Optional.of(stringList(c));
  }

  /** Any string field of the runtime config ({@code WorkingDir}, {@code User}, {@code StopSignal}). */
  public Optional<String> configString(String field) {
    return text(json.path("config"), field);
  }

  /** The rootfs diff IDs, base first. */
  public List<Digest> diffIds() {
    List<Digest> out = new ArrayList<>();
    for (JsonNode d : json.path("rootfs").path("diff_ids")) {
      try {
        out.add(Digest.parse(d.asText()));
      } catch (OciFormatException e) {
        throw new IllegalStateException(e);
      }
    }
    return Collections.unmodifiableList(out);
  }

  /** History entries as JSON objects (copies). */
  public List<ObjectNode> history() {
    List<ObjectNode> out = new ArrayList<>();
    for (JsonNode h : json.path("history")) {
      if (h.isObject()) {
        out.add(((ObjectNode) h).deepCopy());
      }
    }
    return out;
  }

  private static Optional<String> text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? Optional.empty() : Optional.of(v.asText());
  }

  static List<String> stringList(JsonNode n) {
    List<String> out = new ArrayList<>();
    if (n != null && n.isArray()) {
      n.forEach(e -> out.add(e.asText()));
    }
    return Collections.unmodifiableList(out);
  }

  static Map<String, String> stringMap(JsonNode n) {
    Map<String, String> out = new LinkedHashMap<>();
    if (n != null && n.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        out.put(e.getKey(), e.getValue().asText());
      }
    }
    return Collections.unmodifiableMap(out);
  }

  /** A config being modified; unknown fields are kept. */
  public static final class Builder {
    private final ObjectNode n;

    private Builder(ObjectNode n) {
      this.n = n;
    }

    private ObjectNode config() {
      JsonNode c = n.get("config");
      if (c == null || !c.isObject()) {
        return n.putObject("config");
      }
      return (ObjectNode) c;
    }

    /** Sets {@code created} (RFC 3339). */
    public Builder created(String rfc3339) {
      n.put("created", rfc3339);
      return this;
    }

    /** Sets or replaces a label. */
    public Builder label(String k, String v) {
      JsonNode l = config().get("Labels");
      ObjectNode labels = l != null && l.isObject() ? (ObjectNode) l : config().putObject("Labels");
      labels.put(k, v);
      return this;
    }

    /** Sets Cmd (null removes it). */
    public Builder cmd(List<String> cmd) {
      return list("Cmd", cmd);
    }

    /** Sets Entrypoint (null removes it). */
    public Builder entrypoint(List<String> ep) {
      return list("Entrypoint", ep);
    }

    /** Sets Env (whole list). */
    public Builder env(List<String> env) {
      return list("Env", env);
    }

    /** Sets a string field of the runtime config (null removes it). */
    public Builder configString(String field, String value) {
      if (value == null) {
        config().remove(field);
      } else {
        config().put(field, value);
      }
      return this;
    }

    /** Sets an arbitrary runtime config field. */
    public Builder configField(String field, JsonNode value) {
      config().set(field, value);
      return this;
    }

    private Builder list(String field, List<String> values) {
      if (values == null) {
        config().remove(field);
      } else {
        ArrayNode a = config().putArray(field);
        values.forEach(a::add);
      }
      return this;
    }

    /** Appends a layer's diff ID. */
    public Builder addDiffId(Digest d) {
      JsonNode r = n.get("rootfs");
      ObjectNode rootfs = r != null && r.isObject() ? (ObjectNode) r : n.putObject("rootfs");
      if (!rootfs.has("type")) {
        rootfs.put("type", "layers");
      }
      JsonNode ids = rootfs.get("diff_ids");
      ArrayNode a = ids != null && ids.isArray() ? (ArrayNode) ids : rootfs.putArray("diff_ids");
      a.add(d.toString());
      return this;
    }

    /** Appends a history entry. */
    public Builder addHistory(String created, String createdBy, String comment, boolean emptyLayer) {
      JsonNode h = n.get("history");
      ArrayNode a = h != null && h.isArray() ? (ArrayNode) h : n.putArray("history");
      ObjectNode e = a.addObject();
      if (created != null) {
        e.put("created", created);
      }
      if (createdBy != null) {
        e.put("created_by", createdBy);
      }
      if (comment != null) {
        e.put("comment", comment);
      }
      if (emptyLayer) {
        e.put("empty_layer", true);
      }
      return this;
    }

    /** Direct access to the JSON being built. */
    public ObjectNode json() {
      return n;
    }

    /** Serializes the config. */
    public ImageConfig build() {
      return new ImageConfig(Json.toBytes(n), n.deepCopy());
    }
  }
}
