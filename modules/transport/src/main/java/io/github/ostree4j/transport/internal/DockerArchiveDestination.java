package io.github.ostree4j.transport.internal;

import io.github.ostree4j.oci.Digest;
import io.github.ostree4j.oci.DockerArchive;
import io.github.ostree4j.oci.ImageManifest;
import io.github.ostree4j.oci.OciLayout;
import io.github.ostree4j.transport.ImageDestination;
import io.github.ostree4j.transport.ImageReference;
import io.github.ostree4j.transport.StreamSupplier;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Writes one image as a {@code docker save} archive ({@code docker-archive:FILE[:NAME:TAG]}):
 * blobs are collected in a temporary layout, and {@link #commit()} writes the archive (config,
 * uncompressed layers checked against the diff IDs, {@code manifest.json}) to a temporary file
 * renamed over FILE.
 */
public final class DockerArchiveDestination implements ImageDestination {

  private final ImageReference ref;
  private final TempDir temp;
  private final OciLayout staging;
  private ImageManifest manifest;

  /**
   * Creates the destination.
   *
   * @param ref a {@code docker-archive:} reference
   * @param tempDir where the staging directory goes, or null
   * @throws IOException when the staging directory cannot be created
   */
  public DockerArchiveDestination(ImageReference ref, java.nio.file.Path tempDir)
      throws IOException {
    this.ref = ref;
    this.temp = TempDir.create(tempDir, "docker-archive-");
    this.staging = OciLayout.create(temp.path().resolve("layout"));
  }

  @Override
  public ImageReference reference() {
    return ref;
  }

  @Override
  public boolean supportsIndex() {
    return false;
  }

  @Override
  public boolean wantsCompressedLayers() {
    return false;
  }

  @Override
  public boolean hasBlob(Digest digest, long size) throws IOException {
    return staging.hasBlob(digest) && (size < 0 || staging.blobSize(digest) == size);
  }

  @Override
  public void putBlob(Digest digest, long size, StreamSupplier content, LongConsumer progress)
      throws IOException {
    try (InputStream in = content.open()) {
      staging.writeBlob(in, digest, size, progress);
    }
  }

  @Override
  public Digest putManifest(byte[] bytes, String mediaType, boolean tagged) throws IOException {
    if (!tagged) {
      throw new IOException("docker-archive " + ref.path()
          + " can hold only one image; copy a single platform (without --all)");
    }
    manifest = ImageManifest.parse(bytes, mediaType);
    return manifest.digest();
  }

  @Override
  public void commit() throws IOException {
    if (manifest == null) {
      throw new IllegalStateException("commit before putManifest");
    }
    List<String> tags = ref.hasDockerName()
        ? List.of(ref.registry() + "/" + ref.repository() + ":" + ref.tag().orElse("latest"))
        : List.of();
    DockerArchive.write(ref.path(), manifest, staging, tags);
  }

  @Override
  public void close() throws IOException {
    temp.close();
  }
}
