package io.github.ostree4j.container;

import io.github.ostree4j.container.internal.FileTrees;
import io.github.ostree4j.container.internal.LayerBlob;
import io.github.ostree4j.container.internal.LayerBlobWriter;
import io.github.ostree4j.oci.Compression;
import io.github.ostree4j.oci.Descriptor;
import io.github.ostree4j.oci.Digest;
import io.github.ostree4j.oci.ImageConfig;
import io.github.ostree4j.oci.ImageManifest;
import io.github.ostree4j.oci.MediaTypes;
import io.github.ostree4j.oci.Platform;
import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.ostree.Commit;
import io.github.ostree4j.ostree.OstreeRepo;
import io.github.ostree4j.ostree.gvariant.Variant;
import io.github.ostree4j.ostree.gvariant.VariantType;
import io.github.ostree4j.transport.ImageDestination;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Turns an ostree commit into an OCI image in the ostree-ext "chunked" layout: layer 0 holds the
 * commit, all directory metadata and the content in no component; layers 1..N hold components
 * (packages), each annotated with {@code ostree.components}; the labels and annotations are those
 * of {@code ostree container encapsulate} ({@code ostree.commit}, {@code ostree.final-diffid},
 * {@code org.opencontainers.image.version}, {@code ostree.bootable} + {@code containers.bootc},
 * {@code ostree.linux}).
 *
 * <p>The result is reproducible: the same commit with the same options gives the same manifest
 * digest ({@code created} is the commit timestamp, tar entries have mtime 0, compression is
 * deterministic). Layers are exported and compressed in parallel into temporary files (one per
 * layer; nothing is held in memory), then handed to the destination; the manifest is written last.
 *
 * <pre>{@code
 * try (ImageDestination dst = ImageTransports.openDestination(ref, options)) {
 *   Digest d = Encapsulator.builder(repo, commit).compression(Compression.ZSTD).build().encapsulate(dst);
 *   dst.commit();
 * }
 * }</pre>
 */
public final class Encapsulator {

  /** Label: the commit checksum. */
  public static final String LABEL_COMMIT = "ostree.commit";
  /** Label: the diff ID of the last ostree layer; what follows it is derived content. */
  public static final String LABEL_FINAL_DIFFID = "ostree.final-diffid";
  /** Label: the commit's {@code version} metadata. */
  public static final String LABEL_VERSION = "org.opencontainers.image.version";
  /** Label: the commit is bootable. */
  public static final String LABEL_BOOTABLE = "ostree.bootable";
  /** Label: bootc's mark of a bootable image. */
  public static final String LABEL_BOOTC = "containers.bootc";
  /** Label: the kernel version. */
  public static final String LABEL_LINUX = "ostree.linux";
  /** Layer annotation: the components in a layer. */
  public static final String ANNOTATION_COMPONENTS = "ostree.components";
  /** Commit metadata holding the container command ({@code as}). */
  public static final String META_CONTAINER_CMD = "ostree.container-cmd";

  private static final DateTimeFormatter CREATED =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  private final OstreeRepo repo;
  private final Checksum commit;
  private final int maxLayers;
  private final Compression compression;
  private final int level;
  private final Map<String, String> labels;
  private final List<String> cmd;
  private final List<String> priorLayers;
  private final Platform platform;
  private final Path tempDir;
  private final int threads;

  private Encapsulator(Builder b) {
    this.repo = b.repo;
    this.commit = b.commit;
    this.maxLayers = b.maxLayers;
    this.compression = b.compression;
    this.level = b.level == Integer.MIN_VALUE ? b.compression.defaultLevel() : b.level;
    this.labels = new LinkedHashMap<>(b.labels);
    this.cmd = b.cmd;
    this.priorLayers = b.priorLayers;
    this.platform = b.platform;
    this.tempDir = b.tempDir;
    this.threads = b.threads;
  }

