package io.github.ostree4j.build.internal;

import io.github.ostree4j.oci.Digest;
import java.nio.file.Path;

/**
 * A step's changes written as an uncompressed OCI layer tar: its file, diff ID (sha256 of the
 * tar), size and whether it holds no change at all (no entries besides the end records).
 */
public record LayerCapture(Path tar, Digest diffId, long size, boolean empty) {}
