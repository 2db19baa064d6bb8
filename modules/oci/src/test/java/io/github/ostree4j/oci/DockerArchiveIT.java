package io.github.ostree4j.oci;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docker-archive files against skopeo, in both directions. */
class DockerArchiveIT {

  @TempDir
  Path tmp;

  private static void checkLayers(DockerArchive.Image im) throws IOException {
    for (Digest d : im.config().diffIds()) {
      try (InputStream in = im.openBlob(d)) {
        ((VerifyingInputStream) in).verify();
      }
    }
  }

  @Test
  void skopeoReadsOurArchivesWithTheSameManifest() throws IOException {
    OciLayout l = OciLayout.create(tmp.resolve("ours"));
    ImageManifest m = TestImages.writeSimpleImage(l, "v1", Compression.GZIP);
    Path f = tmp.resolve("ours.docker.tar");
    DockerArchive.write(l, "v1", f, List.of("localhost/demo:1"));

    byte[] skopeoManifest = PeerTools.inspectRaw("docker-archive:" + f);
    JsonNode info = PeerTools.inspect("docker-archive:" + f);
    try (DockerArchive da = DockerArchive.open(f)) {
      DockerArchive.Image im = da.image("localhost/demo:1");
      assertArrayEquals(skopeoManifest, im.manifest().bytes(), "our synthesized manifest is skopeo's");
      assertEquals(info.get("Digest").asText(), im.manifest().digest().toString());
      checkLayers(im);
    }

    Path copy = tmp.resolve("copy");
    PeerTools.copy("docker-archive:" + f, PeerTools.oci(copy, "v1"));
    OciLayout c = OciLayout.open(copy);
    ImageManifest cm = OciLayoutIT.verifyImage(c, "v1");
    assertEquals(l.readConfig(m.config()).diffIds(), c.readConfig(cm.config()).diffIds());
  }

  @Test
  void weReadSkopeoArchives() throws IOException {
    OciLayout l = OciLayout.create(tmp.resolve("ours"));
    // skopeo 1.9 cannot put zstd layers into a docker archive
    ImageManifest m = TestImages.writeSimpleImage(l, "v1", Compression.GZIP);
    Path f = tmp.resolve("skopeo.docker.tar");
    PeerTools.copy(PeerTools.oci(l.dir(), "v1"), "docker-archive:" + f + ":localhost/demo:2");
    byte[] skopeoManifest = PeerTools.inspectRaw("docker-archive:" + f);
    try (DockerArchive da = DockerArchive.open(f)) {
      DockerArchive.Image im = da.image("localhost/demo:2");
      assertEquals(List.of("localhost/demo:2"), im.repoTags());
      assertArrayEquals(skopeoManifest, im.manifest().bytes());
      assertEquals(l.readConfig(m.config()).diffIds(), im.config().diffIds());
      checkLayers(im);

      // and back into a layout through our own writer
      OciLayout back = OciLayout.create(tmp.resolve("back"));
      Path again = tmp.resolve("again.docker.tar");
      DockerArchive.write(again, im.manifest(), im, im.repoTags());
      assertArrayEquals(skopeoManifest, PeerTools.inspectRaw("docker-archive:" + again));
      PeerTools.copy("docker-archive:" + again, PeerTools.oci(back.dir(), "v2"));
      OciLayoutIT.verifyImage(back, "v2");
    }
  }
}