  /**
   * Starts configuring an encapsulation.
   *
   * @param repo the repository holding the commit
   * @param commit the commit
   * @return a builder: chunked into at most {@link Chunker#DEFAULT_MAX_LAYERS} component layers,
   *     gzip, the platform of this machine
   */
  public static Builder builder(OstreeRepo repo, Checksum commit) {
    return new Builder(repo, commit);
  }

  /** What was written. */
  public record Result(Digest manifestDigest, ImageManifest manifest, ImageConfig config) {}

  /**
   * Writes the image to a destination: every layer blob, the config, then the manifest (tagged
   * when the destination names a tag). The caller commits and closes the destination.
   *
   * @param dst the destination
   * @return the manifest digest, manifest and config
   * @throws IOException when reading the commit, compressing or writing fails
   */
  public Result encapsulate(ImageDestination dst) throws IOException {
    Commit c = repo.readCommit(commit);
    CommitTarExporter exporter = new CommitTarExporter(repo, commit);
    List<LayerSpec> specs = planLayers(exporter);
    // staged next to the destination when it is a local layout, so that layers are renamed in
    Path work = Files.createTempDirectory(dst.stagingDirectory().orElse(tempDir),
        ".ostree4j-encapsulate-");
    try {
      List<LayerBlob> blobs = writeLayers(exporter, specs, work);
      String created = CREATED.format(Instant.ofEpochSecond(c.timestamp()));
      Map<String, String> all = imageLabels(c, blobs.get(blobs.size() - 1).diffId());

      ImageConfig.Builder cfg = ImageConfig.builder(platform).created(created);
      all.forEach(cfg::label);
      List<String> command = cmd != null ? cmd : containerCmd(c);
      if (command != null) {
        cfg.cmd(command);
      }
      for (int i = 0; i < blobs.size(); i++) {
        cfg.addDiffId(blobs.get(i).diffId());
        cfg.addHistory(created, i == 0 ? commitLayerHistory(c) : specs.get(i).historyName(), null, false);
      }
      ImageConfig config = cfg.build();

      for (LayerBlob b : blobs) {
        if (!dst.hasBlob(b.digest(), b.size())) {
          dst.putBlobFile(b.digest(), b.size(), b.file(), n -> { });
        }
      }
      byte[] configBytes = config.bytes();
      Digest configDigest = Digest.sha256(configBytes);
      if (!dst.hasBlob(configDigest, configBytes.length)) {
        dst.putBlob(configDigest, configBytes.length,
            () -> new java.io.ByteArrayInputStream(configBytes), n -> { });
      }
      ImageManifest.Builder mb = ImageManifest.builder()
          .config(Descriptor.of(MediaTypes.OCI_CONFIG, configDigest, configBytes.length));
      for (int i = 0; i < blobs.size(); i++) {
        LayerBlob b = blobs.get(i);
        Map<String, String> ann = specs.get(i).annotations();
        mb.addLayer(Descriptor.of(compression.ociLayerMediaType(), b.digest(), b.size(), ann));
      }
      all.forEach(mb::annotation);
      ImageManifest manifest = mb.build();
      Digest d = dst.putManifest(manifest.bytes(), manifest.mediaType(), true);
      return new Result(d, manifest, config);
    } finally {
      FileTrees.deleteRecursively(work);
    }
  }

