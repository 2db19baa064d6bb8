package io.github.ostree4j.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ostree4j.oci.BlobVerificationException;
import io.github.ostree4j.oci.Compression;
import io.github.ostree4j.oci.Descriptor;
import io.github.ostree4j.oci.Digest;
import io.github.ostree4j.oci.DigestingOutputStream;
import io.github.ostree4j.oci.ImageConfig;
import io.github.ostree4j.oci.ImageIndex;
import io.github.ostree4j.oci.ImageManifest;
import io.github.ostree4j.oci.Json;
import io.github.ostree4j.oci.MediaTypes;
import io.github.ostree4j.oci.OciFormatException;
import io.github.ostree4j.oci.Platform;
import io.github.ostree4j.oci.VerifyingInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Copies images between transports, like {@code skopeo copy}.
 *
 * <ul>
 *   <li>An index is copied whole with {@link Builder#allPlatforms(boolean)}; otherwise the entry
 *       for {@link Builder#platform(Platform)} (default: this machine's) is copied as a single
 *       image.
 *   <li>Each blob is skipped when the destination has it, mounted when source and destination are
 *       repositories of the same registry, else streamed; its digest and size are verified before
 *       the destination keeps it. Layers are copied in parallel ({@link Builder#parallelism(int)},
 *       default 3 as in skopeo); registry requests are retried as configured in their {@link
 *       TransportOptions}, an upload restarting from a fresh stream, and a blob whose download
 *       breaks off is read again from the start ({@link Builder#retries}).
 *   <li>The config is written after the layers and the manifest after everything, so a failed
 *       copy never leaves the destination's tag pointing at a partial image.
 *   <li>Manifest bytes are kept exactly, so the digest is preserved, unless layers are
 *       recompressed ({@link Builder#compression(Compression, int)}: new layer digests and media
 *       types; diff IDs are unchanged and checked), or a Docker manifest must become OCI (for zstd
 *       layers, or a destination that cannot store Docker manifests).
 * </ul>
 *
 * <p>Memory stays small whatever the image size: blobs are streamed, and recompressed layers go
 * through temporary files. Instances are immutable and may be reused.
 */
public final class ImageCopier {

  private final boolean all;
  private final Platform platform;
  private final int parallelism;
  private final Compression compression;
  private final int level;
  private final CopyListener listener;
  private final Path tempDir;
  private final int attempts;
  private final java.time.Duration retryDelay;

  private ImageCopier(Builder b) {
    this.attempts = b.attempts;
    this.retryDelay = b.retryDelay;
    this.all = b.all;
    this.platform = b.platform;
    this.parallelism = b.parallelism;
    this.compression = b.compression;
    this.level = b.level;
    this.listener = b.listener;
    this.tempDir = b.tempDir;
  }

  /**
   * Starts configuring a copier.
   *
   * @return a builder with the defaults: current platform only, 3 parallel layers, compression
   *     kept, no listener
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Opens both sides, copies and closes them.
   *
   * @param source the image to read
   * @param sourceOptions how to reach it
   * @param destination the image to write
   * @param destinationOptions how to reach it
   * @return the digest of the manifest the destination now names
   * @throws IOException an {@link ImageCopyException} describing the failure
   */
  public Digest copy(ImageReference source, TransportOptions sourceOptions,
      ImageReference destination, TransportOptions destinationOptions) throws IOException {
    try (ImageSource src = open(source, destination, () -> ImageTransports.openSource(source,
            sourceOptions));
        ImageDestination dst = open(source, destination,
            () -> ImageTransports.openDestination(destination, destinationOptions))) {
      return copy(src, dst);
    }
  }

  @FunctionalInterface
  private interface Opener<T> {
    T open() throws IOException;
  }

  private static <T> T open(ImageReference s, ImageReference d, Opener<T> o) throws IOException {
    try {
      return o.open();
    } catch (IOException e) {
      throw wrap(s, d, e);
    }
  }

  /**
   * Copies the image {@code source} names to {@code destination} and commits it.
   *
   * @param source the source
   * @param destination the destination
   * @return the digest of the manifest the destination now names
   * @throws IOException an {@link ImageCopyException} describing the failure
   */
  public Digest copy(ImageSource source, ImageDestination destination) throws IOException {
    try {
      Digest d = doCopy(source, destination);
      destination.commit();
      listener.onEvent(new CopyEvent(CopyEvent.Kind.MANIFEST, d, 0, 0));
      return d;
    } catch (IOException e) {
      throw wrap(source.reference(), destination.reference(), e);
    }
  }

  private static ImageCopyException wrap(ImageReference s, ImageReference d, IOException e) {
    if (e instanceof ImageCopyException) {
      return (ImageCopyException) e;
    }
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof BlobVerificationException) {
        return new ImageCopyException("copying " + t.getMessage(), e);
      }
    }
    String m = e.getMessage() == null || e.getMessage().isBlank()
        ? e.getClass().getSimpleName() : e.getMessage().strip().replace('\n', ' ');
    if (e instanceof java.nio.file.NoSuchFileException) {
      m = "no such file or directory: " + m;
    }
    return new ImageCopyException("copying " + s + " to " + d + ": " + m, e);
  }

  /** A manifest as written: bytes, media type, digest. */
  private record Written(byte[] bytes, String mediaType, Digest digest) {}

  private Digest doCopy(ImageSource src, ImageDestination dst) throws IOException {
    ManifestResponse top = src.manifest();
    if (!MediaTypes.isIndex(top.mediaType())) {
      return copyImage(src, dst, top, true).digest;
    }
    ImageIndex index = ImageIndex.parse(top.bytes(), top.mediaType());
    if (!all) {
      Descriptor entry = index.forPlatform(platform).orElseThrow(() -> new OciFormatException(
          "the image index " + top.digest() + " has no image for " + platform + " (it has "
              + index.manifests().stream().map(m -> m.platform().map(Platform::toString)
                  .orElse("?")).collect(Collectors.joining(", ")) + "); use --all to copy all"));
      return copyImage(src, dst, src.manifest(entry.digest()), true).digest;
    }
    if (!dst.supportsIndex()) {
      throw new IOException(dst.reference() + " can hold only one image; copy a single platform"
          + " (without --all)");
    }
    List<Written> children = new ArrayList<>();
    boolean changed = false;
    for (Descriptor entry : index.manifests()) {
      if (!MediaTypes.isManifest(entry.mediaType())) {
        throw new OciFormatException("the image index " + top.digest() + " has an entry of type "
            + entry.mediaType() + ", which is not supported");
      }
      Written w = copyImage(src, dst, src.manifest(entry.digest()), false);
      children.add(w);
      changed |= !w.digest.equals(entry.digest()) || !w.mediaType.equals(entry.mediaType());
    }
    if (!changed) {
      return dst.putManifest(top.bytes(), top.mediaType(), true);
    }
    ObjectNode n = Json.parseObject(top.bytes(), "image index " + top.digest());
    ArrayNode ms = (ArrayNode) n.get("manifests");
    boolean anyOci = false;
    for (int i = 0; i < children.size(); i++) {
      ObjectNode e = (ObjectNode) ms.get(i);
      Written w = children.get(i);
      e.put("mediaType", w.mediaType);
      e.put("digest", w.digest.toString());
      e.put("size", w.bytes.length);
      anyOci |= w.mediaType.equals(MediaTypes.OCI_MANIFEST);
    }
    String mt = top.mediaType();
    if (anyOci && mt.equals(MediaTypes.DOCKER_MANIFEST_LIST)) {
      mt = MediaTypes.OCI_INDEX;
      n.put("mediaType", mt);
    }
    return dst.putManifest(Json.toBytes(n), mt, true);
  }

  private Written copyImage(ImageSource src, ImageDestination dst, ManifestResponse m,
      boolean tagged) throws IOException {
    ImageManifest manifest = ImageManifest.parse(m.bytes(), m.mediaType());
    Compression target = compression != null ? compression
        : src.layersUncompressed() && dst.wantsCompressedLayers() ? Compression.GZIP : null;
    boolean toOci = manifest.isDocker()
        && (!dst.supportsDockerManifests() || target == Compression.ZSTD);

    Descriptor configDesc = manifest.config();
    byte[] config = readConfig(src, configDesc);
    List<Digest> diffIds = List.of();
    if (target != null) {
      diffIds = ImageConfig.parse(config).diffIds();
      if (diffIds.size() != manifest.layers().size()) {
        throw new OciFormatException("manifest " + m.digest() + " has "
            + manifest.layers().size() + " layers but its config has " + diffIds.size()
            + " diff IDs");
      }
    }

    // layers, in parallel, each distinct digest once
    Map<Digest, Integer> firstIndex = new LinkedHashMap<>();
    for (int i = 0; i < manifest.layers().size(); i++) {
      firstIndex.putIfAbsent(manifest.layers().get(i).digest(), i);
    }
    Map<Digest, Descriptor> results = new LinkedHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(
        Math.max(1, Math.min(parallelism, firstIndex.size())), threads());
    try {
      Map<Digest, Future<Descriptor>> futures = new LinkedHashMap<>();
      for (Map.Entry<Digest, Integer> e : firstIndex.entrySet()) {
        Descriptor layer = manifest.layers().get(e.getValue());
        Digest diffId = target != null ? diffIds.get(e.getValue()) : null;
        futures.put(e.getKey(), pool.submit(() -> copyLayer(src, dst, layer, target, diffId,
            src.layersUncompressed())));
      }
      for (Map.Entry<Digest, Future<Descriptor>> f : futures.entrySet()) {
        results.put(f.getKey(), await(f.getValue()));
      }
    } catch (IOException | RuntimeException e) {
      pool.shutdownNow();
      throw e;
    } finally {
      pool.shutdown();
      try {
        if (!pool.awaitTermination(60, TimeUnit.SECONDS)) {
          pool.shutdownNow();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    // config after the layers
    copyBlob(src, dst, configDesc, () -> new ByteArrayInputStream(config));

    boolean layersChanged = false;
    for (Descriptor l : manifest.layers()) {
      Descriptor r = results.get(l.digest());
      layersChanged |= !r.digest().equals(l.digest()) || !Objects.equals(r.mediaType(),
          l.mediaType());
    }
    byte[] bytes = m.bytes();
    String mediaType = m.mediaType();
    if (layersChanged || toOci) {
      ObjectNode n = manifest.json();
      ArrayNode ls = (ArrayNode) n.get("layers");
      for (int i = 0; i < ls.size(); i++) {
        ObjectNode l = (ObjectNode) ls.get(i);
        Descriptor r = results.get(manifest.layers().get(i).digest());
        l.put("mediaType", toOci ? ociLayerType(r.mediaType()) : r.mediaType());
        l.put("digest", r.digest().toString());
        l.put("size", r.size());
      }
      if (toOci) {
        mediaType = MediaTypes.OCI_MANIFEST;
        n.put("mediaType", mediaType);
        ((ObjectNode) n.get("config")).put("mediaType", MediaTypes.OCI_CONFIG);
      }
      bytes = Json.toBytes(n);
    }
    Digest d = dst.putManifest(bytes, mediaType, tagged);
    return new Written(bytes, mediaType, d);
  }

  private static String ociLayerType(String type) throws OciFormatException {
    if (type.startsWith("application/vnd.oci.")) {
      return type;
    }
    return Compression.forMediaType(type).ociLayerMediaType();
  }

  private static byte[] readConfig(ImageSource src, Descriptor d) throws IOException {
    if (d.size() > 64L << 20) {
      throw new OciFormatException("config " + d.digest() + " is " + d.size()
          + " bytes, larger than 64 MiB");
    }
    try (VerifyingInputStream in = new VerifyingInputStream(src.openBlob(d), d)) {
      byte[] b = in.readNBytes((int) d.size() + 1);
      in.verify();
      return b;
    }
  }

  private static <T> T await(Future<T> f) throws IOException {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      InterruptedIOException ie = new InterruptedIOException("interrupted");
      ie.initCause(e);
      throw ie;
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof IOException) {
        throw (IOException) c;
      }
      if (c instanceof RuntimeException) {
        throw (RuntimeException) c;
      }
      if (c instanceof Error) {
        throw (Error) c;
      }
      throw new IOException(c);
    }
  }

  private static ThreadFactory threads() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "image-copy-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Copies one layer, recompressing it when asked; returns its descriptor at the destination. */
  private Descriptor copyLayer(ImageSource src, ImageDestination dst, Descriptor layer,
      Compression target, Digest diffId, boolean uncompressedSource) throws IOException {
    if (target != null && MediaTypes.isLayer(layer.mediaType())) {
      Compression current = uncompressedSource ? Compression.NONE
          : Compression.forMediaType(layer.mediaType());
      if (current != target) {
        return recompress(src, dst, layer, current, target, diffId);
      }
    }
    copyBlob(src, dst, layer, () -> src.openBlob(layer));
    return layer;
  }

  private void copyBlob(ImageSource src, ImageDestination dst, Descriptor blob,
      StreamSupplier content) throws IOException {
    Digest d = blob.digest();
    long size = blob.size();
    for (int attempt = 1; ; attempt++) {
      try {
        copyBlobOnce(src, dst, blob, content);
        return;
      } catch (IOException e) {
        if (attempt >= attempts || !transientRead(e)) {
          throw e;
        }
        long ms = retryDelay.toMillis();
        for (int i = 1; i < attempt; i++) {
          ms = Math.min(ms * 4, 10_000);
        }
        sleep(ms);
        listener.onEvent(new CopyEvent(CopyEvent.Kind.PROGRESS, d, size, 0));
      }
    }
  }

  private void copyBlobOnce(ImageSource src, ImageDestination dst, Descriptor blob,
      StreamSupplier content) throws IOException {
    Digest d = blob.digest();
    long size = blob.size();
    if (dst.hasBlob(d, size)) {
      listener.onEvent(new CopyEvent(CopyEvent.Kind.SKIPPED, d, size, size));
      return;
    }
    if (src.registryLocation().isPresent() && dst.tryMount(d, size, src.registryLocation().get())) {
      listener.onEvent(new CopyEvent(CopyEvent.Kind.MOUNTED, d, size, size));
      return;
    }
    listener.onEvent(new CopyEvent(CopyEvent.Kind.STARTED, d, size, 0));
    dst.putBlob(d, size, content,
        n -> listener.onEvent(new CopyEvent(CopyEvent.Kind.PROGRESS, d, size, n)));
    listener.onEvent(new CopyEvent(CopyEvent.Kind.DONE, d, size, size));
  }

  /**
   * Whether a failure is a connection that broke while a blob was read, which a fresh stream may
   * get past. Registry requests have been retried by their client already, and content that does
   * not match its digest is not retried.
   */
  static boolean transientRead(IOException e) {
    boolean network = false;
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof BlobVerificationException || t instanceof RegistryException
          || t instanceof InterruptedIOException && !(t instanceof java.net.SocketTimeoutException)) {
        return false;
      }
      String name = t.getClass().getName();
      network |= t instanceof java.net.SocketException || t instanceof java.io.EOFException
          || t instanceof java.net.SocketTimeoutException
          || name.equals("org.apache.http.ConnectionClosedException")
          || name.equals("org.apache.http.TruncatedChunkException")
          || name.equals("org.apache.http.NoHttpResponseException");
    }
    return network;
  }

  private static void sleep(long ms) throws InterruptedIOException {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      InterruptedIOException ie = new InterruptedIOException("interrupted");
      ie.initCause(e);
      throw ie;
    }
  }

  private Descriptor recompress(ImageSource src, ImageDestination dst, Descriptor layer,
      Compression current, Compression target, Digest diffId) throws IOException {
    Digest d = layer.digest();
    long size = layer.size();
    listener.onEvent(new CopyEvent(CopyEvent.Kind.STARTED, d, size, 0));
    Path tmp = tempDir == null ? Files.createTempFile("layer-", ".tmp")
        : Files.createTempFile(Files.createDirectories(tempDir), "layer-", ".tmp");
    try {
      Digest newDigest;
      long newSize;
      try (InputStream raw = src.openBlob(layer);
          VerifyingInputStream verified = new VerifyingInputStream(raw, layer)) {
        InputStream counted = new ProgressStream(verified,
            n -> listener.onEvent(new CopyEvent(CopyEvent.Kind.PROGRESS, d, size, n)));
        InputStream plain = current.decompress(counted);
        VerifyingInputStream plainVerified = new VerifyingInputStream(plain, diffId, -1);
        DigestingOutputStream digesting;
        try (OutputStream file = Files.newOutputStream(tmp)) {
          digesting = new DigestingOutputStream(file);
          OutputStream out = target.compress(digesting,
              level == Integer.MIN_VALUE ? target.defaultLevel() : level);
          plainVerified.transferTo(out);
          plainVerified.verify();
          out.close();
        }
        verified.verify();
        newDigest = digesting.digest();
        newSize = digesting.size();
      }
      if (!dst.hasBlob(newDigest, newSize)) {
        dst.putBlob(newDigest, newSize, () -> Files.newInputStream(tmp), n -> { });
      }
      listener.onEvent(new CopyEvent(CopyEvent.Kind.DONE, d, size, size));
      String type = layer.mediaType().startsWith("application/vnd.docker.")
          ? target.dockerLayerMediaType() : target.ociLayerMediaType();
      ObjectNode n = layer.toJson();
      n.put("mediaType", type);
      n.put("digest", newDigest.toString());
      n.put("size", newSize);
      return Descriptor.fromJson(n, "layer");
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Reports the number of bytes read. */
  private static final class ProgressStream extends java.io.FilterInputStream {
    private final java.util.function.LongConsumer progress;
    private long count;

    ProgressStream(InputStream in, java.util.function.LongConsumer progress) {
      super(in);
      this.progress = progress;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        progress.accept(++count);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
        progress.accept(count);
      }
      return n;
    }

    @Override
    public boolean markSupported() {
      return false;
    }
  }

  /** Configures an {@link ImageCopier}. */
  public static final class Builder {
    private boolean all;
    private Platform platform = Platform.current();
    private int parallelism = 3;
    private Compression compression;
    private int level = Integer.MIN_VALUE;
    private CopyListener listener = CopyListener.NONE;
    private Path tempDir;
    private int attempts = 3;
    private java.time.Duration retryDelay = java.time.Duration.ofMillis(500);

    private Builder() {}

    /**
     * How often a blob is tried when the connection breaks while it is read (a registry source
     * that drops the download), and the first pause, growing fourfold per attempt; default 3
     * attempts, 500 ms, as for registry requests ({@link TransportOptions}). Each attempt reads
     * the blob from the start. Requests to registries are retried by their clients as well.
     *
     * @param n attempts per blob, at least 1
     * @param firstDelay the first pause
     * @return this
     */
    public Builder retries(int n, java.time.Duration firstDelay) {
      if (n < 1) {
        throw new IllegalArgumentException("attempts must be at least 1");
      }
      this.attempts = n;
      this.retryDelay = Objects.requireNonNull(firstDelay, "firstDelay");
      return this;
    }

    /**
     * Whether to copy every image of an index ({@code --all}); default false.
     *
     * @param allPlatforms true to copy the whole index
     * @return this
     */
    public Builder allPlatforms(boolean allPlatforms) {
      this.all = allPlatforms;
      return this;
    }

    /**
     * The platform picked from an index when not copying all; default this machine's.
     *
     * @param p the platform
     * @return this
     */
    public Builder platform(Platform p) {
      this.platform = Objects.requireNonNull(p, "platform");
      return this;
    }

    /**
     * How many layers are transferred at once; default 3.
     *
     * @param n at least 1
     * @return this
     */
    public Builder parallelism(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("parallelism must be at least 1");
      }
      this.parallelism = n;
      return this;
    }

    /**
     * Recompresses layers ({@code --dest-compress-format}, {@code --dest-compress-level}); layers
     * already in that format are copied as they are.
     *
     * @param c the compression, or null to keep layers as they are
     * @param compressionLevel the level, or {@link Integer#MIN_VALUE} for the format's default
     * @return this
     */
    public Builder compression(Compression c, int compressionLevel) {
      this.compression = c;
      this.level = compressionLevel;
      return this;
    }

    /**
     * Receives progress events.
     *
     * @param l the listener
     * @return this
     */
    public Builder listener(CopyListener l) {
      this.listener = Objects.requireNonNull(l, "listener");
      return this;
    }

    /**
     * Where recompressed layers are staged; default the system temporary directory.
     *
     * @param dir the directory, or null
     * @return this
     */
    public Builder tempDir(Path dir) {
      this.tempDir = dir;
      return this;
    }

    /**
     * Builds the copier.
     *
     * @return the copier
     */
    public ImageCopier build() {
      return new ImageCopier(this);
    }
  }
}
