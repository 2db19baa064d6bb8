package io.github.ostree4j.container.internal;

import io.github.ostree4j.oci.BlobVerificationException;
import io.github.ostree4j.oci.Compression;
import io.github.ostree4j.oci.Descriptor;
import io.github.ostree4j.oci.Digest;
import io.github.ostree4j.oci.VerifyingInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A layer blob opened for import: decompressed by its media type, with the compressed digest and
 * size and the uncompressed diff ID checked at the end. Call {@link #finish()} after the importer
 * has read what it needs: it reads the rest (tar padding), checks both digests and only then may
 * anything refer to what was imported. The importer must not close the stream itself.
 */
public final class LayerStream implements AutoCloseable {

  private final Descriptor layer;
  private final VerifyingInputStream compressed;
  private final VerifyingInputStream plain;
  private final InputStream exposed;

  /**
   * Opens a layer.
   *
   * @param raw the blob as the source serves it
   * @param layer the layer descriptor
   * @param diffId the diff ID from the image config
   * @param uncompressed whether the source serves layers uncompressed whatever the media type
   * @throws IOException when the compression header is invalid or the media type is unknown
   */
  public LayerStream(InputStream raw, Descriptor layer, Digest diffId, boolean uncompressed)
      throws IOException {
    this.layer = layer;
    this.compressed = new VerifyingInputStream(raw, layer);
    Compression c = uncompressed ? Compression.NONE : Compression.forMediaType(layer.mediaType());
    InputStream decompressed = c.decompress(compressed);
    this.plain = new VerifyingInputStream(decompressed, diffId, -1);
    this.exposed = new FilterInputStream(new EndOfArchiveInputStream(plain)) {
      @Override
      public void close() {
        // finish() and close() of the LayerStream decide
      }
    };
  }

  /** The uncompressed tar stream. */
  public InputStream tar() {
    return exposed;
  }

  /**
   * Reads what is left and checks the compressed digest and size and the diff ID.
   *
   * @throws BlobVerificationException when the content does not match
   * @throws IOException when reading fails
   */
  public void finish() throws IOException {
    byte[] buf = new byte[65536];
    while (plain.read(buf) >= 0) {
      // drain
    }
    plain.verify();
    while (compressed.read(buf) >= 0) {
      // trailing bytes after the end of the compressed stream
    }
    compressed.verify();
  }

  /** The layer. */
  public Descriptor layer() {
    return layer;
  }

  @Override
  public void close() throws IOException {
    compressed.close();
  }
}
