package io.github.ostree4j.build;

import io.github.ostree4j.oci.Compression;
import io.github.ostree4j.transport.ImageReference;
import io.github.ostree4j.transport.TransportOptions;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What {@link ImageBuilder} builds and how: the Containerfile and its context, where the image
 * goes, build arguments, the target stage, caching, reproducibility, compression, the storage
 * root, secrets, registry access and where progress goes. Immutable; start with {@link
 * #builder(Path)}.
 */
public final class BuildOptions {

  private final Path context;
  private final Path containerfile;
  private final List<ImageReference> destinations;
  private final Map<String, String> buildArgs;
  private final String target;
  private final OptionalLong timestamp;
  private final boolean layers;
  private final boolean noCache;
  private final boolean squash;
  private final Compression compression;
  private final Path storageRoot;
  private final Map<String, Path> secrets;
  private final TransportOptions transportOptions;
  private final boolean lint;
  private final OutputStream output;
  private final Map<String, String> environment;
  private final boolean allowOverlay;

  private BuildOptions(Builder b) {
    this.context = b.context;
    this.containerfile = b.containerfile;
    this.destinations = List.copyOf(b.destinations);
    this.buildArgs = Collections.unmodifiableMap(new LinkedHashMap<>(b.buildArgs));
    this.target = b.target;
    this.environment = b.environment == null ? System.getenv() : Map.copyOf(b.environment);
    OptionalLong ts = b.timestamp;
    if (ts.isEmpty()) {
      String sde = environment.get("SOURCE_DATE_EPOCH");
      if (sde != null && !sde.isBlank()) {
        try {
          ts = OptionalLong.of(Long.parseLong(sde.trim()));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("SOURCE_DATE_EPOCH is not a number of seconds: " + sde);
        }
      }
    }
    this.timestamp = ts;
    this.layers = b.layers;
    this.noCache = b.noCache;
    this.squash = b.squash;
    this.compression = b.compression;
    this.storageRoot = b.storageRoot == null ? defaultStorageRoot(environment) : b.storageRoot;
    this.secrets = Collections.unmodifiableMap(new LinkedHashMap<>(b.secrets));
    this.transportOptions = b.transportOptions == null ? TransportOptions.defaults()
        : b.transportOptions;
    this.lint = b.lint;
    this.output = b.output == null ? OutputStream.nullOutputStream() : b.output;
    this.allowOverlay = b.allowOverlay;
  }

  /**
   * Starts options for a build of {@code context}.
   *
   * @param context the build context directory
   * @return a builder with the defaults: the Containerfile found in the context, no destination
   *     (the image goes to the storage root's {@code images} layout untagged), no cache, gzip
   */
  public static Builder builder(Path context) {
    return new Builder(context);
  }

  /**
   * The default storage root: {@code /var/lib/ostree4j/build} for root, else {@code
   * $XDG_DATA_HOME/ostree4j/build} or {@code ~/.local/share/ostree4j/build}.
   *
   * @param env the environment to read {@code XDG_DATA_HOME} and {@code HOME} from
   * @return the directory
   */
  public static Path defaultStorageRoot(Map<String, String> env) {
    if ("root".equals(System.getProperty("user.name"))) {
      return Path.of("/var/lib/ostree4j/build");
    }
    String xdg = env.get("XDG_DATA_HOME");
    if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
      return Path.of(xdg, "ostree4j", "build");
    }
    String home = env.getOrDefault("HOME", System.getProperty("user.home"));
    return Path.of(home, ".local", "share", "ostree4j", "build");
  }

  /** @return the build context directory */
  public Path context() {
    return context;
  }

  /** @return the Containerfile, if given; otherwise the context's Containerfile or Dockerfile */
  public Optional<Path> containerfile() {
    return Optional.ofNullable(containerfile);
  }

  /** @return where the image is written, in order; empty for the storage root's layout */
  public List<ImageReference> destinations() {
    return destinations;
  }

  /**
   * Build arguments in the order given; a null value means "take it from the environment", as
   * {@code --build-arg NAME} does.
   *
   * @return the arguments
   */
  public Map<String, String> buildArgs() {
    return buildArgs;
  }

  /** @return the stage to build (name or index), or empty for the last one */
  public Optional<String> target() {
    return Optional.ofNullable(target);
  }

  /**
   * The fixed time of the image in seconds since the epoch: {@code --timestamp}, else {@code
   * SOURCE_DATE_EPOCH} from the environment.
   *
   * @return the time, or empty for the current time
   */
  public OptionalLong timestamp() {
    return timestamp;
  }

  /** @return whether the layer cache is used and filled ({@code --layers}) */
  public boolean layers() {
    return layers;
  }

  /** @return whether cached layers are ignored (they are still stored with {@link #layers()}) */
  public boolean noCache() {
    return noCache;
  }

  /** @return whether the new content of the image goes into one layer */
  public boolean squash() {
    return squash;
  }

  /** @return the compression of new layers (gzip or zstd) */
  public Compression compression() {
    return compression;
  }

  /** @return the storage root (repository, base root filesystems, cache, local images) */
  public Path storageRoot() {
    return storageRoot;
  }

  /** @return build secrets by id */
  public Map<String, Path> secrets() {
    return secrets;
  }

  /** @return registry credentials, TLS and retries, for base images and the destination */
  public TransportOptions transportOptions() {
    return transportOptions;
  }

  /** @return whether {@code container lint} runs on the final root filesystem */
  public boolean lint() {
    return lint;
  }

  /** @return where step lines, RUN output and warnings go */
  public OutputStream output() {
    return output;
  }

  /** @return the environment build arguments without value are taken from */
  public Map<String, String> environment() {
    return environment;
  }

  /** @return false when RUN steps must not use overlayfs (the copy-and-diff fallback) */
  public boolean allowOverlay() {
    return allowOverlay;
  }

  /** Configures {@link BuildOptions}. */
  public static final class Builder {
    private final Path context;
    private Path containerfile;
    private final List<ImageReference> destinations = new ArrayList<>();
    private final Map<String, String> buildArgs = new LinkedHashMap<>();
    private String target;
    private OptionalLong timestamp = OptionalLong.empty();
    private boolean layers;
    private boolean noCache;
    private boolean squash;
    private Compression compression = Compression.GZIP;
    private Path storageRoot;
    private final Map<String, Path> secrets = new LinkedHashMap<>();
    private TransportOptions transportOptions;
    private boolean lint;
    private OutputStream output;
    private Map<String, String> environment;
    private boolean allowOverlay = true;

    private Builder(Path context) {
      this.context = Objects.requireNonNull(context, "context");
    }

    /**
     * The Containerfile; default {@code Containerfile}, then {@code Dockerfile}, in the context.
     *
     * @param file the file
     * @return this
     */
    public Builder containerfile(Path file) {
      this.containerfile = file;
      return this;
    }

    /**
     * Adds a destination; the image is written to every destination at the very end.
     *
     * @param ref the image reference
     * @return this
     */
    public Builder destination(ImageReference ref) {
      destinations.add(Objects.requireNonNull(ref, "ref"));
      return this;
    }

    /**
     * Sets a build argument.
     *
     * @param name the name
     * @param value the value, or null to take it from the environment
     * @return this
     */
    public Builder buildArg(String name, String value) {
      buildArgs.put(Objects.requireNonNull(name, "name"), value);
      return this;
    }

    /**
     * The stage to build.
     *
     * @param stage a stage name or index
     * @return this
     */
    public Builder target(String stage) {
      this.target = stage;
      return this;
    }

    /**
     * Fixes created times and clamps file times of new layers.
     *
     * @param epochSeconds seconds since the epoch
     * @return this
     */
    public Builder timestamp(long epochSeconds) {
      if (epochSeconds < 0) {
        throw new IllegalArgumentException("timestamp must not be negative");
      }
      this.timestamp = OptionalLong.of(epochSeconds);
      return this;
    }

    /**
     * Uses and fills the layer cache.
     *
     * @param on whether to
     * @return this
     */
    public Builder layers(boolean on) {
      this.layers = on;
      return this;
    }

    /**
     * Ignores cached layers.
     *
     * @param on whether to
     * @return this
     */
    public Builder noCache(boolean on) {
      this.noCache = on;
      return this;
    }

    /**
     * Puts the new content into one layer.
     *
     * @param on whether to
     * @return this
     */
    public Builder squash(boolean on) {
      this.squash = on;
      return this;
    }

    /**
     * The compression of new layers.
     *
     * @param c gzip or zstd
     * @return this
     */
    public Builder compression(Compression c) {
      if (c == Compression.NONE) {
        throw new IllegalArgumentException("new layers are compressed with gzip or zstd");
      }
      this.compression = Objects.requireNonNull(c, "c");
      return this;
    }

    /**
     * The storage root.
     *
     * @param dir the directory
     * @return this
     */
    public Builder storageRoot(Path dir) {
      this.storageRoot = dir;
      return this;
    }

    /**
     * A secret for {@code RUN --mount=type=secret,id=ID}.
     *
     * @param id the id
     * @param file the file holding it
     * @return this
     */
    public Builder secret(String id, Path file) {
      secrets.put(Objects.requireNonNull(id, "id"), Objects.requireNonNull(file, "file"));
      return this;
    }

    /**
     * Registry access for base images and destinations.
     *
     * @param options the options
     * @return this
     */
    public Builder transportOptions(TransportOptions options) {
      this.transportOptions = options;
      return this;
    }

    /**
     * Runs {@code container lint} on the final root filesystem.
     *
     * @param on whether to
     * @return this
     */
    public Builder lint(boolean on) {
      this.lint = on;
      return this;
    }

    /**
     * Where progress lines and RUN output go.
     *
     * @param out the stream (not closed by the build)
     * @return this
     */
    public Builder output(OutputStream out) {
      this.output = out;
      return this;
    }

    /**
     * The environment for build arguments given without a value and {@code SOURCE_DATE_EPOCH};
     * default the process environment.
     *
     * @param env the environment
     * @return this
     */
    public Builder environment(Map<String, String> env) {
      this.environment = env;
      return this;
    }

    /**
     * Whether RUN steps may use overlayfs; false forces the copy-and-diff fallback.
     *
     * @param allow whether to
     * @return this
     */
    public Builder allowOverlay(boolean allow) {
      this.allowOverlay = allow;
      return this;
    }

    /**
     * Builds the options.
     *
     * @return the options
     * @throws IllegalArgumentException when {@code SOURCE_DATE_EPOCH} is not a number
     */
    public BuildOptions build() {
      return new BuildOptions(this);
    }
  }
}
