/**
 * OCI image format: the model ({@link io.github.ostree4j.oci.Digest},
 * {@link io.github.ostree4j.oci.Descriptor}, {@link io.github.ostree4j.oci.ImageManifest},
 * {@link io.github.ostree4j.oci.ImageIndex}, {@link io.github.ostree4j.oci.ImageConfig}), layer
 * compression and whiteouts, streaming digests, and the three on-disk image formats.
 *
 * <h2>Storage formats</h2>
 *
 * <ul>
 *   <li>{@link io.github.ostree4j.oci.OciLayout}: an image layout directory
 *       ({@code oci:DIR[:TAG]}): {@code oci-layout}, {@code index.json}, {@code blobs/sha256/<hex>}.
 *   <li>{@link io.github.ostree4j.oci.OciArchive}: a tar of such a directory
 *       ({@code oci-archive:FILE[:TAG]}).
 *   <li>{@link io.github.ostree4j.oci.DockerArchive}: the {@code docker save} format
 *       ({@code docker-archive:FILE[:REF]}).
 * </ul>
 *
 * <h2>Integrity</h2>
 *
 * Content is never trusted before it is verified: blobs are streamed through a
 * {@link io.github.ostree4j.oci.VerifyingInputStream}, which fails at the end of the stream with
 * {@link io.github.ostree4j.oci.BlobVerificationException} if the digest or size differs from the
 * descriptor. Writes go to a temporary file that is renamed into place only after verification.
 * Archive entries with absolute names, {@code ..}, links or device nodes are rejected with an
 * {@link io.github.ostree4j.oci.OciFormatException} naming the archive and the entry.
 *
 * <h2>Reproducibility</h2>
 *
 * Archives are written with sorted entries, mtime 0 and owner 0:0; gzip output has a fixed header;
 * zstd output does not depend on the number of worker threads.
 */
package io.github.ostree4j.oci;
