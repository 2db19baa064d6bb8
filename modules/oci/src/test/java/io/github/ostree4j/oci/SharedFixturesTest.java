package io.github.ostree4j.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ostree4j.testing.SharedTestData;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The genuine ostree-ext archives (2021, encapsulate + buildah) extract, parse and verify. */
class SharedFixturesTest {

  @TempDir
  Path tmp;

  private static Path fixture(String name) {
    return SharedTestData.require("ostree-ext-fixtures/" + name);
  }

  private OciLayout check(String name, String manifestPrefix, String layer1Diff) throws IOException {
    OciLayout l = OciArchive.extract(fixture(name), tmp.resolve(name));
    Descriptor d = l.findManifest(null);
    assertEquals(MediaTypes.OCI_MANIFEST, d.mediaType());
    assertTrue(d.digest().hex().startsWith(manifestPrefix), d.digest().toString());
    ImageManifest m = l.readManifest(d);
    assertEquals("3cb6170b6945065c2475bc16d7bebcc84f96b4c677811a6751e479b89f8c3770",
        m.annotations().get("ostree.commit"));
    assertEquals("42.0", m.annotations().get("ostree.version"));
    ImageConfig c = l.readConfig(m.config());
    assertEquals(TestImages.AMD64, c.platform());
    assertEquals(List.of("/usr/bin/bash"), c.cmd().orElseThrow());
    assertEquals("1.22.3", c.labels().get("io.buildah.version"));
    assertEquals(2, m.layers().size());
    assertEquals("sha256:ee02768e65e6fb2bb7058282338896282910f3560de3e0d6cd9b1d5985e8360d",
        m.layers().get(0).digest().toString());
    assertTrue(c.diffIds().get(0).hex().startsWith("80fc1a6a"));
    assertTrue(c.diffIds().get(1).hex().startsWith(layer1Diff));
    for (int i = 0; i < 2; i++) {
      Descriptor ld = m.layers().get(i);
      assertEquals(Compression.GZIP, Compression.forMediaType(ld.mediaType()));
      try (VerifyingInputStream raw = l.openBlob(ld);
          VerifyingInputStream tar = new VerifyingInputStream(Compression.GZIP.decompress(raw), c.diffIds().get(i), -1);
          TarArchiveInputStream t = new TarArchiveInputStream(tar)) {
        int n = 0;
        for (TarArchiveEntry e = t.getNextEntry(); e != null; e = t.getNextEntry()) {
          n++;
        }
        assertTrue(n > 0);
        tar.verify();
        raw.verify();
      }
    }
    return l;
  }

  @Test
  void derive() throws IOException {
    OciLayout l = check("exampleos-derive.ociarchive", "7477731e", "f8b8660d");
    assertEquals(4, l.listBlobs().size());
    assertEquals(List.of(), l.listTags());
  }

  @Test
  void deriveV2() throws IOException {
    check("exampleos-derive-v2.ociarchive", "3ebd7564", "74877268");
  }

  @Test
  void rewrittenArchiveExtractsToTheSameLayout() throws IOException {
    OciLayout l = OciArchive.extract(fixture("exampleos-derive.ociarchive"), tmp.resolve("a"));
    Path out = tmp.resolve("again.ociarchive");
    OciArchive.write(l, out);
    OciLayout again = OciArchive.extract(out, tmp.resolve("b"));
    assertEquals(l.index().digest(), again.index().digest());
    assertEquals(l.listBlobs(), again.listBlobs());
  }

  static byte[] readAll(InputStream in) throws IOException {
    return in.readAllBytes();
  }
}
