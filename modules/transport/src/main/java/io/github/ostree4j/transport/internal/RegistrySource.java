package io.github.ostree4j.transport.internal;

import io.github.ostree4j.oci.Descriptor;
import io.github.ostree4j.oci.Digest;
import io.github.ostree4j.transport.ImageReference;
import io.github.ostree4j.transport.ImageSource;
import io.github.ostree4j.transport.ManifestResponse;
import io.github.ostree4j.transport.RegistryClient;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/** Reads an image from a registry ({@code docker://}). */
public final class RegistrySource implements ImageSource {

  private final ImageReference ref;
  private final RegistryClient client;

  /**
   * Creates the source.
   *
   * @param ref a registry reference
   * @param client a client for its registry; closed with this source
   */
  public RegistrySource(ImageReference ref, RegistryClient client) {
    this.ref = ref;
    this.client = client;
  }

  @Override
  public ImageReference reference() {
    return ref;
  }

  /**
   * The client this source reads with.
   *
   * @return the client
   */
  public RegistryClient client() {
    return client;
  }

  @Override
  public ManifestResponse manifest() throws IOException {
    return client.getManifest(ref.repository(), ref.tagOrDigest());
  }

  @Override
  public ManifestResponse manifest(Digest digest) throws IOException {
    return client.getManifest(ref.repository(), digest.toString());
  }

  @Override
  public InputStream openBlob(Descriptor blob) throws IOException {
    return client.openBlob(ref.repository(), blob.digest(), blob.size());
  }

  @Override
  public Optional<RegistryLocation> registryLocation() {
    return Optional.of(new RegistryLocation(ref.registry(), ref.repository()));
  }

  @Override
  public Optional<ManifestResponse> taggedManifest(String tag) throws IOException {
    return client.fetchManifest(ref.repository(), tag);
  }

  @Override
  public java.util.List<String> repositoryTags() throws IOException {
    return client.listTags(ref.repository());
  }

  @Override
  public void close() {
    client.close();
  }
}
