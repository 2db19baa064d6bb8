package io.github.ostree4j.deploy;

import io.github.ostree4j.container.ContainerRefs;
import io.github.ostree4j.container.ContainerStore;
import io.github.ostree4j.oci.ByteSizes;
import io.github.ostree4j.oci.Platform;
import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.ostree.OstreeRepo;
import io.github.ostree4j.ostree.Prune;
import io.github.ostree4j.transport.ImageReference;
import io.github.ostree4j.transport.InvalidReferenceException;
import io.github.ostree4j.transport.OstreeImageReference;
import io.github.ostree4j.transport.SignatureVerificationException;
import io.github.ostree4j.transport.TransportOptions;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The node commands, as rpm-ostree and bootc have them: switch (rebase) to an image, upgrade to
 * the newest image under the deployed reference, roll back, report the status and clean up.
 *
 * <p>An update fetches the manifest first (this alone answers {@link #check()}), refuses an
 * image that is not bootable, is for another architecture or does not fit on the disk (see
 * {@link Preflight}) before anything changes, pulls exactly that manifest into the sysroot's
 * repository with a layered import (only the layers not yet present are downloaded), writes it as the new default
 * deployment with the {@code .origin} bootc writes ({@code
 * container-image-reference=ostree-unverified-registry:…}) and then removes images, layers and
 * objects nothing uses any more. From the free-space check to the cleanup the update holds the
 * sysroot lock.
 *
 * <p>Images are read from registries, {@code oci:} directories and {@code oci-archive:} files
 * alike, so an offline node can be updated from a USB stick. Signed references are checked before
 * anything is imported (see {@link ContainerStore#pull(OstreeImageReference, TransportOptions)}):
 * {@code ostree-image-signed:} against the containers-policy.json, {@code ostree-remote-image:}
 * against the GPG keys of the sysroot repository's remote; {@code ostree-unverified-*:} are not
 * checked.
 */
public final class Node {

  private final Path sysrootDir;
  private String stateroot;
  private TransportOptions transport = TransportOptions.defaults();
  private Consumer<String> messages = m -> { };
  private Platform platform = Platform.current();

  private Node(Path sysrootDir) {
    this.sysrootDir = Objects.requireNonNull(sysrootDir, "sysrootDir");
  }

  /**
   * The commands for a sysroot.
   *
   * @param sysroot the sysroot directory ({@code /} on a booted node)
   * @return the node
   */
  public static Node of(Path sysroot) {
    return new Node(sysroot);
  }

  /**
   * The stateroot to act on; default: the booted or default deployment's, else the first one.
   *
   * @param name the stateroot, or null for the default
   * @return this
   */
  public Node stateroot(String name) {
    this.stateroot = name;
    return this;
  }

  /**
   * Credentials, TLS and retries for reading images.
   *
   * @param options the options
   * @return this
   */
  public Node transport(TransportOptions options) {
    this.transport = Objects.requireNonNull(options, "options");
    return this;
  }

  /**
   * Where progress lines go.
   *
   * @param sink the receiver
   * @return this
   */
  public Node messages(Consumer<String> sink) {
    this.messages = Objects.requireNonNull(sink, "sink");
    return this;
  }

  /**
   * The platform images must be built for; default this machine's.
   *
   * @param p the platform
   * @return this
   */
  public Node platform(Platform p) {
    this.platform = Objects.requireNonNull(p, "p");
    return this;
  }

  /**
   * Switches to an image: pulls it and deploys it as the new default, with the image as origin.
   * Nothing happens when that image, with the same digest, is already the default.
   *
   * @param image e.g. {@code ostree-unverified-registry:quay.io/x/os:stable} or {@code
   *     ostree-unverified-image:oci-archive:/mnt/usb/os.ociarchive:stable}
   * @return the outcome
   * @throws PreflightException when the image is refused; nothing is changed then
   * @throws IOException when pulling or deploying fails (the previous deployments stay)
   */
  public UpdateResult rebase(OstreeImageReference image) throws IOException {
    return update(normalize(image), Mode.DEPLOY, true, null);
  }

  /**
   * Upgrades to what the default deployment's image reference names now.
   *
   * @return {@link UpdateResult.Outcome#DEPLOYED} or {@link UpdateResult.Outcome#NO_UPDATE}
   * @throws DeployException when the default deployment is not of a container image
   * @throws PreflightException when the image is refused; nothing is changed then
   * @throws IOException when pulling or deploying fails (the previous deployments stay)
   */
  public UpdateResult upgrade() throws IOException {
    return update(trackedImage(), Mode.DEPLOY, false, null);
  }

  /**
   * Upgrades to exactly the manifest a caller has already read for the tracked image (the update
   * agent reads it to decide whether to update): no second manifest request, and a tag moved
   * since then cannot slip in an image the caller never looked at.
   *
   * @param fetched the manifest and config of the tracked image, from {@link
   *     ContainerStore#fetchManifest(OstreeImageReference, TransportOptions)} with the tracked
   *     reference, which made its signature checks
   * @return as {@link #upgrade()}
   * @throws IOException as {@link #upgrade()}
   */
  public UpdateResult upgrade(ContainerStore.FetchedImage fetched) throws IOException {
    return update(trackedImage(), Mode.DEPLOY, false, fetched);
  }

  /**
   * Fetches only the manifest of the tracked image and tells whether it differs from the
   * deployed one.
   *
   * @return {@link UpdateResult.Outcome#UPDATE_AVAILABLE} or {@link UpdateResult.Outcome#NO_UPDATE}
   * @throws IOException when the manifest cannot be read
   */
  public UpdateResult check() throws IOException {
    return update(trackedImage(), Mode.CHECK, false, null);
  }

  /**
   * Downloads an update of the tracked image into the repository without deploying it; a later
   * {@link #upgrade()} deploys it without downloading again.
   *
   * @return {@link UpdateResult.Outcome#DOWNLOADED} or {@link UpdateResult.Outcome#NO_UPDATE}
   * @throws IOException as {@link #upgrade()}
   */
  public UpdateResult download() throws IOException {
    return update(trackedImage(), Mode.DOWNLOAD, false, null);
  }

  /**
   * Makes the rollback deployment the default and the default the rollback.
   *
   * @return the sysroot afterwards
   * @throws IOException when there is no rollback deployment or writing fails
   */
  public Sysroot rollback() throws IOException {
    return new Deployer(Sysroot.open(sysrootDir)).messages(messages).rollback();
  }

  /**
   * The status: deployments, with image, digest, version and timestamp.
   *
   * @return the status
   * @throws IOException when the sysroot cannot be read
   */
  public HostStatus status() throws IOException {
    Sysroot s = Sysroot.open(sysrootDir);
    return HostStatus.of(s, s.stateroots().isEmpty() ? null : s.stateroot(stateroot));
  }

  /**
   * Removes what nothing uses: leftovers of interrupted changes, images that are neither deployed
   * nor a downloaded update of a deployed reference, their layers, and unreachable objects.
   *
   * @return what was removed
   * @throws IOException when something cannot be removed
   */
  public CleanupResult cleanup() throws IOException {
    Sysroot s = Sysroot.open(sysrootDir);
    try (Closeable lock = s.lock()) {
      return cleanupLocked(s.reload());
    }
  }

  // ------------------------------------------------------------------ implementation

  private enum Mode { CHECK, DOWNLOAD, DEPLOY }

  private OstreeImageReference trackedImage() throws IOException {
    Sysroot s = Sysroot.open(sysrootDir);
    String os = s.stateroot(stateroot);
    Deployment d = current(s, os).orElseThrow(() -> new DeployException("upgrading " + os
        + ": there is no deployment; use rebase to deploy an image first"));
    String ref = d.imageReference().orElseThrow(() -> new DeployException("upgrading " + os
        + ": deployment " + d.dirName() + " is not of a container image (origin "
        + d.refspec().map(r -> "refspec " + r).orElse("unknown") + "); use rebase"));
    try {
      return normalize(OstreeImageReference.parse(ref));
    } catch (InvalidReferenceException e) {
      throw new DeployException("upgrading " + os + ": the origin of " + d.dirName()
          + " has an invalid image reference: " + e.getMessage(), e);
    }
  }

  private static Optional<Deployment> current(Sysroot s, String os) {
    return s.bootedDeployment().filter(d -> d.stateroot().equals(os))
        .or(() -> s.defaultDeployment(os));
  }

  private UpdateResult update(OstreeImageReference target, Mode mode, boolean rebase,
      ContainerStore.FetchedImage prefetched) throws IOException {
    Sysroot s = Sysroot.open(sysrootDir);
    String os = s.stateroot(stateroot);
    Optional<Deployment> current = current(s, os);
    ImageReference img = target.imageReference();
    ContainerStore.FetchedImage fetched = prefetched;
    if (fetched == null) {
      try {
        // the signature checks of the reference come first (ostree-image-signed: and the policy)
        fetched = ContainerStore.fetchManifest(target, transport, messages);
      } catch (SignatureVerificationException e) {
        throw e;
      } catch (IOException e) {
        throw new PreflightException("reading the manifest of " + img + ": " + reason(e), e);
      }
    }
    String digest = fetched.manifestResponse().digest().toString();
    boolean deployed = current.isPresent()
        && current.get().imageDigest().equals(Optional.of(digest))
        && (!rebase || sameImage(current.get(), target));
    if (mode == Mode.CHECK) {
      messages.accept(deployed ? "No update available." : "Update available: " + target + " " + digest);
      return new UpdateResult(deployed ? UpdateResult.Outcome.NO_UPDATE
          : UpdateResult.Outcome.UPDATE_AVAILABLE, target.toString(), digest, Optional.empty(), 0, 0,
          Optional.empty());
    }
    if (deployed) {
      messages.accept(rebase ? "No changes: " + target + " (" + digest + ") is already deployed."
          : "No update available.");
      new Deployer(s).cleanup();
      return new UpdateResult(UpdateResult.Outcome.NO_UPDATE, target.toString(), digest,
          Optional.empty(), 0, 0, Optional.empty());
    }
    Preflight.checkBootable(fetched);
    Preflight.checkArchitecture(fetched, platform);
    try (Closeable lock = s.lock()) {
      Sysroot locked = s.reload();
      SysrootCleaner.clean(locked);
      OstreeRepo repo = locked.repo();
      Preflight.checkSpace(fetched, repo, sysrootDir);
      Map<String, Checksum> before = containerRefs(repo);
      ContainerStore.PullResult pulled;
      try {
        // exactly the manifest checked above, not fetched again: the tag may have moved since;
        // for ostree-remote-image: the commit's GPG signatures are checked before any import
        pulled = new ContainerStore(repo).messages(messages).pull(fetched, target, transport);
      } catch (SignatureVerificationException e) {
        throw e;
      } catch (IOException e) {
        throw new DeployException("pulling " + img + ": " + reason(e), e);
      }
      try {
        Preflight.checkKernel(repo, pulled.mergeCommit(), img.toString());
      } catch (PreflightException e) {
        restoreRefs(repo, before);
        throw e;
      }
      if (!pulled.alreadyPresent()) {
        messages.accept("Fetched " + pulled.layersFetched() + " layers ("
            + ByteSizes.human(pulled.bytesFetched()) + ")");
      }
      if (mode == Mode.DOWNLOAD) {
        messages.accept("Downloaded " + target + " " + pulled.manifestDigest()
            + "; run upgrade to deploy it.");
        return new UpdateResult(UpdateResult.Outcome.DOWNLOADED, target.toString(),
            pulled.manifestDigest().toString(), Optional.empty(), pulled.layersFetched(),
            pulled.bytesFetched(), Optional.empty());
      }
      DeployResult dr = new Deployer(locked).messages(messages).deployLocked(
          DeployRequest.builder(os, pulled.mergeCommit()).origin(Origins.forImage(target)).build());
      CleanupResult cr = cleanupLocked(locked.reload());
      return new UpdateResult(UpdateResult.Outcome.DEPLOYED, target.toString(),
          pulled.manifestDigest().toString(), Optional.of(dr), pulled.layersFetched(),
          pulled.bytesFetched(), Optional.of(cr));
    }
  }

  private CleanupResult cleanupLocked(Sysroot s) throws IOException {
    List<String> deployments = SysrootCleaner.clean(s);
    OstreeRepo repo = s.repo();
    ContainerStore store = new ContainerStore(repo);
    Set<Checksum> deployedCommits = new HashSet<>();
    Set<ImageReference> tracked = new HashSet<>();
    for (Deployment d : s.deployments()) {
      deployedCommits.add(d.commit());
      d.imageReference().ifPresent(r -> {
        try {
          tracked.add(OstreeImageReference.parse(r).imageReference());
        } catch (InvalidReferenceException e) {
          // an origin we cannot parse protects nothing
        }
      });
    }
    List<String> images = new ArrayList<>();
    for (String r : store.list()) {
      Optional<ContainerStore.StoredImage> si = store.query(r);
      boolean keep = si.isPresent() && deployedCommits.contains(si.get().mergeCommit());
      if (!keep) {
        try {
          keep = tracked.contains(ImageReference.parse(r));
        } catch (InvalidReferenceException e) {
          keep = false;
        }
      }
      if (!keep) {
        store.remove(r);
        images.add(r);
      }
    }
    List<String> layers = store.pruneLayers();
    Prune.Result pr = new Prune(repo).refsOnly(true).depth(0).run();
    if (pr.prunedObjects() > 0 || !images.isEmpty()) {
      messages.accept("Freed: " + pr.freedSizeText() + " (pruned " + pr.prunedObjects()
          + " objects, " + images.size() + " images, " + layers.size() + " layers)");
    }
    return new CleanupResult(deployments, images, layers, pr.prunedObjects(), pr.freedBytes());
  }

  /** Whether the deployment's origin names the same image (same verification, same place). */
  private static boolean sameImage(Deployment d, OstreeImageReference target) {
    Optional<String> r = d.imageReference();
    if (r.isEmpty()) {
      return false;
    }
    try {
      return normalize(OstreeImageReference.parse(r.get())).equals(target);
    } catch (IOException | InvalidReferenceException e) {
      return false;
    }
  }

  /**
   * Makes the paths of {@code oci:} and {@code oci-archive:} references absolute, so that the
   * origin works from any directory.
   */
  static OstreeImageReference normalize(OstreeImageReference ref) throws IOException {
    ImageReference img = ref.imageReference();
    if ((img.transport() == ImageReference.Transport.OCI
        || img.transport() == ImageReference.Transport.OCI_ARCHIVE) && !img.path().isAbsolute()) {
      String abs = img.path().toAbsolutePath().normalize().toString();
      try {
        img = ImageReference.parse(img.transport().prefix() + abs
            + img.tag().map(t -> ":" + t).orElse(""));
      } catch (InvalidReferenceException e) {
        throw new DeployException(ref + ": " + e.getMessage(), e);
      }
      return OstreeImageReference.of(ref.signatureSource(), ref.remote().orElse(null), img);
    }
    return ref;
  }

  private static Map<String, Checksum> containerRefs(OstreeRepo repo) throws IOException {
    Map<String, Checksum> out = new TreeMap<>();
    for (Map.Entry<String, Checksum> e : repo.refs().list().entrySet()) {
      if (e.getKey().startsWith(ContainerRefs.LAYER_PREFIX)
          || e.getKey().startsWith(ContainerRefs.IMAGE_PREFIX)) {
        out.put(e.getKey(), e.getValue());
      }
    }
    return out;
  }

  /** Puts the container refs back as they were before a refused pull. */
  private static void restoreRefs(OstreeRepo repo, Map<String, Checksum> before) throws IOException {
    Map<String, Checksum> now = containerRefs(repo);
    for (Map.Entry<String, Checksum> e : now.entrySet()) {
      Checksum was = before.get(e.getKey());
      if (was == null) {
        repo.refs().delete(e.getKey());
      } else if (!was.equals(e.getValue())) {
        repo.refs().set(e.getKey(), was);
      }
    }
  }

  private static String reason(IOException e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.replace('\n', ' ');
  }
}
