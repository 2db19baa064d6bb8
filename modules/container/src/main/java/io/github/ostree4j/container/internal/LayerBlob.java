package io.github.ostree4j.container.internal;

import io.github.ostree4j.oci.Digest;
import java.nio.file.Path;

/**
 * A layer written to a file: its compressed digest and size, and the digest of the uncompressed
 * tar (the diff ID).
 */
public record LayerBlob(Path file, Digest digest, long size, Digest diffId) {}
