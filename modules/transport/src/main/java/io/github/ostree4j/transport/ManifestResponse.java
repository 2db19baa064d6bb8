package io.github.ostree4j.transport;

import io.github.ostree4j.oci.Descriptor;
import io.github.ostree4j.oci.Digest;
import java.util.Objects;

/**
 * A manifest (or index) exactly as a registry sent it: the bytes, their media type and their
 * digest. The digest is computed over these bytes; nothing is re-serialized.
 */
public final class ManifestResponse {

  private final byte[] bytes;
  private final String mediaType;
  private final Digest digest;

  /**
   * Creates the response.
   *
   * @param bytes the manifest bytes (copied)
   * @param mediaType the media type
   * @param digest the digest of {@code bytes}
   */
  public ManifestResponse(byte[] bytes, String mediaType, Digest digest) {
    this.bytes = bytes.clone();
    this.mediaType = Objects.requireNonNull(mediaType, "mediaType");
    this.digest = Objects.requireNonNull(digest, "digest");
  }

  /**
   * The manifest bytes as received.
   *
   * @return a copy of the bytes
   */
  public byte[] bytes() {
    return bytes.clone();
  }

  /**
   * The media type: the registry's {@code Content-Type}, or the document's {@code mediaType}
   * field when the registry sent a generic type.
   *
   * @return e.g. {@code application/vnd.oci.image.manifest.v1+json}
   */
  public String mediaType() {
    return mediaType;
  }

  /**
   * The digest of the bytes.
   *
   * @return the digest
   */
  public Digest digest() {
    return digest;
  }

  /**
   * The number of bytes.
   *
   * @return the size
   */
  public long size() {
    return bytes.length;
  }

  /**
   * A descriptor pointing at this manifest.
   *
   * @return media type, digest and size
   */
  public Descriptor descriptor() {
    return Descriptor.of(mediaType, digest, bytes.length);
  }

  @Override
  public String toString() {
    return mediaType + " " + digest + " (" + bytes.length + " bytes)";
  }
}
