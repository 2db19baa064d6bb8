package io.github.ostree4j.transport;

import io.github.ostree4j.oci.Descriptor;
import io.github.ostree4j.oci.Digest;
import io.github.ostree4j.oci.ImageConfig;
import io.github.ostree4j.oci.ImageManifest;
import io.github.ostree4j.oci.MediaTypes;
import io.github.ostree4j.oci.Platform;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A small OCI image built in memory for registry tests: one gzip tar layer with a few files, a
 * config and a manifest (with an annotation, and keys in a non-alphabetical order, so that any
 * re-serialization would show).
 */
final class TestImage {

  final byte[] layer;
  final Digest diffId;
  final byte[] config;
  final byte[] manifest;
  final String manifestMediaType = MediaTypes.OCI_MANIFEST;

  TestImage(String seed) {
    try {
      byte[] tar = tar(seed);
      this.diffId = Digest.sha256(tar);
      this.layer = gzip(tar);
      ImageConfig cfg = ImageConfig.builder(new Platform("linux", "amd64", null))
          .created("2024-01-01T00:00:00Z")
          .label("org.example.seed", seed)
          .cmd(List.of("/bin/sh"))
          .addDiffId(diffId)
          .addHistory("2024-01-01T00:00:00Z", "ostree4j test " + seed, null, false)
          .build();
      this.config = cfg.bytes();
      ImageManifest m = ImageManifest.builder()
          .config(Descriptor.of(MediaTypes.OCI_CONFIG, Digest.sha256(config), config.length))
          .addLayer(Descriptor.of(MediaTypes.OCI_LAYER_GZIP, Digest.sha256(layer), layer.length))
          .annotation("org.opencontainers.image.title", "ostree4j test image " + seed)
          .annotation("org.example.zz-before-aa", "caf\u00e9")
          .build();
      this.manifest = m.bytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Digest layerDigest() {
    return Digest.sha256(layer);
  }

  Digest configDigest() {
    return Digest.sha256(config);
  }

  Digest manifestDigest() {
    return Digest.sha256(manifest);
  }

  /** Pushes blobs and manifest through our client. */
  Digest push(RegistryClient c, String repository, String tag) throws IOException {
    c.pushBlob(repository, layerDigest(), layer.length, () -> new ByteArrayInputStream(layer),
        null, null);
    c.pushBlob(repository, configDigest(), config.length, () -> new ByteArrayInputStream(config),
        null, null);
    return c.pushManifest(repository, tag, manifest, manifestMediaType);
  }

  /** Writes the image as an OCI image layout directory with one tagged manifest. */
  void writeLayout(Path dir, String tag) throws IOException {
    Path blobs = Files.createDirectories(dir.resolve("blobs/sha256"));
    Files.write(blobs.resolve(layerDigest().hex()), layer);
    Files.write(blobs.resolve(configDigest().hex()), config);
    Files.write(blobs.resolve(manifestDigest().hex()), manifest);
    Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{"
        + "\"mediaType\":\"" + manifestMediaType + "\",\"digest\":\"" + manifestDigest()
        + "\",\"size\":" + manifest.length + ",\"annotations\":{"
        + "\"org.opencontainers.image.ref.name\":\"" + tag + "\"}}]}");
  }

  private static byte[] tar(String seed) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarArchiveOutputStream t = new TarArchiveOutputStream(out)) {
      t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      TarArchiveEntry dir = new TarArchiveEntry("etc/");
      dir.setMode(040755);
      dir.setModTime(0);
      t.putArchiveEntry(dir);
      t.closeArchiveEntry();
      for (String name : List.of("etc/os-release", "etc/seed")) {
        byte[] data = (name.endsWith("seed") ? seed : "NAME=test\nID=ostree4j\n")
            .getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setMode(0100644);
        e.setModTime(0);
        e.setSize(data.length);
        t.putArchiveEntry(e);
        t.write(data);
        t.closeArchiveEntry();
      }
      t.finish();
    }
    return out.toByteArray();
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }
}
