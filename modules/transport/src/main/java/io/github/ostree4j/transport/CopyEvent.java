package io.github.ostree4j.transport;

import io.github.ostree4j.oci.Digest;

/**
 * Progress of an {@link ImageCopier} copy.
 *
 * @param kind what happened
 * @param digest the blob's digest (as in the source manifest), or the manifest digest for {@link
 *     Kind#MANIFEST}
 * @param size the blob's size in bytes (as in the source manifest)
 * @param bytes bytes transferred so far for {@link Kind#PROGRESS}; the size for {@link
 *     Kind#DONE}, {@link Kind#SKIPPED} and {@link Kind#MOUNTED}; 0 for {@link Kind#STARTED}
 */
public record CopyEvent(Kind kind, Digest digest, long size, long bytes) {

  /** The kinds of events. */
  public enum Kind {
    /** A blob transfer starts. */
    STARTED,
    /** Bytes of a blob were transferred (reported often; listeners should throttle output). */
    PROGRESS,
    /** The destination had the blob already; nothing was transferred. */
    SKIPPED,
    /** The blob was mounted from another repository of the same registry. */
    MOUNTED,
    /** The blob was transferred and verified. */
    DONE,
    /** The manifest the destination names was written; {@code digest} is its digest. */
    MANIFEST
  }
}
