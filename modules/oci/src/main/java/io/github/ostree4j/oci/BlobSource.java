package io.github.ostree4j.oci;

import java.io.IOException;
import java.io.InputStream;

/** Something blobs can be read from by digest: an image layout, an image in a docker archive. */
@FunctionalInterface
public interface BlobSource {

  /**
   * Opens the blob with this digest for streaming. Whether the stream verifies the content is up
   * to the source; wrap it in a {@link VerifyingInputStream} to be sure.
   *
   * @throws MissingBlobException if the source has no such blob
   * @throws IOException if it cannot be read
   */
  InputStream openBlob(Digest digest) throws IOException;
}
