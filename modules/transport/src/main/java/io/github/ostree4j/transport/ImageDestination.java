package io.github.ostree4j.transport;

import io.github.ostree4j.oci.Digest;
import java.io.Closeable;
import java.io.IOException;
import java.util.function.LongConsumer;

/**
 * Where an image is written, in the containers-image style: blobs first ({@link #hasBlob}, {@link
 * #tryMount}, {@link #putBlob}), then manifests, the one the reference names ("tagged") last,
 * then {@link #commit()}. Until the tagged manifest is written nothing under the destination's
 * name changes, so a failed copy never leaves a tag pointing at a partial image. One
 * implementation per transport; get one from {@link ImageTransports#openDestination(
 * ImageReference, TransportOptions)}. {@link #hasBlob}, {@link #tryMount} and {@link #putBlob} may
 * be called concurrently. Close the destination to release connections and temporary files;
 * closing without {@link #commit()} abandons file destinations ({@code oci-archive:}, {@code
 * docker-archive:}) without touching the target file.
 */
public interface ImageDestination extends Closeable {

  /**
   * The image this destination writes.
   *
   * @return the reference it was opened for
   */
  ImageReference reference();

  /**
   * Whether this destination can store Docker schema 2 manifests and manifest lists as they are.
   * Registries and {@code docker-archive:} can; OCI layouts cannot, since skopeo 1.9 ignores
   * index entries that are not OCI manifests or indexes (and itself converts when writing
   * layouts). A copier converts to OCI only for a destination that cannot; the config bytes are
   * kept, so the image ID and diff IDs stay the same.
   *
   * @return true when Docker manifests are stored unchanged
   */
  default boolean supportsDockerManifests() {
    return true;
  }

  /**
   * Whether this destination can store an index (manifest list) with several images.
   *
   * @return false for {@code docker-archive:}
   */
  default boolean supportsIndex() {
    return true;
  }

  /**
   * Whether layers should be stored compressed; a copier compresses uncompressed source layers
   * (from {@code docker-archive:}) for such destinations.
   *
   * @return false for {@code docker-archive:}, which stores uncompressed layers
   */
  default boolean wantsCompressedLayers() {
    return true;
  }

  /**
   * Whether the blob is present already.
   *
   * @param digest the digest
   * @param size the size, or -1 when unknown
   * @return true when nothing needs to be written for it
   * @throws IOException when the check fails
   */
  boolean hasBlob(Digest digest, long size) throws IOException;

  /**
   * Tries to get a blob without copying its bytes: a cross-repository mount within one registry.
   *
   * @param digest the digest
   * @param size the size
   * @param from where the source image lives
   * @return true when the blob is now present; false when it has to be written with {@link
   *     #putBlob}
   * @throws IOException when the attempt fails for a reason other than "not possible"
   */
  default boolean tryMount(Digest digest, long size, ImageSource.RegistryLocation from)
      throws IOException {
    return false;
  }

  /**
   * Writes a blob, verifying its digest and size while it streams; content that does not match
   * is not kept, and the failure names the digest. Transient failures are retried from a fresh
   * stream of {@code content}.
   *
   * @param digest the digest the content must have
   * @param size the size the content must have
   * @param content opens the content; may be called again for a retry
   * @param progress receives the number of bytes written so far in the current attempt
   * @throws IOException when writing fails or the content does not match
   */
  void putBlob(Digest digest, long size, StreamSupplier content, LongConsumer progress)
      throws IOException;

  /**
   * Stores a blob from a local file written by the caller, who computed its digest and size while
   * writing it. A destination on the same filesystem may take the file over (rename) instead of
   * copying it; the file is gone or unchanged afterwards, the caller deletes what is left.
   *
   * @param digest the blob's digest
   * @param size its size
   * @param file the file
   * @param progress as for {@link #putBlob}
   * @throws IOException when storing fails
   */
  default void putBlobFile(Digest digest, long size, java.nio.file.Path file, LongConsumer progress)
      throws IOException {
    putBlob(digest, size, () -> java.nio.file.Files.newInputStream(file), progress);
  }

  /**
   * A directory on the destination's filesystem where a caller may stage blob files for {@link
   * #putBlobFile}, so that they can be renamed into place.
   *
   * @return the directory, or empty when the destination is not a local directory
   */
  default java.util.Optional<java.nio.file.Path> stagingDirectory() {
    return java.util.Optional.empty();
  }

  /**
   * Writes a manifest or index exactly as given.
   *
   * @param manifest the bytes
   * @param mediaType their media type
   * @param tagged true for the manifest the destination reference names (written last, under the
   *     reference's tag); false for a manifest only referenced by digest (an index entry)
   * @return the manifest digest
   * @throws IOException when writing fails
   */
  Digest putManifest(byte[] manifest, String mediaType, boolean tagged) throws IOException;

  /**
   * Writes a manifest under a tag of its own in the same repository or layout, leaving the
   * reference's tag alone: how signature attachments ({@code sha256-<hex>.sig}) are stored. The
   * blobs it names must have been written with {@link #putBlob} first.
   *
   * @param manifest the bytes
   * @param mediaType their media type
   * @param tag the tag (registry) or {@code org.opencontainers.image.ref.name} (OCI layout)
   * @return the manifest digest
   * @throws IOException when writing fails, or the transport cannot store other tags ({@code
   *     oci-archive:}, {@code docker-archive:})
   */
  default Digest putTaggedManifest(byte[] manifest, String mediaType, String tag)
      throws IOException {
    throw new IOException("writing " + tag + " to " + reference() + ": the "
        + reference().transport().prefix() + " transport cannot store other tags");
  }

  /**
   * Finishes the image: file transports write their archive here (to a temporary file renamed
   * over the target). Call once, after the tagged manifest.
   *
   * @throws IOException when finishing fails; the target is then unchanged
   */
  default void commit() throws IOException {}
}
