package io.github.ostree4j.transport.internal;

import io.github.ostree4j.oci.Descriptor;
import io.github.ostree4j.oci.Digest;
import io.github.ostree4j.oci.OciLayout;
import io.github.ostree4j.transport.ImageReference;
import io.github.ostree4j.transport.ImageSource;
import io.github.ostree4j.transport.ManifestResponse;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads an image from an OCI image layout ({@code oci:DIR[:TAG]}), or from one extracted from an
 * {@code oci-archive:} file into a temporary directory that {@link #close()} deletes.
 */
public final class LayoutSource implements ImageSource {

  private final ImageReference ref;
  private final OciLayout layout;
  private final String tag;
  private final TempDir temp;

  /**
   * Creates the source.
   *
   * @param ref the reference
   * @param layout the layout to read
   * @param tag the {@code org.opencontainers.image.ref.name}, or null for the only image
   * @param temp a temporary directory deleted on close, or null
   */
  public LayoutSource(ImageReference ref, OciLayout layout, String tag, TempDir temp) {
    this.ref = ref;
    this.layout = layout;
    this.tag = tag;
    this.temp = temp;
  }

  @Override
  public ImageReference reference() {
    return ref;
  }

  @Override
  public ManifestResponse manifest() throws IOException {
    Descriptor d = layout.findManifest(tag);
    return read(d.digest(), d.mediaType());
  }

  @Override
  public ManifestResponse manifest(Digest digest) throws IOException {
    return read(digest, null);
  }

  private ManifestResponse read(Digest digest, String declared) throws IOException {
    byte[] bytes = layout.readBlobBytes(digest, OciLayout.MAX_DOCUMENT_SIZE);
    return new ManifestResponse(bytes, Manifests.mediaType(declared, bytes), digest);
  }

  @Override
  public java.util.Optional<ManifestResponse> taggedManifest(String tag) throws IOException {
    for (Descriptor d : layout.index().manifests()) {
      if (tag.equals(d.annotations().get(OciLayout.REF_NAME))) {
        return java.util.Optional.of(read(d.digest(), d.mediaType()));
      }
    }
    return java.util.Optional.empty();
  }

  @Override
  public InputStream openBlob(Descriptor blob) throws IOException {
    return layout.openBlob(blob.digest());
  }

  @Override
  public void close() throws IOException {
    if (temp != null) {
      temp.close();
    }
  }
}
