package io.github.ostree4j.oci;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** Builds small images and hostile tars for tests. */
final class TestImages {

  static final Platform AMD64 = new Platform("linux", "amd64", null);

  private TestImages() {}

  /** A layer tar: directories for names ending in '/', symlinks for values starting with "->", files otherwise. */
  static byte[] layerTar(Map<String, String> entries) throws IOException {
    ByteArrayOutputStream bo = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bo, "UTF-8")) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Map.Entry<String, String> e : entries.entrySet()) {
        TarArchiveEntry te;
        if (e.getKey().endsWith("/")) {
          te = new TarArchiveEntry(e.getKey(), TarConstants.LF_DIR);
          te.setMode(040755);
        } else if (e.getValue().startsWith("->")) {
          te = new TarArchiveEntry(e.getKey(), TarConstants.LF_SYMLINK);
          te.setLinkName(e.getValue().substring(2));
          te.setMode(0120777);
        } else {
          te = new TarArchiveEntry(e.getKey(), TarConstants.LF_NORMAL);
          te.setMode(0100644);
          te.setSize(e.getValue().getBytes(StandardCharsets.UTF_8).length);
        }
        te.setModTime(FileTime.fromMillis(1_000_000_000_000L));
        te.setUserName("");
        te.setGroupName("");
        tar.putArchiveEntry(te);
        if (te.isFile() && !te.isSymbolicLink()) {
          tar.write(e.getValue().getBytes(StandardCharsets.UTF_8));
        }
        tar.closeArchiveEntry();
      }
    }
    return bo.toByteArray();
  }

  static byte[] compress(byte[] data, Compression c) throws IOException {
    ByteArrayOutputStream bo = new ByteArrayOutputStream();
    try (OutputStream out = c.compress(bo)) {
      out.write(data);
    }
    return bo.toByteArray();
  }

  /** Writes an image with the given uncompressed layer tars into the layout and tags it. */
  static ImageManifest writeImage(OciLayout layout, String tag, Compression c, List<byte[]> layerTars)
      throws IOException {
    ImageConfig.Builder cb = ImageConfig.builder(AMD64).created("1970-01-01T00:00:00Z")
        .cmd(List.of("/bin/sh")).env(List.of("PATH=/usr/bin:/bin"));
    ImageManifest.Builder mb = ImageManifest.builder();
    for (byte[] t : layerTars) {
      byte[] blob = compress(t, c);
      BlobInfo info = layout.writeBlob(blob);
      cb.addDiffId(Digest.sha256(t));
      cb.addHistory("1970-01-01T00:00:00Z", "test layer", null, false);
      mb.addLayer(info.toDescriptor(c.ociLayerMediaType()));
    }
    ImageConfig config = cb.build();
    mb.config(layout.writeBlob(config.bytes()).toDescriptor(MediaTypes.OCI_CONFIG));
    mb.annotation("org.opencontainers.image.title", "test");
    ImageManifest m = mb.build();
    layout.writeManifest(m, tag);
    return m;
  }

  static ImageManifest writeSimpleImage(OciLayout layout, String tag, Compression c) throws IOException {
    return writeImage(layout, tag, c, List.of(
        layerTar(entries(
            "etc/", "", "etc/hello", "hello world\n", "usr/", "", "usr/bin/", "",
            "usr/bin/tool", "#!/bin/sh\necho tool\n")),
        layerTar(entries(
            "etc/", "", "etc/.wh.hello", "", "etc/motd", "second layer\n", "etc/link", "->motd"))));
  }

  /** An ordered map from alternating keys and values. */
  static Map<String, String> entries(String... kv) {
    Map<String, String> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  /** A raw tar with one entry of the given type (hostile archives). */
  static void rawTar(Path file, List<TarArchiveEntry> entries, List<byte[]> contents) throws IOException {
    try (OutputStream os = Files.newOutputStream(file);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(os, "UTF-8")) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (int i = 0; i < entries.size(); i++) {
        TarArchiveEntry e = entries.get(i);
        byte[] c = contents.get(i);
        if (c != null) {
          e.setSize(c.length);
        }
        tar.putArchiveEntry(e);
        if (c != null) {
          tar.write(c);
        }
        tar.closeArchiveEntry();
      }
    }
  }

  static TarArchiveEntry fileEntry(String name) {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_NORMAL, true);
    e.setMode(0100644);
    return e;
  }

  static TarArchiveEntry dirEntry(String name) {
    return new TarArchiveEntry(name, TarConstants.LF_DIR, true);
  }

  static TarArchiveEntry linkEntry(String name, String target, byte type) {
    TarArchiveEntry e = new TarArchiveEntry(name, type, true);
    e.setLinkName(target);
    return e;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
