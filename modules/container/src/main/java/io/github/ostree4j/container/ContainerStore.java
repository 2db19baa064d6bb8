package io.github.ostree4j.container;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.ostree4j.container.internal.LayerStream;
import io.github.ostree4j.container.internal.SignatureChecks;
import io.github.ostree4j.oci.Descriptor;
import io.github.ostree4j.oci.Digest;
import io.github.ostree4j.oci.ImageConfig;
import io.github.ostree4j.oci.ImageIndex;
import io.github.ostree4j.oci.ImageManifest;
import io.github.ostree4j.oci.MediaTypes;
import io.github.ostree4j.oci.Platform;
import io.github.ostree4j.oci.VerifyingInputStream;
import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.ostree.Commit;
import io.github.ostree4j.ostree.CommitOptions;
import io.github.ostree4j.ostree.OstreeRepo;
import io.github.ostree4j.transport.ImageReference;
import io.github.ostree4j.transport.ImageSource;
import io.github.ostree4j.transport.ImageTransports;
import io.github.ostree4j.transport.ManifestResponse;
import io.github.ostree4j.transport.OstreeImageReference;
import io.github.ostree4j.transport.SignatureSource;
import io.github.ostree4j.transport.TransportOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The container image store of an ostree repository, as ostree-ext keeps it: every imported layer
 * is a commit under {@code ostree/container/blob/<escaped digest>}, every pulled image a merge
 * commit under {@code ostree/container/image/<escaped reference>} whose metadata holds the
 * manifest digest, manifest and config ({@code ostree.manifest-digest}, {@code ostree.manifest},
 * {@code ostree.container.image-config}).
 *
 * <p>Layers are verified (compressed digest and size, and diff ID) before any ref names what was
 * imported from them; objects of a failed import stay unreferenced until a repository prune, as
 * with ostree. Layers already present are not fetched again, also when another image stored the
 * same content under a different compressed digest (same diff ID).
 *
 * <p>Signatures are checked before any layer is imported, by how the image is named (see {@link
 * #pull(OstreeImageReference, TransportOptions)}): plain references follow the
 * containers-policy.json, {@code ostree-image-signed:} requires a policy that enforces signatures,
 * {@code ostree-unverified-*:} skips the check and {@code ostree-remote-image:REMOTE:} requires
 * the commit to be signed by a GPG key of the ostree remote.
 */
public final class ContainerStore {

  /** Commit metadata: the manifest digest of a stored image. */
  public static final String META_MANIFEST_DIGEST = "ostree.manifest-digest";
  /** Commit metadata: the manifest JSON of a stored image. */
  public static final String META_MANIFEST = "ostree.manifest";
  /** Commit metadata: the config JSON of a stored image. */
  public static final String META_CONFIG = "ostree.container.image-config";

  private final OstreeRepo repo;
  private Consumer<String> messages = m -> { };
  private boolean allowNonUsr;

  /**
   * Creates the store of a repository.
   *
   * @param repo the repository
   */
  public ContainerStore(OstreeRepo repo) {
    this.repo = Objects.requireNonNull(repo, "repo");
  }

  /**
   * Where progress and warnings go (one line each), e.g. "layers already present: 3; layers
   * needed: 2 (12.0 MiB)".
   *
   * @param sink the receiver
   * @return this
   */
  public ContainerStore messages(Consumer<String> sink) {
    this.messages = Objects.requireNonNull(sink, "sink");
    return this;
  }

  /**
   * Keeps derived-layer content outside {@code /usr}, {@code /etc} and {@code /var} (for systems
   * with a transient root).
   *
   * @param allow whether to keep it
   * @return this
   */
  public ContainerStore allowNonUsr(boolean allow) {
    this.allowNonUsr = allow;
    return this;
  }

  /** An image's manifest and config as fetched. */
  public record FetchedImage(ImageReference reference, ManifestResponse manifestResponse,
      ImageManifest manifest, ImageConfig config, ImageLayers layers) {}

  /** The outcome of a pull. */
  public record PullResult(Checksum mergeCommit, Optional<Checksum> baseCommit,
      Digest manifestDigest, int layersPresent, int layersFetched, long bytesFetched,
      long filteredFiles, boolean alreadyPresent) {}

  /** A stored image. */
  public record StoredImage(String reference, Checksum mergeCommit, Digest manifestDigest,
      ImageManifest manifest, ImageConfig config) {}

  /**
   * Fetches an image's manifest and config, resolving an index to this machine's platform.
   *
   * @param ref the image
   * @param options credentials and TLS
   * @return the manifest and config
   * @throws IOException when the image cannot be read
   */
  public static FetchedImage fetchManifest(ImageReference ref, TransportOptions options)
      throws IOException {
    try (ImageSource src = ImageTransports.openSource(ref, options)) {
      return fetchManifest(src);
    }
  }

  /**
   * Fetches an image's manifest and config after the signature checks of its reference (see
   * {@link #pull(OstreeImageReference, TransportOptions)}); nothing is imported.
   *
   * @param ref the image
   * @param options credentials, TLS, policy
   * @return the manifest and config
   * @throws io.github.ostree4j.transport.SignatureVerificationException when the policy refuses
   *     the image
   * @throws IOException when the image cannot be read
   */
  public static FetchedImage fetchManifest(OstreeImageReference ref, TransportOptions options)
      throws IOException {
    return fetchManifest(ref, options, m -> { });
  }

  /**
   * As {@link #fetchManifest(OstreeImageReference, TransportOptions)}, saying which signature was
   * accepted.
   *
   * @param ref the image
   * @param options credentials, TLS, policy
   * @param messages receives "Verified signature of …" when a signature was checked
   * @return the manifest and config
   * @throws io.github.ostree4j.transport.SignatureVerificationException when the policy refuses
   *     the image
   * @throws IOException when the image cannot be read
   */
  public static FetchedImage fetchManifest(OstreeImageReference ref, TransportOptions options,
      Consumer<String> messages) throws IOException {
    try (ImageSource src = ImageTransports.openSource(ref.imageReference(), options)) {
      ManifestResponse top = src.manifest();
      SignatureChecks.policy(ref.signatureSource(), src, top, options, ref.toString(), messages);
      return fetchManifest(src, top);
    }
  }

  private static FetchedImage fetchManifest(ImageSource src) throws IOException {
    return fetchManifest(src, src.manifest());
  }

  private static FetchedImage fetchManifest(ImageSource src, ManifestResponse top)
      throws IOException {
    ManifestResponse mr = top;
    if (MediaTypes.isIndex(mr.mediaType())) {
      ImageIndex idx = ImageIndex.parse(mr.bytes(), mr.mediaType());
      Platform p = Platform.current();
      Descriptor d = idx.forPlatform(p).orElseThrow(() -> new InvalidContainerImageException(
          src.reference() + ": the image index has no image for " + p));
      mr = src.manifest(d.digest());
    }
    ImageManifest m = ImageManifest.parse(mr.bytes(), mr.mediaType());
    Descriptor cd = m.config();
    if (cd.size() > 64L << 20) {
      throw new InvalidContainerImageException(src.reference() + ": config " + cd.digest()
          + " is larger than 64 MiB");
    }
    byte[] cfg;
    try (VerifyingInputStream in = new VerifyingInputStream(src.openBlob(cd), cd)) {
      cfg = in.readNBytes((int) cd.size() + 1);
      in.verify();
    }
    ImageConfig config = ImageConfig.parse(cfg);
    return new FetchedImage(src.reference(), mr, m, config, ImageLayers.of(m, config));
  }

  /**
   * Imports an image that holds only ostree content and returns its commit, exactly as it was
   * encapsulated. No layer or image refs are written.
   *
   * @param ref the image
   * @param options credentials and TLS
   * @return the ostree commit
   * @throws InvalidContainerImageException when the image is not an ostree image or has
   *     derived layers
   * @throws IOException when fetching or importing fails
   */
  public Checksum unencapsulate(ImageReference ref, TransportOptions options) throws IOException {
    return unencapsulate(ref, null, null, ref.toString(), options);
  }

  /**
   * Imports an image that holds only ostree content, after the signature checks of its reference
   * (see {@link #pull(OstreeImageReference, TransportOptions)}).
   *
   * @param ref the image, e.g. {@code ostree-remote-image:fedora:docker://quay.io/x/os:1}
   * @param options credentials, TLS, policy
   * @return the ostree commit
   * @throws io.github.ostree4j.transport.SignatureVerificationException when the image is refused;
   *     nothing is imported then
   * @throws IOException when fetching or importing fails
   */
  public Checksum unencapsulate(OstreeImageReference ref, TransportOptions options)
      throws IOException {
    return unencapsulate(ref.imageReference(), ref.signatureSource(), ref.remote().orElse(null),
        ref.toString(), options);
  }

  private Checksum unencapsulate(ImageReference ref, SignatureSource mode, String remote,
      String shown, TransportOptions options) throws IOException {
    try (ImageSource src = ImageTransports.openSource(ref, options)) {
      ManifestResponse top = src.manifest();
      SignatureChecks.policy(mode, src, top, options, shown, messages);
      FetchedImage img = fetchManifest(src, top);
      ImageLayers layers = img.layers();
      if (!layers.isOstreeImage()) {
        throw new InvalidContainerImageException(ref + ": no " + Encapsulator.LABEL_FINAL_DIFFID
            + " label found, not an ostree encapsulated container");
      }
      if (!layers.derivedLayers().isEmpty()) {
        throw new InvalidContainerImageException(ref + ": image has "
            + layers.derivedLayers().size() + " non-ostree layers; use 'container image pull'");
      }
      Checksum verified = remoteCheck(mode, remote, src, img, shown);
      return importOstreeLayers(src, img, false, new long[3], Map.of(), verified);
    }
  }

  /** For {@code ostree-remote-image:}, the commit whose signatures were checked; else null. */
  private Checksum remoteCheck(SignatureSource mode, String remote, ImageSource src,
      FetchedImage img, String shown) throws IOException {
    if (mode != SignatureSource.OSTREE_REMOTE) {
      return null;
    }
    ImageLayers layers = img.layers();
    if (!layers.isOstreeImage() || layers.commitLayer().isEmpty()) {
      throw io.github.ostree4j.transport.SignatureVerificationException.forRemote(shown, remote,
          "the image has no ostree commit layer (no " + Encapsulator.LABEL_FINAL_DIFFID
              + " label) whose signatures could be checked");
    }
    Descriptor cl = layers.commitLayer().get();
    return SignatureChecks.verifyRemoteCommit(repo, remote, src, cl, diffIdOf(img, cl), shown,
        messages);
  }

  /**
   * Pulls an image into the store: fetches the layers not yet present, imports them and writes
   * the merge commit under the image's ref.
   *
   * @param ref the image
   * @param options credentials and TLS
   * @return what happened
   * @throws IOException when fetching or importing fails
   */
  public PullResult pull(ImageReference ref, TransportOptions options) throws IOException {
    return pull(ref, null, null, ref.toString(), options);
  }

  /**
   * Pulls an image named in the ostree-ext syntax, checking its signatures before any layer is
   * imported:
   *
   * <ul>
   *   <li>{@code ostree-image-signed:TRANSPORT:NAME}: the containers-policy.json ({@link
   *       TransportOptions#signaturePolicy()}) must neither default to {@code
   *       insecureAcceptAnything} nor accept anything for the image's scope, and must accept the
   *       image (for {@code sigstoreSigned}: a cosign signature by one of its keys, read where
   *       registries.d's {@code use-sigstore-attachments} says);
   *   <li>{@code ostree-unverified-registry:NAME}, {@code ostree-unverified-image:…}: no check;
   *   <li>{@code ostree-remote-image:REMOTE:…}: the commit layer's commit must carry a good GPG
   *       signature ({@code ostree.gpgsigs} in its {@code .commitmeta}) by a key the ostree remote
   *       trusts (its {@code trustedkeys.gpg}, {@code gpgkeypath}, or the global keyring).
   * </ul>
   *
   * <p>{@link #pull(ImageReference, TransportOptions)} (a plain reference) follows the policy as
   * containers-image does; when no policy file exists it does not check.
   *
   * @param ref the image
   * @param options credentials, TLS, policy, registries.d
   * @return what happened
   * @throws io.github.ostree4j.transport.SignatureVerificationException when the image is refused
   *     (naming the image, the policy scope or remote, and the reason); nothing was imported and
   *     no ref changed
   * @throws IOException when fetching or importing fails
   */
  public PullResult pull(OstreeImageReference ref, TransportOptions options) throws IOException {
    return pull(ref.imageReference(), ref.signatureSource(), ref.remote().orElse(null),
        ref.toString(), options);
  }

  private PullResult pull(ImageReference ref, SignatureSource mode, String remote, String shown,
      TransportOptions options) throws IOException {
    try (ImageSource src = ImageTransports.openSource(ref, options)) {
      ManifestResponse top = src.manifest();
      SignatureChecks.policy(mode, src, top, options, shown, messages);
      FetchedImage img = fetchManifest(src, top);
      Checksum verified = remoteCheck(mode, remote, src, img, shown);
      return pull(src, img, verified);
    }
  }

  /**
   * Pulls an image whose manifest and config were fetched before with {@link
   * #fetchManifest(ImageReference, TransportOptions)}: neither is fetched again, and exactly that
   * manifest is imported, even if its reference names another image by now (a tag moved between
   * a check of the manifest and the pull). The layers are still verified against their digests.
   * No signatures are checked here: they are checked when fetching with {@link
   * #fetchManifest(OstreeImageReference, TransportOptions)} (and, for {@code ostree-remote-image:},
   * by {@link #pull(FetchedImage, OstreeImageReference, TransportOptions)}).
   *
   * @param fetched the manifest and config, with the reference they were read from
   * @param options credentials and TLS
   * @return what happened
   * @throws IOException when fetching or importing fails
   */
  public PullResult pull(FetchedImage fetched, TransportOptions options) throws IOException {
    try (ImageSource src = ImageTransports.openSource(fetched.reference(), options)) {
      return pull(src, fetched, null);
    }
  }

  /**
   * Pulls an image fetched before with {@link #fetchManifest(OstreeImageReference,
   * TransportOptions)} (which made the policy checks of {@code ref}), as {@link
   * #pull(FetchedImage, TransportOptions)} does; for {@code ostree-remote-image:} the commit
   * layer's GPG signatures are checked first, before any layer is imported.
   *
   * @param fetched the manifest and config, with the reference they were read from
   * @param ref how the image was named
   * @param options credentials and TLS
   * @return what happened
   * @throws io.github.ostree4j.transport.SignatureVerificationException when the commit is not
   *     signed by a key of the remote; nothing was imported then
   * @throws IOException when fetching or importing fails
   */
  public PullResult pull(FetchedImage fetched, OstreeImageReference ref, TransportOptions options)
      throws IOException {
    try (ImageSource src = ImageTransports.openSource(fetched.reference(), options)) {
      Checksum verified = remoteCheck(ref.signatureSource(), ref.remote().orElse(null), src,
          fetched, ref.toString());
      return pull(src, fetched, verified);
    }
  }

  private PullResult pull(ImageSource src, FetchedImage img, Checksum verified)
      throws IOException {
    ImageReference ref = img.reference();
    String imageRef = ContainerRefs.imageRef(ref.toString());
    Optional<StoredImage> stored = query(ref.toString());
    if (stored.isPresent() && (stored.get().manifestDigest().equals(img.manifestResponse().digest())
        || stored.get().config().digest().equals(img.config().digest()))) {
      messages.accept("image " + ref + " is already present (" + img.manifestResponse().digest() + ")");
      return new PullResult(stored.get().mergeCommit(), Optional.empty(),
          stored.get().manifestDigest(), img.manifest().layers().size(), 0, 0, 0, true);
    }
    ImageLayers layers = img.layers();
    Map<Digest, Checksum> byDiffId = storedLayersByDiffId();
    int present = 0;
    long neededBytes = 0;
    int needed = 0;
    for (int i = 0; i < img.manifest().layers().size(); i++) {
      Descriptor l = img.manifest().layers().get(i);
      if (layerCommit(l.digest()).isPresent() || byDiffId.containsKey(layers.diffIds().get(i))) {
        present++;
      } else {
        needed++;
        neededBytes += l.size();
      }
    }
    messages.accept("layers already present: " + present + "; layers needed: " + needed + " ("
        + io.github.ostree4j.oci.ByteSizes.human(neededBytes) + ")");
    long[] stats = new long[3]; // fetched layers, fetched bytes, filtered files
    Optional<Checksum> base = Optional.empty();
    if (layers.isOstreeImage()) {
      base = Optional.of(importOstreeLayers(src, img, true, stats, byDiffId, verified));
    }
    List<Checksum> derived = new ArrayList<>();
    Map<String, Long> dropped = new java.util.TreeMap<>();
    // as ostree-ext: an image without an ostree base keeps content outside /usr
    boolean nonUsr = allowNonUsr || !layers.isOstreeImage();
    for (Descriptor l : layers.derivedLayers()) {
      derived.add(importDerived(src, img, l, byDiffId, stats, dropped, nonUsr));
    }
    if (stats[2] > 0) {
      StringBuilder where = new StringBuilder();
      dropped.forEach((top, n) -> where.append(where.length() == 0 ? "" : ", ").append('/')
          .append(top).append(": ").append(n));
      messages.accept("warning: " + stats[2] + " entries of the derived layers were dropped ("
          + where + "); an ostree commit keeps only /usr, /etc and /var, and /run, /tmp empty");
    }
    MergeMetadata meta = new MergeMetadata(img.manifestResponse().digest(),
        img.manifestResponse().bytes(), img.config().bytes(), timestamp(img));
    // an image without an ostree base (all layers derived) merges onto an empty tree
    Checksum merge = new MergeCommitBuilder(repo).merge(base.orElse(null), derived, meta);
    repo.refs().set(imageRef, merge);
    return new PullResult(merge, base, img.manifestResponse().digest(), present,
        (int) stats[0], stats[1], stats[2], false);
  }

  /** Imports components then the commit layer; returns the ostree commit. */
  private Checksum importOstreeLayers(ImageSource src, FetchedImage img, boolean writeRefs,
      long[] stats, Map<Digest, Checksum> byDiffId, Checksum verified) throws IOException {
    ImageLayers layers = img.layers();
    List<Descriptor> all = img.manifest().layers();
    List<Descriptor> needed = new ArrayList<>();
    for (Descriptor l : layers.componentLayers()) {
      if (writeRefs && layerCommit(l.digest()).isPresent()) {
        continue;
      }
      Checksum same = byDiffId.get(diffIdOf(img, l));
      if (writeRefs && same != null) {
        repo.refs().set(ContainerRefs.layerRef(l.digest()), same); // same content, other compression
        continue;
      }
      needed.add(l);
    }
    Descriptor cl = layers.commitLayer().orElseThrow();
    Optional<Checksum> cached = writeRefs ? layerCommit(cl.digest()) : Optional.empty();
    if (writeRefs && cached.isEmpty() && byDiffId.containsKey(diffIdOf(img, cl))) {
      cached = Optional.of(byDiffId.get(diffIdOf(img, cl)));
      repo.refs().set(ContainerRefs.layerRef(cl.digest()), cached.get());
    }
    // The layers hold disjoint object sets, and the commit layer needs the component layers'
    // objects only for the completeness check: all are fetched and imported in parallel (the
    // commit layer first, its commit marked partial). Then the filesystem is flushed once, the
    // commit is checked complete, and the refs are written (a ref never points at objects that a
    // crash could still lose).
    boolean importCommit = cached.isEmpty();
    int tasks = needed.size() + (importCommit ? 1 : 0);
    int threads = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), tasks));
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(
        threads, r -> {
          Thread t = new Thread(r, "ostree4j-layer-import");
          t.setDaemon(true);
          return t;
        });
    Checksum commit;
    try {
      java.util.concurrent.Future<Checksum> commitImport = importCommit
          ? pool.submit(() -> importLayer(src, img, cl, stats,
              t -> new CommitTarImporter(repo).importCommitObjects(t)))
          : null;
      List<java.util.concurrent.Future<Checksum>> futures = new ArrayList<>();
      for (Descriptor l : needed) {
        futures.add(pool.submit(() -> importLayer(src, img, l, stats,
            t -> new CommitTarImporter(repo).flushObjectSets(false).importObjectSet(t))));
      }
      List<Checksum> imported = new ArrayList<>();
      for (java.util.concurrent.Future<Checksum> f : futures) {
        imported.add(awaitLayer(f));
      }
      commit = importCommit ? awaitLayer(commitImport) : cached.get();
      if (tasks > 0) {
        repo.syncFilesystem();
      }
      if (importCommit) {
        try {
          new CommitTarImporter(repo).completeCommit(commit);
        } catch (IOException e) {
          throw withLayer(cl, e);
        }
      }
      if (writeRefs) {
        for (int i = 0; i < needed.size(); i++) {
          repo.refs().set(ContainerRefs.layerRef(needed.get(i).digest()), imported.get(i));
        }
      }
    } finally {
      pool.shutdownNow();
    }
    if (layers.expectedCommit().isPresent() && !layers.expectedCommit().get().equals(commit.hex())) {
      throw new InvalidContainerImageException(img.reference() + ": layer " + cl.digest()
          + " holds commit " + commit.hex() + " but the image is labelled "
          + Encapsulator.LABEL_COMMIT + "=" + layers.expectedCommit().get());
    }
    if (verified != null && !verified.equals(commit)) {
      throw new InvalidContainerImageException(img.reference() + ": layer " + cl.digest()
          + " holds commit " + commit + ", not the verified commit " + verified);
    }
    if (writeRefs && cached.isEmpty()) {
      repo.refs().set(ContainerRefs.layerRef(cl.digest()), commit);
    }
    return commit;
  }

  private Checksum importDerived(ImageSource src, FetchedImage img, Descriptor l,
      Map<Digest, Checksum> byDiffId, long[] stats, Map<String, Long> dropped, boolean nonUsr)
      throws IOException {
    Optional<Checksum> cached = layerCommit(l.digest());
    if (cached.isPresent()) {
      return cached.get();
    }
    int index = img.manifest().layers().indexOf(l);
    Checksum sameContent = byDiffId.get(img.layers().diffIds().get(index));
    if (sameContent != null) {
      repo.refs().set(ContainerRefs.layerRef(l.digest()), sameContent);
      return sameContent;
    }
    Checksum c = importLayer(src, img, l, stats, t -> {
      DerivedLayerResult r = new DerivedLayerImporter(repo).allowNonUsr(nonUsr)
          .importLayer(t, CommitOptions.builder().timestamp(0L).build());
      stats[2] += r.filteredTotal();
      r.filtered().forEach((top, n) -> dropped.merge(top, n, Long::sum));
      return r.commit();
    });
    repo.refs().set(ContainerRefs.layerRef(l.digest()), c);
    return c;
  }

  private interface TarImport {
    Checksum run(java.io.InputStream tar) throws IOException;
  }

  private Checksum importLayer(ImageSource src, FetchedImage img, Descriptor l, long[] stats,
      TarImport importer) throws IOException {
    int index = img.manifest().layers().indexOf(l);
    Digest diffId = img.layers().diffIds().get(index);
    try (LayerStream ls = new LayerStream(src.openBlob(l), l, diffId, src.layersUncompressed())) {
      Checksum c;
      try {
        c = importer.run(ls.tar());
        ls.finish();
      } catch (IOException e) {
        throw withLayer(l, e);
      }
      synchronized (stats) {
        stats[0]++;
        stats[1] += l.size();
      }
      return c;
    }
  }

  private static Checksum awaitLayer(java.util.concurrent.Future<Checksum> f) throws IOException {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while importing layers");
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable t = e.getCause();
      if (t instanceof IOException) {
        throw (IOException) t;
      }
      if (t instanceof RuntimeException) {
        throw (RuntimeException) t;
      }
      throw new IOException("importing a layer failed", t);
    }
  }

  private static Digest diffIdOf(FetchedImage img, Descriptor l) {
    return img.layers().diffIds().get(img.manifest().layers().indexOf(l));
  }

  private static IOException withLayer(Descriptor l, IOException e) {
    String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (msg.contains(l.digest().toString())) {
      return e;
    }
    return new InvalidContainerImageException("importing layer " + l.digest() + ": " + msg, e);
  }

  private Optional<Checksum> layerCommit(Digest layer) throws IOException {
    Optional<Checksum> c = repo.refs().resolve(ContainerRefs.layerRef(layer));
    if (c.isPresent() && !repo.hasObject(c.get(), io.github.ostree4j.ostree.ObjectType.COMMIT)) {
      return Optional.empty();
    }
    return c;
  }

  /** diff ID -> layer commit, over the stored images whose layer refs still exist. */
  private Map<Digest, Checksum> storedLayersByDiffId() throws IOException {
    Map<Digest, Checksum> out = new HashMap<>();
    for (StoredImage s : listImages()) {
      List<Descriptor> ls = s.manifest().layers();
      List<Digest> ids = s.config().diffIds();
      for (int i = 0; i < ls.size() && i < ids.size(); i++) {
        Optional<Checksum> c = layerCommit(ls.get(i).digest());
        if (c.isPresent()) {
          out.putIfAbsent(ids.get(i), c.get());
        }
      }
    }
    return out;
  }

  /**
   * The stored image for a reference.
   *
   * @param reference the image reference as pulled, e.g. {@code docker://quay.io/x:tag}
   * @return the image, or empty when it is not stored
   * @throws IOException when its commit cannot be read
   */
  public Optional<StoredImage> query(String reference) throws IOException {
    Optional<Checksum> c = repo.refs().resolve(ContainerRefs.imageRef(reference));
    if (c.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(stored(reference, c.get()));
  }

  private StoredImage stored(String reference, Checksum merge) throws IOException {
    Commit commit = repo.readCommit(merge);
    String digest = commit.metadataString(META_MANIFEST_DIGEST).orElseThrow(() ->
        new InvalidContainerImageException("commit " + merge.hex() + " of " + reference
            + " has no " + META_MANIFEST_DIGEST));
    String manifest = commit.metadataString(META_MANIFEST).orElseThrow(() ->
        new InvalidContainerImageException("commit " + merge.hex() + " has no " + META_MANIFEST));
    String config = commit.metadataString(META_CONFIG).orElseThrow(() ->
        new InvalidContainerImageException("commit " + merge.hex() + " has no " + META_CONFIG));
    return new StoredImage(reference, merge, Digest.parse(digest),
        ImageManifest.parse(manifest.getBytes(StandardCharsets.UTF_8), null),
        ImageConfig.parse(config.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * The stored image references, sorted.
   *
   * @return the references, e.g. {@code docker://quay.io/x:tag}
   * @throws IOException when the refs cannot be read
   */
  public List<String> list() throws IOException {
    List<String> out = new ArrayList<>();
    for (String r : new TreeSet<>(repo.refs().list().keySet())) {
      if (r.startsWith(ContainerRefs.IMAGE_PREFIX)) {
        out.add(ContainerRefs.unescape(r.substring(ContainerRefs.IMAGE_PREFIX.length())));
      }
    }
    return out;
  }

  private List<StoredImage> listImages() throws IOException {
    List<StoredImage> out = new ArrayList<>();
    for (Map.Entry<String, Checksum> e : new TreeMap<>(repo.refs().list()).entrySet()) {
      if (e.getKey().startsWith(ContainerRefs.IMAGE_PREFIX)) {
        String ref = ContainerRefs.unescape(e.getKey().substring(ContainerRefs.IMAGE_PREFIX.length()));
        out.add(stored(ref, e.getValue()));
      }
    }
    return out;
  }

  /**
   * Removes an image's ref (its layers stay until {@link #pruneLayers()}).
   *
   * @param reference the image reference
   * @return whether it was stored
   * @throws IOException when the ref cannot be deleted
   */
  public boolean remove(String reference) throws IOException {
    String ref = ContainerRefs.imageRef(reference);
    if (repo.refs().resolve(ref).isEmpty()) {
      return false;
    }
    repo.refs().delete(ref);
    return true;
  }

  /**
   * Deletes the layer refs no stored image uses. Objects are removed only by a repository prune.
   *
   * @return the layer refs deleted
   * @throws IOException when refs cannot be read or deleted
   */
  public List<String> pruneLayers() throws IOException {
    Set<String> used = new TreeSet<>();
    for (StoredImage s : listImages()) {
      for (Descriptor l : s.manifest().layers()) {
        used.add(ContainerRefs.layerRef(l.digest()));
      }
    }
    List<String> deleted = new ArrayList<>();
    for (String r : new TreeSet<>(repo.refs().list().keySet())) {
      if (r.startsWith(ContainerRefs.LAYER_PREFIX) && !used.contains(r)) {
        repo.refs().delete(r);
        deleted.add(r);
      }
    }
    return deleted;
  }

  /** One line of an image's history. */
  public record HistoryEntry(String created, String createdBy, Optional<Descriptor> layer,
      boolean emptyLayer) {}

  /**
   * An image's history: the config's history entries, each non-empty one with its layer.
   *
   * @param reference the image reference
   * @return the entries, oldest first
   * @throws IOException when the image is not stored
   */
  public List<HistoryEntry> history(String reference) throws IOException {
    StoredImage s = query(reference).orElseThrow(() ->
        new InvalidContainerImageException("image " + reference + " is not stored"));
    List<HistoryEntry> out = new ArrayList<>();
    int layer = 0;
    List<Descriptor> layers = s.manifest().layers();
    for (JsonNode h : s.config().history()) {
      boolean empty = h.path("empty_layer").asBoolean(false);
      Optional<Descriptor> d = !empty && layer < layers.size()
          ? Optional.of(layers.get(layer++)) : Optional.empty();
      out.add(new HistoryEntry(h.path("created").asText(""), h.path("created_by").asText(""),
          d, empty));
    }
    return out;
  }

  /** The merge commit time: manifest annotation, else config {@code created}, else now. */
  private static long timestamp(FetchedImage img) {
    String a = img.manifest().annotations().get("org.opencontainers.image.created");
    Optional<Long> t = parseTime(a);
    if (t.isEmpty()) {
      t = parseTime(img.config().created().orElse(null));
    }
    return t.orElseGet(() -> Instant.now().getEpochSecond());
  }

  private static Optional<Long> parseTime(String s) {
    if (s == null || s.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(OffsetDateTime.parse(s).toEpochSecond());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
