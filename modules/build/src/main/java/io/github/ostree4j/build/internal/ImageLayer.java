package io.github.ostree4j.build.internal;

import io.github.ostree4j.oci.Compression;
import io.github.ostree4j.oci.Descriptor;
import io.github.ostree4j.oci.Digest;
import io.github.ostree4j.oci.OciFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A layer of an image being built: one of the base image's, or one a step made. */
public sealed interface ImageLayer {

  /** @return the digest of the uncompressed tar */
  Digest diffId();

  /**
   * A layer of a base image, copied into the built image byte for byte.
   *
   * @param image the base image
   * @param descriptor its descriptor in the base manifest (media type made OCI)
   * @param diffId its diff ID
   */
  record Base(BaseImage image, Descriptor descriptor, Digest diffId) implements ImageLayer {

    /**
     * The layer's descriptor with the OCI media type of its compression (same bytes, same
     * digest), for an OCI manifest.
     *
     * @return the descriptor
     * @throws OciFormatException for a media type that is not a layer type
     */
    public Descriptor ociDescriptor() throws OciFormatException {
      String mt = descriptor.mediaType();
      if (mt != null && mt.startsWith("application/vnd.oci.")) {
        return descriptor;
      }
      return descriptor.withMediaType(Compression.forMediaType(mt).ociLayerMediaType());
    }
  }

  /**
   * A layer made by a step: an uncompressed tar that is compressed into the storage root's blob
   * store when first needed, or a blob from the cache.
   */
  final class New implements ImageLayer {
    private final Digest diffId;
    private Path tar;
    private Descriptor blob;

    /**
     * A captured tar, compressed later.
     *
     * @param diffId its digest
     * @param tar the file (owned by the layer: deleted once compressed)
     */
    public New(Digest diffId, Path tar) {
      this.diffId = diffId;
      this.tar = tar;
    }

    /**
     * A stored blob.
     *
     * @param diffId the digest of the uncompressed tar
     * @param blob the compressed blob in the storage root's blob store
     */
    public New(Digest diffId, Descriptor blob) {
      this.diffId = diffId;
      this.blob = blob;
    }

    @Override
    public Digest diffId() {
      return diffId;
    }

    /**
     * The compressed blob, compressing the tar on first use.
     *
     * @param blobs the blob store
     * @param compression gzip or zstd
     * @return its descriptor
     * @throws IOException when compressing fails
     */
    public synchronized Descriptor blob(LayerBlobs blobs, Compression compression)
        throws IOException {
      if (blob == null) {
        blob = blobs.compress(tar, compression);
        Files.deleteIfExists(tar);
        tar = null;
      }
      return blob;
    }
  }
}