  /** Layer 0 (commit + remainder), then the planned component layers. */
  private List<LayerSpec> planLayers(CommitTarExporter exporter) throws IOException {
    List<LayerSpec> specs = new ArrayList<>();
    Map<Checksum, ContentObjectInfo> content = exporter.contentObjects();
    if (maxLayers <= 0) {
      specs.add(LayerSpec.commitLayer(content.keySet(), Map.of()));
      return specs;
    }
    Map<Checksum, ChunkObject> objects = new LinkedHashMap<>();
    content.forEach((k, v) -> objects.put(k, new ChunkObject(k, v.size(), v.paths())));
    ComponentFinder.Found found = ComponentFinder.findWithOwners(repo, commit, objects);
    LayerPlan plan = priorLayers == null
        ? Chunker.plan(found.components(), objects, maxLayers)
        : Chunker.plan(found.components(), objects, maxLayers, priorLayers);
    // A component layer carries hard links only for the paths its own packages claim. Content
    // shared with a package in another layer (a copyright file, a dpkg trigger file) is one
    // object; linking all its paths would change this layer whenever another package starts or
    // stops using the same content. Such paths go to layer 0, which changes with every release
    // anyway, as plain files.
    Map<String, String> owners = found.pathOwners();
    Map<String, Checksum> copies = new java.util.TreeMap<>();
    List<LayerSpec> components = new ArrayList<>();
    for (PlannedLayer l : plan.layers()) {
      Set<String> names = Set.copyOf(l.components());
      java.util.function.Predicate<String> own = p -> {
        String o = owners.get(p);
        return o == null || names.contains(o);
      };
      for (Checksum obj : l.objects()) {
        for (String p : content.get(obj).paths()) {
          if (!own.test(p)) {
            copies.put(p, obj);
          }
        }
      }
      components.add(LayerSpec.component(l, own));
    }
    specs.add(LayerSpec.commitLayer(plan.remainder(), copies));
    specs.addAll(components);
    return specs;
  }

