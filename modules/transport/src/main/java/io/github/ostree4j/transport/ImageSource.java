package io.github.ostree4j.transport;

import io.github.ostree4j.oci.Descriptor;
import io.github.ostree4j.oci.Digest;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Where an image is read from, in the containers-image style: the manifest as exact bytes with
 * its media type, and blobs as streams. One implementation per transport; get one from {@link
 * ImageTransports#openSource(ImageReference, TransportOptions)}. Implementations are thread-safe
 * for concurrent {@link #openBlob} calls. Close the source to release connections and temporary
 * files.
 */
public interface ImageSource extends Closeable {

  /**
   * The image this source reads.
   *
   * @return the reference it was opened for
   */
  ImageReference reference();

  /**
   * The manifest (or index) the reference names, exactly as stored.
   *
   * @return the bytes, media type and digest
   * @throws IOException when it cannot be read or the image does not exist
   */
  ManifestResponse manifest() throws IOException;

  /**
   * Another manifest of the same image, by digest: an entry of the index {@link #manifest()}
   * returned. The bytes are checked against the digest.
   *
   * @param digest the manifest digest
   * @return the bytes, media type and digest
   * @throws IOException when it cannot be read or does not match the digest
   */
  ManifestResponse manifest(Digest digest) throws IOException;

  /**
   * Opens a blob (a layer or a config) as a stream. The stream may or may not verify the content;
   * callers that need certainty wrap it in {@link io.github.ostree4j.oci.VerifyingInputStream}.
   *
   * @param blob the blob's descriptor from a manifest of this source
   * @return the content; the caller closes it
   * @throws IOException when the blob is missing or cannot be read
   */
  InputStream openBlob(Descriptor blob) throws IOException;

  /**
   * Whether the layers this source serves are uncompressed tars even when their media types say
   * otherwise. True for {@code docker-archive:}, whose synthesized manifest names uncompressed
   * layers with the gzip media type, as skopeo presents them; a copy to another transport then
   * compresses them.
   *
   * @return whether layers come uncompressed
   */
  default boolean layersUncompressed() {
    return false;
  }

  /**
   * The registry repository this source reads from, for cross-repository mounts.
   *
   * @return {@code HOST[:PORT]} and repository of a registry source; empty for other transports
   */
  default Optional<RegistryLocation> registryLocation() {
    return Optional.empty();
  }

  /**
   * The tags of the repository this image lives in ({@code GET /v2/REPO/tags/list}), as {@code
   * skopeo inspect} shows them.
   *
   * @return the tags for a registry source; empty for other transports
   * @throws IOException when the registry cannot be asked
   */
  default java.util.List<String> repositoryTags() throws IOException {
    return java.util.List.of();
  }

  /**
   * A manifest stored under another tag of the same repository or layout, such as a signature
   * attachment ({@code sha256-<hex>.sig}). Its bytes are checked against the registry's {@code
   * Docker-Content-Digest} header when there is one; callers verify what they rely on.
   *
   * @param tag the tag (registry) or {@code org.opencontainers.image.ref.name} (OCI layout)
   * @return the manifest, or empty when there is no such tag (and for transports without tags)
   * @throws IOException when the registry or layout cannot be read
   */
  default Optional<ManifestResponse> taggedManifest(String tag) throws IOException {
    return Optional.empty();
  }

  /**
   * A repository in a registry.
   *
   * @param registry {@code HOST[:PORT]}
   * @param repository the repository path
   */
  record RegistryLocation(String registry, String repository) {}
}
