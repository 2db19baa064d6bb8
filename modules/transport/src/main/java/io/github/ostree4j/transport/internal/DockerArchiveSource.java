package io.github.ostree4j.transport.internal;

import io.github.ostree4j.oci.Descriptor;
import io.github.ostree4j.oci.Digest;
import io.github.ostree4j.oci.DockerArchive;
import io.github.ostree4j.oci.ImageManifest;
import io.github.ostree4j.oci.ImageNotFoundException;
import io.github.ostree4j.transport.ImageReference;
import io.github.ostree4j.transport.ImageSource;
import io.github.ostree4j.transport.ManifestResponse;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads an image from a {@code docker save} archive ({@code docker-archive:FILE[:NAME:TAG]}) with
 * the manifest skopeo synthesizes for it; layers come uncompressed.
 */
public final class DockerArchiveSource implements ImageSource {

  private final ImageReference ref;
  private final DockerArchive archive;
  private final DockerArchive.Image image;

  /**
   * Opens the archive.
   *
   * @param ref a {@code docker-archive:} reference
   * @param tempDir where a compressed archive is decompressed, or null
   * @throws IOException when the archive cannot be read or has no such image
   */
  public DockerArchiveSource(ImageReference ref, java.nio.file.Path tempDir) throws IOException {
    this.ref = ref;
    this.archive = DockerArchive.open(ref.path(), tempDir);
    try {
      String name = ref.hasDockerName()
          ? ref.registry() + "/" + ref.repository() + ":" + ref.tag().orElse("latest") : null;
      this.image = archive.image(name);
    } catch (IOException | RuntimeException e) {
      archive.close();
      throw e;
    }
  }

  @Override
  public ImageReference reference() {
    return ref;
  }

  @Override
  public ManifestResponse manifest() throws IOException {
    ImageManifest m = image.manifest();
    return new ManifestResponse(m.bytes(), m.mediaType(), m.digest());
  }

  @Override
  public ManifestResponse manifest(Digest digest) throws IOException {
    ManifestResponse m = manifest();
    if (!m.digest().equals(digest)) {
      throw new ImageNotFoundException("no manifest " + digest + " in " + archive);
    }
    return m;
  }

  @Override
  public InputStream openBlob(Descriptor blob) throws IOException {
    return image.openBlob(blob.digest());
  }

  @Override
  public boolean layersUncompressed() {
    return true;
  }

  @Override
  public void close() throws IOException {
    archive.close();
  }
}
