package io.github.ostree4j.build.internal;

import io.github.ostree4j.oci.Descriptor;
import io.github.ostree4j.oci.Digest;
import io.github.ostree4j.oci.MediaTypes;
import io.github.ostree4j.oci.MissingBlobException;
import io.github.ostree4j.transport.ImageReference;
import io.github.ostree4j.transport.ImageSource;
import io.github.ostree4j.transport.ManifestResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The built image as an {@link ImageSource}, so that {@link io.github.ostree4j.transport.ImageCopier}
 * writes it to any destination: the manifest and config from memory, new layers from the storage
 * root's blob store, base layers straight from the base image's source (their original bytes).
 * When all base layers come from one registry, that registry location is offered for
 * cross-repository mounts.
 */
public final class BuiltImageSource implements ImageSource {

  /** Opens a blob. */
  @FunctionalInterface
  interface Opener {
    InputStream open() throws IOException;
  }

  private final ImageReference reference;
  private final ImageAssembler.Assembled image;
  private final Map<Digest, Opener> blobs = new HashMap<>();
  private final RegistryLocation location;

  /**
   * @param reference a name for messages
   * @param image the assembled image
   * @param storeBlobs the blob store of new layers
   * @param bases the base images (their sources are opened on demand)
   * @throws IOException when a base source cannot be opened
   */
  public BuiltImageSource(ImageReference reference, ImageAssembler.Assembled image,
      LayerBlobs storeBlobs, BaseImages bases) throws IOException {
    this.reference = reference;
    this.image = image;
    byte[] config = image.config().bytes();
    blobs.put(image.config().digest(), () -> new ByteArrayInputStream(config));
    RegistryLocation loc = null;
    boolean single = true;
    for (ImageLayer l : image.layers()) {
      if (l instanceof ImageLayer.Base) {
        ImageLayer.Base b = (ImageLayer.Base) l;
        ImageSource src = bases.source(b.image());
        Descriptor original = b.descriptor();
        blobs.putIfAbsent(original.digest(), () -> src.openBlob(original));
        Optional<RegistryLocation> r = src.registryLocation();
        if (r.isEmpty() || loc != null && !loc.equals(r.get())) {
          single = false;
        } else {
          loc = r.get();
        }
      }
    }
    for (Descriptor d : image.manifest().layers()) {
      blobs.putIfAbsent(d.digest(), () -> storeBlobs.store().openBlob(d.digest()));
    }
    this.location = single ? loc : null;
  }

  @Override
  public ImageReference reference() {
    return reference;
  }

  @Override
  public ManifestResponse manifest() {
    return new ManifestResponse(image.manifest().bytes(), MediaTypes.OCI_MANIFEST,
        image.manifest().digest());
  }

  @Override
  public ManifestResponse manifest(Digest digest) throws IOException {
    if (!digest.equals(image.manifest().digest())) {
      throw new MissingBlobException(digest, "the built image");
    }
    return manifest();
  }

  @Override
  public InputStream openBlob(Descriptor blob) throws IOException {
    Opener o = blobs.get(blob.digest());
    if (o == null) {
      throw new MissingBlobException(blob.digest(), "the built image");
    }
    return o.open();
  }

  @Override
  public Optional<RegistryLocation> registryLocation() {
    return Optional.ofNullable(location);
  }

  @Override
  public void close() {
    // base sources are closed by BaseImages
  }
}
