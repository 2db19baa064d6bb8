package io.github.ostree4j.transport.internal;

import io.github.ostree4j.oci.Descriptor;
import io.github.ostree4j.oci.Digest;
import io.github.ostree4j.oci.OciArchive;
import io.github.ostree4j.oci.OciLayout;
import io.github.ostree4j.transport.ImageDestination;
import io.github.ostree4j.transport.ImageReference;
import io.github.ostree4j.transport.StreamSupplier;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.function.LongConsumer;

/**
 * Writes an image into an OCI image layout ({@code oci:DIR[:TAG]}); blobs are verified before
 * they are renamed into place and {@code index.json} changes last. For {@code oci-archive:FILE},
 * the layout is a temporary directory written as an archive to a temporary file renamed over
 * FILE at {@link #commit()}.
 */
public final class LayoutDestination implements ImageDestination {

  private final ImageReference ref;
  private final OciLayout layout;
  private final String tag;
  private final Path archive;
  private final TempDir temp;

  /**
   * Creates the destination.
   *
   * @param ref the reference
   * @param layout the layout to write
   * @param tag the tag for the image, or null for none
   * @param archive the {@code oci-archive:} file to write at commit, or null
   * @param temp a temporary directory deleted on close, or null
   */
  public LayoutDestination(ImageReference ref, OciLayout layout, String tag, Path archive,
      TempDir temp) {
    this.ref = ref;
    this.layout = layout;
    this.tag = tag;
    this.archive = archive;
    this.temp = temp;
  }

  @Override
  public ImageReference reference() {
    return ref;
  }

  /**
   * False: skopeo 1.9 (containers-image) reads only OCI manifests and indexes from a layout's
   * {@code index.json} and converts Docker manifests to OCI when it writes a layout, so this
   * destination asks for the same conversion.
   */
  @Override
  public boolean supportsDockerManifests() {
    return false;
  }

  @Override
  public boolean hasBlob(Digest digest, long size) throws IOException {
    return layout.hasBlob(digest) && (size < 0 || layout.blobSize(digest) == size);
  }

  @Override
  public void putBlob(Digest digest, long size, StreamSupplier content, LongConsumer progress)
      throws IOException {
    try (InputStream in = content.open()) {
      layout.writeBlob(in, digest, size, progress);
    }
  }

  @Override
  public void putBlobFile(Digest digest, long size, Path file, LongConsumer progress)
      throws IOException {
    layout.adoptBlob(file, digest, size);
    progress.accept(size);
  }

  @Override
  public java.util.Optional<Path> stagingDirectory() {
    return java.util.Optional.of(layout.dir());
  }

  @Override
  public Digest putManifest(byte[] manifest, String mediaType, boolean tagged)
      throws IOException {
    Digest d = layout.writeBlob(manifest).digest();
    if (tagged) {
      layout.addManifest(Descriptor.of(mediaType, d, manifest.length), tag);
    }
    return d;
  }

  /** Stores the manifest under its own {@code org.opencontainers.image.ref.name}; only for {@code oci:}. */
  @Override
  public Digest putTaggedManifest(byte[] manifest, String mediaType, String otherTag)
      throws IOException {
    if (archive != null) {
      return ImageDestination.super.putTaggedManifest(manifest, mediaType, otherTag);
    }
    Digest d = layout.writeBlob(manifest).digest();
    layout.addManifest(Descriptor.of(mediaType, d, manifest.length), otherTag);
    return d;
  }

  @Override
  public void commit() throws IOException {
    if (archive != null) {
      OciArchive.write(layout, archive);
    }
  }

  @Override
  public void close() throws IOException {
    if (temp != null) {
      temp.close();
    }
  }
}
