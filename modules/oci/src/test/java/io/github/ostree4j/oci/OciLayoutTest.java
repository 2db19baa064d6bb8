package io.github.ostree4j.oci;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OciLayoutTest {

  @TempDir
  Path tmp;

  @Test
  void createIsIdempotentAndOpenValidates() throws IOException {
    Path dir = tmp.resolve("img");
    OciLayout a = OciLayout.create(dir);
    assertEquals("{\"imageLayoutVersion\":\"1.0.0\"}", Files.readString(dir.resolve("oci-layout")));
    assertTrue(Files.isDirectory(dir.resolve("blobs/sha256")));
    assertEquals(0, a.index().manifests().size());
    BlobInfo b = a.writeBlob(TestImages.utf8("x"));
    a.addManifest(Descriptor.of("application/octet-stream", b.digest(), 1), "t");
    OciLayout again = OciLayout.create(dir);
    assertEquals(List.of("t"), again.listTags());
    assertEquals(List.of("t"), OciLayout.open(dir).listTags());
  }

  @Test
  void openRejectsNonLayouts() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("plain"));
    OciFormatException e = assertThrows(OciFormatException.class, () -> OciLayout.open(dir));
    assertTrue(e.getMessage().endsWith("oci-layout is missing or not a regular file (not an OCI image layout)"),
        e.getMessage());
    Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"2.0.0\"}");
    e = assertThrows(OciFormatException.class, () -> OciLayout.open(dir));
    assertTrue(e.getMessage().contains("unsupported imageLayoutVersion '2.0.0'"), e.getMessage());
    Files.writeString(dir.resolve("oci-layout"), "not json");
    e = assertThrows(OciFormatException.class, () -> OciLayout.open(dir));
    assertTrue(e.getMessage().contains("oci-layout is not valid JSON"), e.getMessage());
    Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\": \"1.0.0\"}");
    e = assertThrows(OciFormatException.class, () -> OciLayout.open(dir));
    assertTrue(e.getMessage().endsWith("index.json is missing or not a regular file"), e.getMessage());
    assertThrows(IOException.class, () -> OciLayout.open(tmp.resolve("absent")));
    OciLayout.create(dir);
    assertTrue(Files.isRegularFile(dir.resolve("index.json")), "create completes a half-made layout");
    Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"0.9\"}");
    assertThrows(OciFormatException.class, () -> OciLayout.create(dir));
  }

  @Test
  void blobsRoundTrip() throws IOException {
    OciLayout l = OciLayout.create(tmp.resolve("l"));
    byte[] data = TestImages.utf8("some content");
    Digest d = Digest.sha256(data);
    assertFalse(l.hasBlob(d));
    BlobInfo info = l.writeBlob(new ByteArrayInputStream(data), d, data.length);
    assertEquals(new BlobInfo(d, data.length), info);
    assertTrue(l.hasBlob(d));
    assertEquals(data.length, l.blobSize(d));
    try (InputStream in = l.openBlob(d)) {
      assertArrayEquals(data, in.readAllBytes());
    }
    assertArrayEquals(data, l.readBlobBytes(d, 100));
    assertEquals(info, l.writeBlob(data), "rewriting is harmless");
    assertEquals(info, l.writeBlob(new ByteArrayInputStream(data)));
    assertEquals(List.of(d), l.listBlobs());
    assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(l.blobPath(d))));
    OciFormatException tooBig = assertThrows(OciFormatException.class, () -> l.readBlobBytes(d, 4));
    assertTrue(tooBig.getMessage().contains("blob " + d), tooBig.getMessage());
  }

  @Test
  void writeBlobVerifiesBeforeStoring() throws IOException {
    OciLayout l = OciLayout.create(tmp.resolve("l"));
    byte[] data = TestImages.utf8("some content");
    Digest wrong = Digest.sha256(TestImages.utf8("other"));
    BlobVerificationException e = assertThrows(BlobVerificationException.class,
        () -> l.writeBlob(new ByteArrayInputStream(data), wrong, -1));
    assertEquals("blob " + wrong + ": digest mismatch, got " + Digest.sha256(data), e.getMessage());
    e = assertThrows(BlobVerificationException.class,
        () -> l.writeBlob(new ByteArrayInputStream(data), Digest.sha256(data), 3));
    assertTrue(e.getMessage().contains("size mismatch: expected 3 bytes, got at least"), e.getMessage());
    e = assertThrows(BlobVerificationException.class, () -> l.writeBlob(new ByteArrayInputStream(data), null, 99));
    assertTrue(e.getMessage().endsWith("size mismatch: expected 99 bytes, got 12"), e.getMessage());
    assertFalse(l.hasBlob(wrong));
    assertFalse(l.hasBlob(Digest.sha256(data)));
    try (Stream<Path> s = Files.list(l.dir().resolve("blobs/sha256"))) {
      assertEquals(0, s.count(), "no temporary files left behind");
    }
  }

  @Test
  void missingAndCorruptBlobsAreNamed() throws IOException {
    OciLayout l = OciLayout.create(tmp.resolve("l"));
    Digest d = Digest.sha256(TestImages.utf8("never written"));
    MissingBlobException m = assertThrows(MissingBlobException.class, () -> l.openBlob(d));
    assertEquals("blob " + d + " not found in OCI layout " + l.dir(), m.getMessage());
    assertEquals(d, m.digest());
    assertThrows(MissingBlobException.class, () -> l.blobSize(d));

    byte[] data = TestImages.utf8("the real content");
    BlobInfo info = l.writeBlob(data);
    Files.write(l.blobPath(info.digest()), TestImages.utf8("the evil content"));
    Descriptor desc = info.toDescriptor(MediaTypes.OCI_LAYER);
    try (VerifyingInputStream in = l.openBlob(desc)) {
      BlobVerificationException e = assertThrows(BlobVerificationException.class, in::readAllBytes);
      assertTrue(e.getMessage().startsWith("blob " + info.digest() + ": digest mismatch, got sha256:"),
          e.getMessage());
    }
    assertThrows(BlobVerificationException.class, () -> l.readBlobBytes(info.digest(), 1000));
  }

  @Test
  void symlinkedBlobsAreRefused() throws IOException {
    OciLayout l = OciLayout.create(tmp.resolve("l"));
    Path secret = Files.writeString(tmp.resolve("secret"), "secret");
    Digest d = Digest.sha256(TestImages.utf8("secret"));
    Files.createSymbolicLink(l.blobPath(d), secret);
    OciFormatException e = assertThrows(OciFormatException.class, () -> l.openBlob(d));
    assertEquals("OCI layout " + l.dir() + ": blob " + d + " is a symlink, not a regular file", e.getMessage());
    assertFalse(l.hasBlob(d));
  }

  @Test
  void tagsAddReplaceRemove() throws IOException {
    OciLayout l = OciLayout.create(tmp.resolve("l"));
    ImageManifest m1 = TestImages.writeSimpleImage(l, "v1", Compression.GZIP);
    assertEquals(m1.digest(), l.findManifest("v1").digest());
    assertEquals(m1.digest(), l.findManifest(null).digest());
    assertEquals("v1", l.findManifest("v1").annotations().get(OciLayout.REF_NAME));
    ImageManifest read = l.readManifest(l.findManifest("v1"));
    assertArrayEquals(m1.bytes(), read.bytes());
    ImageConfig config = l.readConfig(read.config());
    assertEquals(2, config.diffIds().size());

    ImageManifest m2 = TestImages.writeSimpleImage(l, "v2", Compression.ZSTD);
    assertEquals(List.of("v1", "v2"), l.listTags());
    OciFormatException amb = assertThrows(OciFormatException.class, () -> l.findManifest(null));
    assertTrue(amb.getMessage().endsWith("holds 2 images; name one by tag (tags: v1, v2)"), amb.getMessage());
    ImageNotFoundException nf = assertThrows(ImageNotFoundException.class, () -> l.findManifest("v3"));
    assertEquals("no image tagged 'v3' in OCI layout " + l.dir(), nf.getMessage());

    // moving a tag replaces the entry instead of duplicating the name
    l.addManifest(m2.descriptor(), "v1");
    assertEquals(List.of("v2", "v1"), l.listTags());
    assertEquals(m2.digest(), l.findManifest("v1").digest());
    assertEquals(2, l.index().manifests().size());

    // untagged add of a digest already present changes nothing
    l.addManifest(m2.descriptor(), null);
    assertEquals(2, l.index().manifests().size());
    // untagged add of a new digest appends; a later tag for it replaces the untagged entry
    l.addManifest(m1.descriptor(), null);
    assertEquals(3, l.index().manifests().size());
    l.addManifest(m1.descriptor(), "old");
    assertEquals(3, l.index().manifests().size());
    assertEquals(List.of("v2", "v1", "old"), l.listTags());

    assertTrue(l.removeTag("v2"));
    assertFalse(l.removeTag("v2"));
    assertEquals(List.of("v1", "old"), l.listTags());
  }

  @Test
  void addManifestChecksTheBlob() throws IOException {
    OciLayout l = OciLayout.create(tmp.resolve("l"));
    Digest d = Digest.sha256(TestImages.utf8("{}"));
    assertThrows(MissingBlobException.class, () -> l.addManifest(Descriptor.of(MediaTypes.OCI_MANIFEST, d, 2), "x"));
    BlobInfo info = l.writeBlob(TestImages.utf8("{}"));
    assertThrows(BlobVerificationException.class,
        () -> l.addManifest(Descriptor.of(MediaTypes.OCI_MANIFEST, info.digest(), 3), "x"));
    assertThrows(IllegalArgumentException.class, () -> l.addManifest(info.toDescriptor(MediaTypes.OCI_MANIFEST), "a b"));
    assertEquals(List.of(), l.listTags());
  }

  @Test
  void indexKeepsUnknownFieldsAndPlatform() throws IOException {
    OciLayout l = OciLayout.create(tmp.resolve("l"));
    Files.writeString(l.dir().resolve("index.json"),
        "{\"schemaVersion\":2,\"manifests\":[],\"annotations\":{\"x\":\"y\"},\"extra\":1}");
    ImageManifest m = TestImages.writeSimpleImage(l, null, Compression.NONE);
    l.addManifest(m.descriptor().withPlatform(TestImages.AMD64), "p");
    JsonNode n = Json.MAPPER.readTree(Files.readAllBytes(l.dir().resolve("index.json")));
    assertEquals(1, n.get("extra").asInt());
    assertEquals("y", n.get("annotations").get("x").asText());
    assertEquals(1, n.get("manifests").size());
    assertEquals("amd64", n.get("manifests").get(0).get("platform").get("architecture").asText());
    assertEquals(TestImages.AMD64, l.findManifest("p").platform().orElseThrow());
  }

  @Test
  void hostileIndexJson() throws IOException {
    OciLayout l = OciLayout.create(tmp.resolve("l"));
    Path index = l.dir().resolve("index.json");
    Files.writeString(index, "this is not json");
    OciFormatException e = assertThrows(OciFormatException.class, l::index);
    assertTrue(e.getMessage().startsWith("OCI layout " + l.dir() + ": index.json: image index is not valid JSON"),
        e.getMessage());
    assertThrows(OciFormatException.class, () -> l.findManifest(null));

    Files.writeString(index, "{\"schemaVersion\":2,\"schemaVersion\":2,\"manifests\":[]}");
    e = assertThrows(OciFormatException.class, l::index);
    assertTrue(e.getMessage().contains("Duplicate field 'schemaVersion'"), e.getMessage());

    Digest d = Digest.sha256(new byte[0]);
    String entry = "{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + d
        + "\",\"size\":0,\"annotations\":{\"org.opencontainers.image.ref.name\":\"t\"}}";
    Files.writeString(index, "{\"schemaVersion\":2,\"manifests\":[" + entry + "," + entry + "]}");
    e = assertThrows(OciFormatException.class, () -> l.findManifest("t"));
    assertEquals("OCI layout " + l.dir() + ": index.json names tag 't' in more than one entry", e.getMessage());
    // removing the tag repairs the index
    assertTrue(l.removeTag("t"));
    assertEquals(List.of(), l.listTags());

    Files.writeString(index, "{\"schemaVersion\":2,\"manifests\":[{\"digest\":\"sha256:../../etc/passwd\",\"size\":1}]}");
    e = assertThrows(OciFormatException.class, l::index);
    assertTrue(e.getMessage().contains("invalid digest 'sha256:../../etc/passwd'"), e.getMessage());

    StringBuilder deep = new StringBuilder();
    for (int i = 0; i < 1000; i++) {
      deep.append('[');
    }
    Files.writeString(index, deep);
    assertThrows(OciFormatException.class, l::index);

    try (var ch = Files.newByteChannel(index, java.nio.file.StandardOpenOption.WRITE,
        java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.position(OciLayout.MAX_INDEX_SIZE + 10L);
      ch.write(java.nio.ByteBuffer.wrap(new byte[] {'}'}));
    }
    e = assertThrows(OciFormatException.class, l::index);
    assertTrue(e.getMessage().endsWith("index.json is larger than the limit of " + OciLayout.MAX_INDEX_SIZE + " bytes"),
        e.getMessage());
  }

  @Test
  void gcRemovesUnreachableBlobs() throws IOException {
    OciLayout l = OciLayout.create(tmp.resolve("l"));
    ImageManifest keep = TestImages.writeSimpleImage(l, "keep", Compression.GZIP);
    ImageManifest drop = TestImages.writeImage(l, "drop", Compression.GZIP,
        List.of(TestImages.layerTar(TestImages.entries("only-in-drop", "x"))));
    BlobInfo stray = l.writeBlob(TestImages.utf8("stray"));
    assertTrue(l.removeTag("drop"));
    OciLayout.GcResult r = l.gc();
    assertEquals(4, r.blobsRemoved(), "manifest, config, layer of 'drop' and the stray blob");
    assertFalse(l.hasBlob(stray.digest()));
    assertFalse(l.hasBlob(drop.digest()));
    assertTrue(l.hasBlob(keep.digest()));
    assertTrue(l.hasBlob(keep.config().digest()));
    keep.layers().forEach(d -> assertTrue(l.hasBlob(d.digest())));
    assertEquals(new OciLayout.GcResult(0, 0), l.gc());
  }

  @Test
  void concurrentTaggingLosesNothing() throws Exception {
    OciLayout l = OciLayout.create(tmp.resolve("l"));
    List<Descriptor> ds = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      ds.add(l.writeBlob(("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8))
          .toDescriptor("application/vnd.example+json"));
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int i = 0; i < ds.size(); i++) {
        int n = i;
        // a second OciLayout instance on the same directory, as another component would have
        OciLayout other = OciLayout.open(l.dir());
        fs.add(pool.submit(() -> {
          other.addManifest(ds.get(n), "t" + n);
          return null;
        }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    assertEquals(16, l.listTags().size());
  }
}
