package io.github.ostree4j.build.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ostree4j.oci.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The state of a stage while its instructions run: the image config being built (platform, the
 * runtime {@code config} object, kept in JSON so that fields of the base image this code does not
 * know survive), its layers and history, the lower trees of its root filesystem (topmost first,
 * never empty), the ARGs in effect and the cache key so far.
 */
public final class StageState {

  /** The default SHELL. */
  public static final List<String> DEFAULT_SHELL = List.of("/bin/sh", "-c");
  /** The PATH buildah and BuildKit give images without one. */
  public static final String DEFAULT_PATH =
      "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private final ObjectNode image;
  private final List<ImageLayer> layers;
  private final List<ObjectNode> history;
  private final List<Path> lowers;
  private final LinkedHashMap<String, String> args;
  private boolean cmdSet;
  private String cacheKey;
  private BaseImage baseImage;
  private String baseName;

  private StageState(ObjectNode image, List<ImageLayer> layers, List<ObjectNode> history,
      List<Path> lowers, LinkedHashMap<String, String> args, String cacheKey) {
    this.image = image;
    this.layers = layers;
    this.history = history;
    this.lowers = lowers;
    this.args = args;
    this.cacheKey = cacheKey;
  }

  /**
   * The state of a stage based on an image (or on scratch when {@code config} is empty).
   *
   * @param config the base image config JSON (copied); null for scratch
   * @param architecture the platform for scratch
   * @param os the platform for scratch
   * @param rootfs the base root filesystem
   * @param cacheKey the base's cache key
   * @return the state
   */
  public static StageState fromImage(ObjectNode config, String architecture, String os,
      Path rootfs, String cacheKey) {
    ObjectNode n;
    List<ObjectNode> history = new ArrayList<>();
    if (config == null) {
      n = Json.object();
      n.put("architecture", architecture);
      n.put("os", os);
      ObjectNode c = n.putObject("config");
      c.putArray("Env").add("PATH=" + DEFAULT_PATH);
    } else {
      n = config.deepCopy();
      for (JsonNode h : n.path("history")) {
        if (h.isObject()) {
          history.add((ObjectNode) h);
        }
      }
      n.remove("history");
      n.remove("rootfs");
      if (!n.path("config").isObject()) {
        n.putObject("config");
      }
    }
    List<Path> lowers = new ArrayList<>();
    lowers.add(rootfs);
    return new StageState(n, new ArrayList<>(), history, lowers, new LinkedHashMap<>(), cacheKey);
  }

  /**
   * A copy, for a stage built FROM this one.
   *
   * @return an independent state sharing the (immutable) layers
   */
  public StageState copy() {
    List<ObjectNode> h = new ArrayList<>();
    history.forEach(e -> h.add(e.deepCopy()));
    StageState s = new StageState(image.deepCopy(), new ArrayList<>(layers), h,
        new ArrayList<>(lowers), new LinkedHashMap<>(args), cacheKey);
    s.baseImage = baseImage;
    s.baseName = baseName;
    return s;
  }

  /** @return the image JSON without rootfs and history (mutable) */
  public ObjectNode image() {
    return image;
  }

  /** @return the runtime config object (mutable) */
  public ObjectNode config() {
    JsonNode c = image.get("config");
    if (c == null || !c.isObject()) {
      return image.putObject("config");
    }
    return (ObjectNode) c;
  }

  /** @return the layers, base first (mutable) */
  public List<ImageLayer> layers() {
    return layers;
  }

  /** @return the history entries (mutable) */
  public List<ObjectNode> history() {
    return history;
  }

  /** @return the lower trees, topmost first (mutable) */
  public List<Path> lowers() {
    return lowers;
  }

  /** @return the ARGs in effect in declaration order; a null value is declared without value */
  public LinkedHashMap<String, String> args() {
    return args;
  }

  /** @return whether CMD was set in this stage */
  public boolean cmdSet() {
    return cmdSet;
  }

  /** @param set whether CMD was set in this stage */
  public void cmdSet(boolean set) {
    this.cmdSet = set;
  }

  /** @return the cache key of the last step */
  public String cacheKey() {
    return cacheKey;
  }

  /** @param key the cache key of the last step */
  public void cacheKey(String key) {
    this.cacheKey = key;
  }

  /** @return the image at the bottom of this stage's chain, if any */
  public Optional<BaseImage> baseImage() {
    return Optional.ofNullable(baseImage);
  }

  /**
   * @param image the image at the bottom of this stage's chain
   * @param name the name it was given in FROM
   */
  public void baseImage(BaseImage image, String name) {
    this.baseImage = image;
    this.baseName = name;
  }

  /** @return the name the base image was given in FROM, if any */
  public Optional<String> baseName() {
    return Optional.ofNullable(baseName);
  }

  /** @return the config's Env entries */
  public List<String> env() {
    List<String> out = new ArrayList<>();
    config().path("Env").forEach(e -> out.add(e.asText()));
    return out;
  }

  /** @return Env as a map (later entries win) */
  public Map<String, String> envMap() {
    Map<String, String> out = new LinkedHashMap<>();
    for (String e : env()) {
      int eq = e.indexOf('=');
      if (eq > 0) {
        out.put(e.substring(0, eq), e.substring(eq + 1));
      } else if (!e.isEmpty()) {
        out.put(e, "");
      }
    }
    return out;
  }

  /**
   * Sets an Env variable, replacing it in place when present.
   *
   * @param key the name
   * @param value the value
   */
  public void setEnv(String key, String value) {
    ArrayNode a;
    JsonNode e = config().get("Env");
    if (e != null && e.isArray()) {
      a = (ArrayNode) e;
    } else {
      a = config().putArray("Env");
    }
    for (int i = 0; i < a.size(); i++) {
      String s = a.get(i).asText();
      if (s.equals(key) || s.startsWith(key + "=")) {
        a.set(i, Json.object().textNode(key + "=" + value));
        return;
      }
    }
    a.add(key + "=" + value);
  }

  /**
   * The variables for expanding an instruction: the ARGs in effect, overridden by Env.
   *
   * @return name to value
   */
  public Map<String, String> expansionEnv() {
    Map<String, String> out = new LinkedHashMap<>();
    args.forEach((k, v) -> {
      if (v != null) {
        out.put(k, v);
      }
    });
    out.putAll(envMap());
    return out;
  }

  /** @return the SHELL in effect */
  public List<String> shell() {
    JsonNode s = config().get("Shell");
    if (s == null || !s.isArray() || s.isEmpty()) {
      return DEFAULT_SHELL;
    }
    List<String> out = new ArrayList<>();
    s.forEach(x -> out.add(x.asText()));
    return out;
  }

  /** @return the working directory in effect ({@code /} by default) */
  public String workdir() {
    String w = config().path("WorkingDir").asText("");
    return w.isEmpty() ? "/" : w;
  }

  /** @return the USER in effect, or an empty string for root */
  public String user() {
    return config().path("User").asText("");
  }
}
