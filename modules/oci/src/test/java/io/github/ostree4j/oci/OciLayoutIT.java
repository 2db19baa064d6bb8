package io.github.ostree4j.oci;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.ostree4j.testing.SharedTestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OCI layouts against skopeo and umoci, in both directions. */
class OciLayoutIT {

  @TempDir
  Path tmp;

  /** Reads everything an image references and checks every digest. */
  static ImageManifest verifyImage(OciLayout l, String tag) throws IOException {
    Descriptor d = l.findManifest(tag);
    ImageManifest m = l.readManifest(d);
    ImageConfig c = l.readConfig(m.config());
    assertEquals(m.layers().size(), c.diffIds().size());
    for (int i = 0; i < m.layers().size(); i++) {
      Descriptor ld = m.layers().get(i);
      try (VerifyingInputStream raw = l.openBlob(ld);
          VerifyingInputStream tar = new VerifyingInputStream(Compression.forMediaType(ld.mediaType()).decompress(raw),
              c.diffIds().get(i), -1);
          TarArchiveInputStream t = new TarArchiveInputStream(tar)) {
        while (t.getNextEntry() != null) {
          // walk the entries
        }
        tar.verify();
        raw.verify();
      }
    }
    return m;
  }

  @Test
  void ourLayoutPassesSkopeoAndUmoci() throws IOException {
    OciLayout l = OciLayout.create(tmp.resolve("ours"));
    ImageManifest m = TestImages.writeSimpleImage(l, "v1", Compression.GZIP);

    JsonNode info = PeerTools.inspect(PeerTools.oci(l.dir(), "v1"));
    assertEquals(m.digest().toString(), info.get("Digest").asText());
    assertEquals("amd64", info.get("Architecture").asText());
    assertEquals(2, info.get("Layers").size());
    assertArrayEquals(m.bytes(), PeerTools.inspectRaw(PeerTools.oci(l.dir(), "v1")));

    Path copy = tmp.resolve("copy");
    PeerTools.copy(PeerTools.oci(l.dir(), "v1"), PeerTools.oci(copy, "v1"));
    OciLayout c = OciLayout.open(copy);
    assertEquals(m.digest(), c.findManifest("v1").digest(), "skopeo copy keeps the manifest digest");
    verifyImage(c, "v1");

    Path bundle = tmp.resolve("bundle");
    List<String> args = new ArrayList<>(List.of("unpack"));
    args.addAll(PeerTools.rootless());
    args.addAll(List.of("--image", l.dir() + ":v1", bundle.toString()));
    PeerTools.umoci(args.toArray(String[]::new));
    Path rootfs = bundle.resolve("rootfs");
    assertEquals("second layer\n", Files.readString(rootfs.resolve("etc/motd")));
    assertFalse(Files.exists(rootfs.resolve("etc/hello"), LinkOption.NOFOLLOW_LINKS), "whiteout applied");
    assertEquals("motd", Files.readSymbolicLink(rootfs.resolve("etc/link")).toString());
    assertEquals("#!/bin/sh\necho tool\n", Files.readString(rootfs.resolve("usr/bin/tool")));
    assertTrue(Files.isRegularFile(bundle.resolve("config.json")));
  }

  @Test
  void zstdAndUncompressedLayoutsPassSkopeo() throws IOException {
    OciLayout l = OciLayout.create(tmp.resolve("ours"));
    ImageManifest z = TestImages.writeSimpleImage(l, "zstd", Compression.ZSTD);
    ImageManifest n = TestImages.writeSimpleImage(l, "plain", Compression.NONE);
    assertEquals(z.digest().toString(), PeerTools.inspect(PeerTools.oci(l.dir(), "zstd")).get("Digest").asText());
    Path copy = tmp.resolve("copy");
    PeerTools.copy(PeerTools.oci(l.dir(), "zstd"), PeerTools.oci(copy, "zstd"));
    PeerTools.copy(PeerTools.oci(l.dir(), "plain"), PeerTools.oci(copy, "plain"));
    OciLayout c = OciLayout.open(copy);
    assertEquals(z.digest(), c.findManifest("zstd").digest());
    verifyImage(c, "zstd");
    // skopeo compresses uncompressed layers when copying to oci: (containers/image's oci
    // destination asks for compression), so only the diff IDs survive
    assertEquals(n.digest().toString(), PeerTools.inspect(PeerTools.oci(l.dir(), "plain")).get("Digest").asText());
    ImageManifest pc = verifyImage(c, "plain");
    assertEquals(MediaTypes.OCI_LAYER_GZIP, pc.layers().get(0).mediaType());
    assertEquals(l.readConfig(n.config()).diffIds(), c.readConfig(pc.config()).diffIds());
  }

