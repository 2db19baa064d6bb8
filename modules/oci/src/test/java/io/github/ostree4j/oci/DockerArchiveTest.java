package io.github.ostree4j.oci;

import static io.github.ostree4j.oci.TestImages.fileEntry;
import static io.github.ostree4j.oci.TestImages.linkEntry;
import static io.github.ostree4j.oci.TestImages.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerArchiveTest {

  @TempDir
  Path tmp;

  private static final byte[] LAYER_A = tar("a.txt", "layer a\n");
  private static final byte[] LAYER_B = tar("b.txt", "layer b\n");

  private static byte[] tar(String name, String content) {
    try {
      return TestImages.layerTar(TestImages.entries(name, content));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] read(InputStream in) throws IOException {
    try (in) {
      return in.readAllBytes();
    }
  }

  @Test
  void writeThenReadBack() throws IOException {
    OciLayout l = OciLayout.create(tmp.resolve("l"));
    ImageManifest m = TestImages.writeImage(l, "t", Compression.ZSTD, List.of(LAYER_A, LAYER_B, LAYER_A));
    Path f = tmp.resolve("img.tar");
    DockerArchive.write(l, "t", f, List.of("docker.io/library/demo:1", "example.org/x/demo:2"));
    Path f2 = tmp.resolve("img2.tar");
    DockerArchive.write(l, null, f2, List.of("docker.io/library/demo:1", "example.org/x/demo:2"));
    assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(f2), "reproducible");

    ImageConfig config = l.readConfig(m.config());
    Digest a = Digest.sha256(LAYER_A);
    Digest b = Digest.sha256(LAYER_B);
    List<String> names = new ArrayList<>();
    try (TarArchiveInputStream t = new TarArchiveInputStream(Files.newInputStream(f))) {
      for (TarArchiveEntry e = t.getNextEntry(); e != null; e = t.getNextEntry()) {
        names.add(e.getName());
        assertEquals(0, e.getModTime().getTime());
      }
    }
    assertEquals(List.of(m.config().digest().hex() + ".json", a.hex() + ".tar", b.hex() + ".tar", "manifest.json"),
        names);

    try (DockerArchive da = DockerArchive.open(f)) {
      assertEquals(1, da.images().size());
      DockerArchive.Image im = da.image(null);
      assertEquals(List.of("docker.io/library/demo:1", "example.org/x/demo:2"), im.repoTags());
      assertArrayEquals(config.bytes(), im.configBytes());
      assertEquals(List.of(a.hex() + ".tar", b.hex() + ".tar", a.hex() + ".tar"), im.layerPaths());
      String expected = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\","
          + "\"config\":{\"mediaType\":\"application/vnd.docker.container.image.v1+json\",\"size\":"
          + config.bytes().length + ",\"digest\":\"" + m.config().digest() + "\"},\"layers\":["
          + "{\"mediaType\":\"application/vnd.docker.image.rootfs.diff.tar.gzip\",\"size\":" + LAYER_A.length
          + ",\"digest\":\"" + a + "\"},"
          + "{\"mediaType\":\"application/vnd.docker.image.rootfs.diff.tar.gzip\",\"size\":" + LAYER_B.length
          + ",\"digest\":\"" + b + "\"},"
          + "{\"mediaType\":\"application/vnd.docker.image.rootfs.diff.tar.gzip\",\"size\":" + LAYER_A.length
          + ",\"digest\":\"" + a + "\"}]}";
      assertEquals(expected, new String(im.manifest().bytes(), StandardCharsets.UTF_8));
      assertTrue(im.manifest().isDocker());
      assertArrayEquals(LAYER_A, read(im.openBlob(a)));
      assertArrayEquals(LAYER_B, read(im.openLayer(1)));
      assertArrayEquals(config.bytes(), read(im.openBlob(m.config().digest())));
      assertThrows(MissingBlobException.class, () -> im.openBlob(m.layers().get(0).digest()));
      assertEquals(im, da.image("demo:1"));
      assertEquals(im, da.image("example.org/x/demo:2"));
      assertEquals(im, da.image("@0"));
      assertThrows(ImageNotFoundException.class, () -> da.image("demo:2"));
      assertThrows(ImageNotFoundException.class, () -> da.image("@1"));

      // the archive is itself a blob source for another write
      Path f3 = tmp.resolve("img3.tar");
      DockerArchive.write(f3, im.manifest(), im, List.of("docker.io/library/demo:1", "example.org/x/demo:2"));
      assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(f3));
    }
  }

  @Test
  void readsDockerSaveStyleArchives() throws IOException {
    // two images; legacy <id>/layer.tar symlinks; one layer stored gzip-compressed; short RepoTags
    Digest a = Digest.sha256(LAYER_A);
    Digest b = Digest.sha256(LAYER_B);
    byte[] c1 = ImageConfig.builder(TestImages.AMD64).addDiffId(a).build().bytes();
    byte[] c2 = ImageConfig.builder(TestImages.AMD64).addDiffId(a).addDiffId(b).build().bytes();
    byte[] gzB = TestImages.compress(LAYER_B, Compression.GZIP);
    String manifest = "[{\"Config\":\"c1.json\",\"RepoTags\":[\"busybox:1\"],\"Layers\":[\"id1/layer.tar\"]},"
        + "{\"Config\":\"./c2.json\",\"RepoTags\":null,\"Layers\":[\"id1/layer.tar\",\"id2/layer.tar\"]}]";
    Path f = tmp.resolve("save.tar");
    TestImages.rawTar(f, List.of(fileEntry("c1.json"), fileEntry("c2.json"), fileEntry("blobs/a.tar"),
            linkEntry("id1/layer.tar", "../blobs/a.tar", TarConstants.LF_SYMLINK), fileEntry("id2/layer.tar"),
            fileEntry("repositories"), fileEntry("manifest.json")),
        Arrays.asList(c1, c2, LAYER_A, null, gzB, utf8("{}"), utf8(manifest)));
    try (DockerArchive da = DockerArchive.open(f)) {
      assertEquals(2, da.images().size());
      OciFormatException e = assertThrows(OciFormatException.class, () -> da.image(null));
      assertTrue(e.getMessage().endsWith("holds 2 images; choose one with name:tag or @N"), e.getMessage());
      DockerArchive.Image one = da.image("docker.io/library/busybox:1");
      assertEquals(0, one.index());
      DockerArchive.Image two = da.image("@1");
      assertEquals(List.of(), two.repoTags());
      assertEquals(List.of(a, b), two.manifest().layers().stream().map(Descriptor::digest).toList());
      assertEquals(LAYER_B.length, two.manifest().layers().get(1).size(), "uncompressed size of a gzip layer file");
      assertArrayEquals(LAYER_B, read(two.openBlob(b)));
      assertArrayEquals(LAYER_A, read(one.openLayer(0)));
      assertEquals(Digest.sha256(c2), two.manifest().config().digest());
    }
  }

  @Test
  void compressedArchiveUsesATemporaryCopy() throws IOException {
    OciLayout l = OciLayout.create(tmp.resolve("l"));
    TestImages.writeImage(l, "t", Compression.GZIP, List.of(LAYER_A));
    Path f = tmp.resolve("img.tar");
    DockerArchive.write(l, "t", f, List.of());
    Path gz = tmp.resolve("img.tar.gz");
    try (OutputStream out = Compression.GZIP.compress(Files.newOutputStream(gz))) {
      Files.copy(f, out);
    }
    Path work = Files.createDirectories(tmp.resolve("work"));
    try (DockerArchive da = DockerArchive.open(gz, work)) {
      assertArrayEquals(LAYER_A, read(da.image(null).openLayer(0)));
      assertEquals(1, Files.list(work).count());
    }
    assertEquals(0, Files.list(work).count());
  }

  @Test
  void layerNotMatchingItsDiffIdFailsAtTheEnd() throws IOException {
    byte[] cfg = ImageConfig.builder(TestImages.AMD64).addDiffId(Digest.sha256(LAYER_A)).build().bytes();
    Path f = tmp.resolve("bad.tar");
    TestImages.rawTar(f, List.of(fileEntry("c.json"), fileEntry("l.tar"), fileEntry("manifest.json")),
        Arrays.asList(cfg, LAYER_B, utf8("[{\"Config\":\"c.json\",\"Layers\":[\"l.tar\"]}]")));
    try (DockerArchive da = DockerArchive.open(f)) {
      InputStream in = da.image(null).openLayer(0);
      BlobVerificationException e = assertThrows(BlobVerificationException.class, in::readAllBytes);
      assertEquals("blob " + Digest.sha256(LAYER_A) + ": digest mismatch, got " + Digest.sha256(LAYER_B), e.getMessage());
    }
  }

  private void expectRejected(String message, List<TarArchiveEntry> entries, List<byte[]> contents) throws IOException {
    Path f = tmp.resolve("hostile.tar");
    TestImages.rawTar(f, entries, contents);
    OciFormatException e = assertThrows(OciFormatException.class, () -> {
      try (DockerArchive da = DockerArchive.open(f)) {
        da.image(null).manifest();
      }
    });
    if (message.endsWith("*")) {
      assertTrue(e.getMessage().startsWith("docker-archive " + f + ": " + message.substring(0, message.length() - 1)),
          e.getMessage());
    } else {
      assertEquals("docker-archive " + f + ": " + message, e.getMessage());
    }
    Files.delete(f);
  }

  @Test
  void hostileArchives() throws IOException {
    byte[] cfg = ImageConfig.builder(TestImages.AMD64).addDiffId(Digest.sha256(LAYER_A)).build().bytes();
    expectRejected("no manifest.json (archives of Docker before 1.10 are not supported)",
        List.of(fileEntry("c.json")), Arrays.asList(cfg));
    expectRejected("manifest.json is not valid JSON: Unexpected end-of-input*",
        List.of(fileEntry("manifest.json")), Arrays.asList(utf8("[")));
    expectRejected("manifest.json is not a JSON array",
        List.of(fileEntry("manifest.json")), Arrays.asList(utf8("{}")));
    expectRejected("manifest.json entry 0: entry '../../etc/passwd' contains '..'",
        List.of(fileEntry("manifest.json")),
        Arrays.asList(utf8("[{\"Config\":\"../../etc/passwd\",\"Layers\":[]}]")));
    expectRejected("manifest.json entry 0: entry '/etc/passwd' has an absolute path",
        List.of(fileEntry("manifest.json")),
        Arrays.asList(utf8("[{\"Config\":\"c.json\",\"Layers\":[\"/etc/passwd\"]}]")));
    expectRejected("symlink 'l.tar' points outside the archive ('../../etc/passwd')",
        List.of(fileEntry("c.json"), linkEntry("l.tar", "../../etc/passwd", TarConstants.LF_SYMLINK),
            fileEntry("manifest.json")),
        Arrays.asList(cfg, null, utf8("[{\"Config\":\"c.json\",\"Layers\":[\"l.tar\"]}]")));
    expectRejected("symlink 'l.tar' points outside the archive ('/etc/passwd')",
        List.of(linkEntry("l.tar", "/etc/passwd", TarConstants.LF_SYMLINK)), Arrays.asList((byte[]) null));
    expectRejected("too many links resolving 'l.tar'",
        List.of(fileEntry("c.json"), linkEntry("l.tar", "m.tar", TarConstants.LF_SYMLINK),
            linkEntry("m.tar", "l.tar", TarConstants.LF_SYMLINK), fileEntry("manifest.json")),
        Arrays.asList(cfg, null, null, utf8("[{\"Config\":\"c.json\",\"Layers\":[\"l.tar\"]}]")));
    expectRejected("inconsistent layer count: 2 in manifest.json, 1 in config c.json",
        List.of(fileEntry("c.json"), fileEntry("l.tar"), fileEntry("manifest.json")),
        Arrays.asList(cfg, LAYER_A, utf8("[{\"Config\":\"c.json\",\"Layers\":[\"l.tar\",\"l.tar\"]}]")));
    expectRejected("no file 'missing.tar' in the archive",
        List.of(fileEntry("c.json"), fileEntry("manifest.json")),
        Arrays.asList(cfg, utf8("[{\"Config\":\"c.json\",\"Layers\":[\"missing.tar\"]}]")));
    expectRejected("entry 'c.json' appears twice",
        List.of(fileEntry("c.json"), fileEntry("./c.json")), Arrays.asList(cfg, cfg));
    expectRejected("manifest.json is not valid JSON: Duplicate field 'Config'*",
        List.of(fileEntry("manifest.json")),
        Arrays.asList(utf8("[{\"Config\":\"a\",\"Config\":\"b\",\"Layers\":[]}]")));
  }

  @Test
  void writeChecksItsInput() throws IOException {
    OciLayout l = OciLayout.create(tmp.resolve("l"));
    ImageManifest m = TestImages.writeImage(l, "t", Compression.GZIP, List.of(LAYER_A));
    assertThrows(IllegalArgumentException.class, () -> DockerArchive.write(l, "t", tmp.resolve("x.tar"), List.of("demo")));
    assertThrows(IllegalArgumentException.class,
        () -> DockerArchive.write(l, "t", tmp.resolve("x.tar"), List.of("demo@sha256:" + "0".repeat(64))));
    // a config whose diff ID does not match the layer
    byte[] badConfig = ImageConfig.builder(TestImages.AMD64).addDiffId(Digest.sha256(LAYER_B)).build().bytes();
    BlobInfo bc = l.writeBlob(badConfig);
    ImageManifest bad = ImageManifest.builder().config(bc.toDescriptor(MediaTypes.OCI_CONFIG))
        .addLayer(m.layers().get(0)).build();
    BlobVerificationException e = assertThrows(BlobVerificationException.class,
        () -> DockerArchive.write(tmp.resolve("x.tar"), bad, l, List.of()));
    assertEquals("blob " + Digest.sha256(LAYER_B) + ": digest mismatch, got " + Digest.sha256(LAYER_A), e.getMessage());
    assertFalse(Files.exists(tmp.resolve("x.tar")));
    // a layer count that differs from the config
    ImageManifest twoLayers = ImageManifest.builder().config(m.config()).addLayer(m.layers().get(0))
        .addLayer(m.layers().get(0)).build();
    assertThrows(OciFormatException.class, () -> DockerArchive.write(tmp.resolve("x.tar"), twoLayers, l, List.of()));
    assertFalse(Files.exists(tmp.resolve("x.tar")));
    try (var s = Files.list(tmp)) {
      assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".")), "no temporary files left");
    }
  }
}
