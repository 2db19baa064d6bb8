package io.github.ostree4j.build.internal;

import io.github.ostree4j.container.ContainerStore;
import io.github.ostree4j.container.ImageLayers;
import io.github.ostree4j.oci.OciLayout;
import io.github.ostree4j.ostree.Checkout;
import io.github.ostree4j.ostree.CheckoutOptions;
import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.ostree.OstreeRepo;
import io.github.ostree4j.transport.ImageReference;
import io.github.ostree4j.transport.ImageSource;
import io.github.ostree4j.transport.ImageTransports;
import io.github.ostree4j.transport.InvalidReferenceException;
import io.github.ostree4j.transport.TransportOptions;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Pulls base images into the storage root's repository ({@link ContainerStore#pull}, with content
 * outside {@code /usr} kept) and materializes their root filesystems as hardlink checkouts of the
 * merge commits in the container view ({@link ContainerView}), once per commit. Keeps the sources
 * of the images it resolved open, so that their layer blobs can be copied into the built image.
 */
public final class BaseImages implements Closeable {

  private static final List<String> TRANSPORTS =
      List.of("docker://", "oci:", "oci-archive:", "docker-archive:");

  private final StorageLayout storage;
  private final TransportOptions options;
  private final Consumer<String> messages;
  private final Map<String, BaseImage> resolved = new HashMap<>();
  private final Map<String, ImageSource> sources = new HashMap<>();

  /**
   * @param storage the storage root
   * @param options registry access
   * @param messages receives progress lines
   */
  public BaseImages(StorageLayout storage, TransportOptions options, Consumer<String> messages) {
    this.storage = storage;
    this.options = options;
    this.messages = messages;
  }

  /**
   * The reference an image name in a Containerfile means: a name with a transport prefix as
   * written; a bare name tagged by an earlier build in the storage root's {@code images} layout
   * that image; any other bare name a registry image ({@code docker://}).
   *
   * @param name the name after variable expansion
   * @return the reference
   * @throws InvalidReferenceException when the name is not a valid reference
   */
  public ImageReference referenceFor(String name) throws InvalidReferenceException {
    for (String t : TRANSPORTS) {
      if (name.startsWith(t)) {
        return ImageReference.parse(name);
      }
    }
    Path images = storage.imagesDir();
    if (Files.isRegularFile(images.resolve(OciLayout.INDEX_FILE))) {
      for (String tag : List.of(name, name + ":latest")) {
        try {
          if (OciLayout.open(images).listTags().contains(tag)) {
            return ImageReference.parse("oci:" + images + ":" + tag);
          }
        } catch (IOException | RuntimeException e) {
          break; // not a usable layout: fall back to the registry
        }
      }
    }
    return ImageReference.parse("docker://" + name);
  }

  /**
   * Pulls an image (layers already stored are not fetched again) and returns it with its root
   * filesystem.
   *
   * @param ref the image
   * @return the base image
   * @throws IOException when pulling or checking out fails
   */
  public synchronized BaseImage resolve(ImageReference ref) throws IOException {
    BaseImage b = resolved.get(ref.toString());
    if (b != null) {
      return b;
    }
    OstreeRepo repo = storage.repo();
    ContainerStore store = new ContainerStore(repo).allowNonUsr(true).messages(messages);
    store.pull(ref, options);
    ContainerStore.StoredImage img = store.query(ref.toString()).orElseThrow(
        () -> new IOException("pulling " + ref + ": the image is not in the store afterwards"));
    boolean ostree = ImageLayers.of(img.manifest(), img.config()).isOstreeImage();
    Path rootfs = rootfs(repo, img.mergeCommit(), ostree);
    b = new BaseImage(ref, img.manifestDigest(), img.manifest(), img.config(), rootfs, ostree);
    resolved.put(ref.toString(), b);
    return b;
  }

  /**
   * An open source of a resolved image, for reading its blobs.
   *
   * @param image the image
   * @return the source; closed with this object
   * @throws IOException when it cannot be opened
   */
  public synchronized ImageSource source(BaseImage image) throws IOException {
    ImageSource s = sources.get(image.reference().toString());
    if (s == null) {
      s = ImageTransports.openSource(image.reference(), options);
      sources.put(image.reference().toString(), s);
    }
    return s;
  }

  private Path rootfs(OstreeRepo repo, Checksum merge, boolean ostree) throws IOException {
    Path dir = storage.rootfsDir().resolve(merge.hex() + "." + ContainerView.VERSION);
    if (Files.isDirectory(dir)) {
      return dir;
    }
    Files.createDirectories(storage.rootfsDir());
    Path tmp = storage.rootfsDir().resolve(".tmp-" + merge.hex() + "-" + ProcessHandle.current().pid());
    if (Files.exists(tmp)) {
      Trees.deleteRecursively(tmp);
    }
    messages.accept("Checking out " + merge.hex().substring(0, 12) + " (hard links)");
    boolean user = !storage.rootUser();
    new Checkout(repo).checkout(merge, tmp, CheckoutOptions.builder().userMode(user)
        .requireHardlinks(true).build());
    ContainerView.apply(tmp, ostree);
    Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
    return dir;
  }

  @Override
  public synchronized void close() throws IOException {
    IOException first = null;
    for (ImageSource s : sources.values()) {
      try {
        s.close();
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    sources.clear();
    if (first != null) {
      throw first;
    }
  }
}