  @Test
  void readsWhatSkopeoWrites() throws IOException {
    Path fixture = SharedTestData.require("ostree-ext-fixtures/exampleos-derive.ociarchive");
    Path dir = tmp.resolve("skopeo");
    PeerTools.copy("oci-archive:" + fixture, PeerTools.oci(dir, "derive"));
    PeerTools.copy("oci-archive:" + SharedTestData.require("ostree-ext-fixtures/exampleos-derive-v2.ociarchive"),
        PeerTools.oci(dir, "derive-v2"));
    OciLayout l = OciLayout.open(dir);
    assertEquals(List.of("derive", "derive-v2"), l.listTags());
    ImageManifest m = verifyImage(l, "derive");
    assertEquals("sha256:7477731ebb732a7fdcf9a46c77967aa49d3519a411a81e713bb1297c87f061e3", m.digest().toString());
    verifyImage(l, "derive-v2");

    // we add a tag; skopeo still reads the layout, and finds our tag
    l.addManifest(l.findManifest("derive"), "alias");
    JsonNode info = PeerTools.inspect(PeerTools.oci(dir, "alias"));
    assertEquals(m.digest().toString(), info.get("Digest").asText());
    // skopeo re-tagging an existing name: our reader still sees one entry per tag
    PeerTools.copy(PeerTools.oci(dir, "derive-v2"), PeerTools.oci(dir, "derive"));
    assertEquals(l.findManifest("derive-v2").digest(), l.findManifest("derive").digest());
    l.gc();
    verifyImage(l, "alias");
  }

  @Test
  void readsWhatUmociWrites() throws IOException {
    Path dir = tmp.resolve("umoci");
    PeerTools.umoci("init", "--layout", dir.toString());
    PeerTools.umoci("new", "--image", dir + ":base");
    // unpack, change, repack (umoci 0.4.7's "insert" writes layer tars without end-of-archive
    // padding, which strict tar readers reject)
    Path bundle = tmp.resolve("bundle");
    List<String> unpack = new ArrayList<>(List.of("unpack"));
    unpack.addAll(PeerTools.rootless());
    unpack.addAll(List.of("--image", dir + ":base", bundle.toString()));
    PeerTools.umoci(unpack.toArray(String[]::new));
    Files.createDirectories(bundle.resolve("rootfs/etc"));
    Files.writeString(bundle.resolve("rootfs/etc/hello"), "hi from umoci\n");
    List<String> repack = new ArrayList<>(List.of("repack"));
    repack.addAll(PeerTools.rootless());
    repack.addAll(List.of("--image", dir + ":base", bundle.toString()));
    PeerTools.umoci(repack.toArray(String[]::new));
    OciLayout l = OciLayout.open(dir);
    ImageManifest m = verifyImage(l, "base");
    assertEquals(1, m.layers().size());
    assertEquals(MediaTypes.OCI_LAYER_GZIP, m.layers().get(0).mediaType());

    // tag it with our code; umoci lists both tags
    l.addManifest(l.findManifest("base"), "copy");
    String tags = PeerTools.umoci("ls", "--layout", dir.toString()).stdout();
    assertEquals(List.of("base", "copy"), tags.lines().sorted().toList());
    assertTrue(l.removeTag("copy"));
    assertEquals(List.of("base"), PeerTools.umoci("ls", "--layout", dir.toString()).stdout().lines().toList());
  }
}
