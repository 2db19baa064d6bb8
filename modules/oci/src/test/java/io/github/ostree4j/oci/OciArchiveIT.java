package io.github.ostree4j.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** oci-archive files against skopeo, in both directions. */
class OciArchiveIT {

  @TempDir
  Path tmp;

  @Test
  void skopeoReadsOurArchives() throws IOException {
    OciLayout l = OciLayout.create(tmp.resolve("ours"));
    ImageManifest m = TestImages.writeSimpleImage(l, "v1", Compression.GZIP);
    Path a = tmp.resolve("ours.ociarchive");
    OciArchive.write(l, a);
    assertEquals(m.digest().toString(), PeerTools.inspect("oci-archive:" + a).get("Digest").asText());
    assertEquals(m.digest().toString(), PeerTools.inspect("oci-archive:" + a + ":v1").get("Digest").asText());
    Path copy = tmp.resolve("copy");
    PeerTools.copy("oci-archive:" + a + ":v1", PeerTools.oci(copy, "v1"));
    assertEquals(m.digest(), OciLayout.open(copy).findManifest("v1").digest());
  }

  @Test
  void weReadSkopeoArchives() throws IOException {
    OciLayout l = OciLayout.create(tmp.resolve("ours"));
    ImageManifest m = TestImages.writeSimpleImage(l, "v1", Compression.ZSTD);
    Path a = tmp.resolve("skopeo.ociarchive");
    PeerTools.copy(PeerTools.oci(l.dir(), "v1"), "oci-archive:" + a + ":v1");
    OciLayout x = OciArchive.extract(a, tmp.resolve("x"));
    assertEquals(m.digest(), x.findManifest("v1").digest());
    OciLayoutIT.verifyImage(x, "v1");
  }
}