  private List<LayerBlob> writeLayers(CommitTarExporter exporter, List<LayerSpec> specs, Path work)
      throws IOException {
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, specs.size())),
        r -> {
          Thread t = new Thread(r, "ostree4j-encapsulate");
          t.setDaemon(true);
          return t;
        });
    try {
      // biggest first, so that the pool is not left waiting on one large layer at the end
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < specs.size(); i++) {
        order.add(i);
      }
      Map<Checksum, ContentObjectInfo> content = exporter.contentObjects();
      order.sort((a, b) -> Long.compare(specs.get(b).bytes(content), specs.get(a).bytes(content)));
      @SuppressWarnings("unchecked")
      Future<LayerBlob>[] byIndex = new Future[specs.size()];
      for (int i : order) {
        LayerSpec s = specs.get(i);
        Path file = work.resolve("layer-" + i);
        long bytes = s.bytes(content);
        byIndex[i] = pool.submit(() -> LayerBlobWriter.write(file, compression, level, bytes, out -> {
          if (s.commitLayer()) {
            exporter.exportCommitLayer(s.objects(), s.copies(), out);
          } else {
            exporter.exportChunk(s.objects(), s.keep(), out);
          }
        }));
      }
      List<LayerBlob> blobs = new ArrayList<>();
      for (Future<LayerBlob> f : byIndex) {
        blobs.add(await(f));
      }
      return blobs;
    } finally {
      pool.shutdownNow();
    }
  }

  private static LayerBlob await(Future<LayerBlob> f) throws IOException {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while writing layers");
    } catch (ExecutionException e) {
      Throwable t = e.getCause();
      if (t instanceof IOException) {
        throw (IOException) t;
      }
      if (t instanceof UncheckedIOException) {
        throw ((UncheckedIOException) t).getCause();
      }
      if (t instanceof RuntimeException) {
        throw (RuntimeException) t;
      }
      throw new IOException("writing a layer failed", t);
    }
  }

  private Map<String, String> imageLabels(Commit c, Digest finalDiffId) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(LABEL_COMMIT, commit.hex());
    m.put(LABEL_FINAL_DIFFID, finalDiffId.toString());
    c.version().ifPresent(v -> m.put(LABEL_VERSION, v));
    Variant bootable = c.metadata().get(Commit.KEY_BOOTABLE);
    if (bootable != null && bootable.type().equals(VariantType.BOOLEAN) && bootable.asBoolean()) {
      m.put(LABEL_BOOTABLE, "true");
      m.put(LABEL_BOOTC, "1");
    }
    c.metadataString(Commit.KEY_LINUX).ifPresent(v -> m.put(LABEL_LINUX, v));
    m.putAll(labels);
    return m;
  }

  private static List<String> containerCmd(Commit c) {
    Variant v = c.metadata().get(META_CONTAINER_CMD);
    if (v != null && v.type().equals(VariantType.of("as"))) {
      return v.asStrings();
    }
    return null;
  }

  private String commitLayerHistory(Commit c) {
    return c.subject().isEmpty() ? "ostree export of commit " + commit.hex() : c.subject();
  }

  /** One layer to write. */
  private record LayerSpec(boolean commitLayer, Set<Checksum> objects, String historyName,
      Map<String, String> annotations, java.util.function.Predicate<String> keep,
      Map<String, Checksum> copies) {

    static LayerSpec commitLayer(Set<Checksum> remainder, Map<String, Checksum> copies) {
      return new LayerSpec(true, remainder, null, Map.of(), p -> true, copies);
    }

    static LayerSpec component(PlannedLayer l, java.util.function.Predicate<String> keep) {
      return new LayerSpec(false, l.objects(), l.name(),
          Map.of(ANNOTATION_COMPONENTS, l.annotation()), keep, Map.of());
    }

    long bytes(Map<Checksum, ContentObjectInfo> content) {
      long n = 0;
      for (Checksum c : objects) {
        ContentObjectInfo i = content.get(c);
        n += i == null ? 0 : i.size();
      }
      return n;
    }
  }

  /** Configures an {@link Encapsulator}. */
  public static final class Builder {
    private final OstreeRepo repo;
    private final Checksum commit;
    private int maxLayers = Chunker.DEFAULT_MAX_LAYERS;
    private Compression compression = Compression.GZIP;
    private int level = Integer.MIN_VALUE;
    private final Map<String, String> labels = new LinkedHashMap<>();
    private List<String> cmd;
    private List<String> priorLayers;
    private Platform platform = Platform.current();
    private Path tempDir = Path.of(System.getProperty("java.io.tmpdir"));
    private int threads = Runtime.getRuntime().availableProcessors();

    private Builder(OstreeRepo repo, Checksum commit) {
      this.repo = Objects.requireNonNull(repo, "repo");
      this.commit = Objects.requireNonNull(commit, "commit");
    }

    /**
     * The most component layers; 0 writes a single layer (no chunking).
     *
     * @param n 0, or at least 4 (fewer is refused by the chunker, as upstream)
     * @return this
     */
    public Builder maxLayers(int n) {
      this.maxLayers = n;
      return this;
    }

    /**
     * Layer compression: gzip (the default, as ostree-ext) or zstd; none writes plain tar.
     *
     * @param c the compression
     * @param level the level, or {@code Integer.MIN_VALUE} for the default (gzip 6, zstd 3)
     * @return this
     */
    public Builder compression(Compression c, int level) {
      this.compression = Objects.requireNonNull(c, "compression");
      this.level = level;
      return this;
    }

    /** Adds a label (config label and manifest annotation), after the ostree ones. */
    public Builder label(String key, String value) {
      labels.put(key, value);
      return this;
    }

    /** The image command; by default the commit metadata {@code ostree.container-cmd}. */
    public Builder cmd(List<String> cmd) {
      this.cmd = cmd == null ? null : List.copyOf(cmd);
      return this;
    }

    /**
     * The {@code ostree.components} annotations of the previous release's layers 1..N, so that
     * unchanged components keep their layers.
     */
    public Builder priorLayers(List<String> annotations) {
      this.priorLayers = annotations == null ? null : List.copyOf(annotations);
      return this;
    }

    /** The image platform (default: this machine's). */
    public Builder platform(Platform p) {
      this.platform = Objects.requireNonNull(p, "platform");
      return this;
    }

    /** Where layer files are staged. */
    public Builder tempDir(Path dir) {
      this.tempDir = Objects.requireNonNull(dir, "dir");
      return this;
    }

    /** Layers written at once (default: the number of processors). */
    public Builder threads(int n) {
      this.threads = Math.max(1, n);
      return this;
    }

    /** Builds the encapsulator. */
    public Encapsulator build() {
      if (maxLayers != 0 && maxLayers < 4) {
        throw new IllegalArgumentException("--max-layers must be 0 (one layer) or at least 4, got "
            + maxLayers);
      }
      return new Encapsulator(this);
    }
  }
}
