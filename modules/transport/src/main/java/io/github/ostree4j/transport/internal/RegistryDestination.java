package io.github.ostree4j.transport.internal;

import io.github.ostree4j.oci.Digest;
import io.github.ostree4j.transport.ImageDestination;
import io.github.ostree4j.transport.ImageReference;
import io.github.ostree4j.transport.ImageSource;
import io.github.ostree4j.transport.RegistryClient;
import io.github.ostree4j.transport.StreamSupplier;
import java.io.IOException;
import java.util.Optional;
import java.util.function.LongConsumer;

/** Writes an image to a registry ({@code docker://}); the tag is pushed last. */
public final class RegistryDestination implements ImageDestination {

  private final ImageReference ref;
  private final RegistryClient client;

  /**
   * Creates the destination.
   *
   * @param ref a registry reference
   * @param client a client for its registry; closed with this destination
   */
  public RegistryDestination(ImageReference ref, RegistryClient client) {
    this.ref = ref;
    this.client = client;
  }

  @Override
  public ImageReference reference() {
    return ref;
  }

  @Override
  public boolean hasBlob(Digest digest, long size) throws IOException {
    Optional<Long> s = client.blobExists(ref.repository(), digest);
    return s.isPresent() && (size < 0 || s.get() == size);
  }

  @Override
  public boolean tryMount(Digest digest, long size, ImageSource.RegistryLocation from)
      throws IOException {
    if (!from.registry().equals(ref.registry()) || from.repository().equals(ref.repository())) {
      return false;
    }
    return client.mountBlob(ref.repository(), digest, from.repository());
  }

  @Override
  public void putBlob(Digest digest, long size, StreamSupplier content, LongConsumer progress)
      throws IOException {
    client.pushBlob(ref.repository(), digest, size, content, null, progress);
  }

  @Override
  public Digest putManifest(byte[] manifest, String mediaType, boolean tagged)
      throws IOException {
    String target = tagged ? ref.tagOrDigest() : Digest.sha256(manifest).toString();
    return client.pushManifest(ref.repository(), target, manifest, mediaType);
  }

  @Override
  public Digest putTaggedManifest(byte[] manifest, String mediaType, String tag)
      throws IOException {
    return client.pushManifest(ref.repository(), tag, manifest, mediaType);
  }

  @Override
  public void close() {
    client.close();
  }
}
