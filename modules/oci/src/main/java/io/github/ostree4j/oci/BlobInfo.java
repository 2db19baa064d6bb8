package io.github.ostree4j.oci;

import java.util.Objects;

/**
 * The identity of stored or streamed content: its digest and its size in bytes, as computed while
 * the bytes went by.
 *
 * @param digest the content digest
 * @param size the number of bytes
 */
public record BlobInfo(Digest digest, long size) {

  /** Checks the components. */
  public BlobInfo {
    Objects.requireNonNull(digest, "digest");
    if (size < 0) {
      throw new IllegalArgumentException("negative size " + size);
    }
  }

  /** A descriptor of this content with the given media type. */
  public Descriptor toDescriptor(String mediaType) {
    return Descriptor.of(mediaType, digest, size);
  }

  @Override
  public String toString() {
    return digest + " (" + size + " bytes)";
  }
}
