package io.github.ostree4j.build.internal;

import io.github.ostree4j.oci.BlobInfo;
import io.github.ostree4j.oci.Compression;
import io.github.ostree4j.oci.Descriptor;
import io.github.ostree4j.oci.DigestingOutputStream;
import io.github.ostree4j.oci.OciLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Compresses captured layer tars into the storage root's blob store, streaming: gzip or zstd as
 * {@link Compression} writes them (reproducible: same tar, same blob).
 */
public final class LayerBlobs {

  private final OciLayout store;
  private final Path tmpDir;

  /**
   * @param store the blob store
   * @param tmpDir a directory on the same filesystem for files being written
   */
  public LayerBlobs(OciLayout store, Path tmpDir) {
    this.store = store;
    this.tmpDir = tmpDir;
  }

  /** @return the blob store */
  public OciLayout store() {
    return store;
  }

  /**
   * Compresses a tar into the store.
   *
   * @param tar the uncompressed layer
   * @param c the compression
   * @return the blob's descriptor, with the OCI media type of {@code c}
   * @throws IOException when reading or writing fails
   */
  public Descriptor compress(Path tar, Compression c) throws IOException {
    Files.createDirectories(tmpDir);
    Path tmp = Files.createTempFile(tmpDir, "blob-", ".tmp");
    try {
      DigestingOutputStream digesting = new DigestingOutputStream(Files.newOutputStream(tmp));
      try (OutputStream z = c.compress(digesting);
          InputStream in = Files.newInputStream(tar)) {
        in.transferTo(z);
      }
      BlobInfo info = digesting.result();
      store.adoptBlob(tmp, info.digest(), info.size());
      return Descriptor.of(c.ociLayerMediaType(), info.digest(), info.size());
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
