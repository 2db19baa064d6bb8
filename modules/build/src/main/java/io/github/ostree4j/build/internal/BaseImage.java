package io.github.ostree4j.build.internal;

import io.github.ostree4j.oci.Digest;
import io.github.ostree4j.oci.ImageConfig;
import io.github.ostree4j.oci.ImageManifest;
import io.github.ostree4j.transport.ImageReference;
import java.nio.file.Path;

/**
 * A base image ready for building: the reference it was pulled from, its manifest (digest and
 * layers, whose blobs are copied into the built image unchanged), its config, and its root
 * filesystem in the container view (a hardlink checkout, never modified).
 *
 * @param reference where it was pulled from
 * @param manifestDigest the manifest digest
 * @param manifest the manifest
 * @param config the config
 * @param rootfs the root filesystem
 * @param ostree whether it is an ostree container image
 */
public record BaseImage(ImageReference reference, Digest manifestDigest, ImageManifest manifest,
    ImageConfig config, Path rootfs, boolean ostree) {}
