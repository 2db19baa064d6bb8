package io.github.ostree4j.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ostree4j.oci.Compression;
import io.github.ostree4j.oci.Descriptor;
import io.github.ostree4j.oci.Digest;
import io.github.ostree4j.oci.ImageIndex;
import io.github.ostree4j.oci.ImageManifest;
import io.github.ostree4j.oci.MediaTypes;
import io.github.ostree4j.oci.OciLayout;
import io.github.ostree4j.oci.Platform;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ImageCopier} with an in-process registry stub where faults must be injected. */
class ImageCopierTest {

  @TempDir Path tmp;
  final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
  }

  StubRegistry stub() throws Exception {
    StubRegistry s = new StubRegistry(StubRegistry.Auth.NONE, null, null);
    closeables.add(s);
    return s;
  }

  static TransportOptions insecure() {
    return TransportOptions.builder().tlsVerify(false).credentials(CredentialResolver.anonymous())
        .retries(3, Duration.ofMillis(10)).build();
  }

  static ImageReference ref(String s) throws Exception {
    return ImageReference.parse(s);
  }

  @Test
  void aCorruptBlobFromTheRegistryFailsNamingItAndTagsNothing() throws Exception {
    StubRegistry s = stub();
    TestImage img = new TestImage("corrupt");
    try (RegistryClient c = ImageTransports.client(ref("docker://" + s.host() + "/os:v1"), insecure())) {
      img.push(c, "os", "v1");
    }
    byte[] bad = img.layer.clone();
    bad[bad.length / 2] ^= 1;
    s.corruptBlob = bad;
    s.corruptDigest = img.layerDigest().toString();
    Path out = tmp.resolve("out");
    ImageCopyException e = assertThrows(ImageCopyException.class, () -> ImageCopier.builder().build()
        .copy(ref("docker://" + s.host() + "/os:v1"), insecure(), ref("oci:" + out + ":t"), insecure()));
    assertTrue(e.getMessage().startsWith("copying blob " + img.layerDigest()
        + ": digest mismatch, got sha256:"), e.getMessage());
    assertEquals(List.of(), OciLayout.open(out).listTags());
    assertFalse(OciLayout.open(out).hasBlob(img.layerDigest()));

    // and registry to another registry: the manifest is never pushed
    StubRegistry s2 = stub();
    ImageCopyException e2 = assertThrows(ImageCopyException.class, () -> ImageCopier.builder().build()
        .copy(ref("docker://" + s.host() + "/os:v1"), insecure(),
            ref("docker://" + s2.host() + "/copy:v1"), insecure()));
    assertTrue(e2.getMessage().startsWith("copying blob " + img.layerDigest() + ": digest mismatch"),
        e2.getMessage());
    assertTrue(s2.manifests.isEmpty());
    assertFalse(s2.blobs.containsKey("copy " + img.layerDigest()));
  }

  @Test
  void transientUploadFailuresRestartFromAFreshStreamAndTheManifestGoesLast() throws Exception {
    StubRegistry s = stub();
    TestImage img = new TestImage("retry");
    Path layout = tmp.resolve("src");
    img.writeLayout(layout, "v1");
    s.failNext("PATCH /v2/dest/blobs/uploads/", 503);
    List<CopyEvent> events = new CopyOnWriteArrayList<>();
    Digest d = ImageCopier.builder().listener(events::add).build()
        .copy(ref("oci:" + layout + ":v1"), insecure(), ref("docker://" + s.host() + "/dest:v1"),
            insecure());
    assertEquals(img.manifestDigest(), d);
    assertArrayEquals(img.manifest, s.manifests.get("dest v1"));
    assertArrayEquals(img.layer, s.blobs.get("dest " + img.layerDigest()));
    List<String> writes = s.seen.stream().map(x -> x.method() + " " + x.uri())
        .filter(x -> x.startsWith("PUT ") || x.startsWith("PATCH ")).toList();
    assertTrue(writes.get(writes.size() - 1).startsWith("PUT /v2/dest/manifests/v1"), writes.toString());
    assertEquals(1, writes.stream().filter(w -> w.contains("/manifests/")).count());
    assertEquals(CopyEvent.Kind.MANIFEST, events.get(events.size() - 1).kind());
    assertTrue(events.stream().anyMatch(e -> e.kind() == CopyEvent.Kind.DONE
        && e.digest().equals(img.layerDigest())));

    // again: everything is there, nothing is sent
    events.clear();
    long patches = s.count("PATCH", "/v2/dest/");
    ImageCopier.builder().listener(events::add).build()
        .copy(ref("oci:" + layout + ":v1"), insecure(), ref("docker://" + s.host() + "/dest:v1"),
            insecure());
    assertEquals(patches, s.count("PATCH", "/v2/dest/"));
    assertEquals(2, events.stream().filter(e -> e.kind() == CopyEvent.Kind.SKIPPED).count());
  }

  @Test
  void recompressionRewritesLayersButKeepsTheConfig() throws Exception {
    TestImage img = new TestImage("zstd");
    Path layout = tmp.resolve("src");
    img.writeLayout(layout, "v1");
    Path out = tmp.resolve("out");
    Digest d = ImageCopier.builder().compression(Compression.ZSTD, 5).build()
        .copy(ref("oci:" + layout + ":v1"), insecure(), ref("oci:" + out + ":v1"), insecure());
    assertNotEquals(img.manifestDigest(), d);
    OciLayout o = OciLayout.open(out);
    ImageManifest m = o.readManifest(o.findManifest("v1"));
    assertEquals(d, m.digest());
    assertEquals(img.configDigest(), m.config().digest());
    Descriptor l = m.layers().get(0);
    assertEquals(MediaTypes.OCI_LAYER_ZSTD, l.mediaType());
    try (InputStream in = Compression.ZSTD.decompress(o.openBlob(l))) {
      assertEquals(img.diffId, Digest.sha256(in.readAllBytes()));
    }
    assertEquals(Map.of("org.opencontainers.image.title", "ostree4j test image zstd",
        "org.example.zz-before-aa", "caf\u00e9"), m.annotations());
    // already zstd: copied as it is, digest preserved
    Path out2 = tmp.resolve("out2");
    assertEquals(d, ImageCopier.builder().compression(Compression.ZSTD, 3).build()
        .copy(ref("oci:" + out + ":v1"), insecure(), ref("oci:" + out2 + ":v1"), insecure()));
  }

  @Test
  void indexesCopyOnePlatformOrAll() throws Exception {
    Path layout = tmp.resolve("multi");
    OciLayout src = OciLayout.create(layout);
    List<Descriptor> entries = new ArrayList<>();
    List<Digest> manifests = new ArrayList<>();
    Platform here = Platform.current();
    Platform other = new Platform("linux", here.architecture().equals("s390x") ? "ppc64le" : "s390x",
        null);
    for (Platform p : List.of(other, here)) {
      TestImage img = new TestImage("multi-" + p.architecture());
      src.writeBlob(img.layer);
      src.writeBlob(img.config);
      src.writeBlob(img.manifest);
      manifests.add(img.manifestDigest());
      entries.add(Descriptor.of(MediaTypes.OCI_MANIFEST, img.manifestDigest(), img.manifest.length)
          .withPlatform(p));
    }
    ImageIndex idx = ImageIndex.of(entries, Map.of());
    src.writeBlob(idx.bytes());
    src.addManifest(idx.digest() == null ? null : Descriptor.of(MediaTypes.OCI_INDEX, idx.digest(),
        idx.bytes().length), "v1");

    Path one = tmp.resolve("one");
    Digest d = ImageCopier.builder().build()
        .copy(ref("oci:" + layout + ":v1"), insecure(), ref("oci:" + one + ":v1"), insecure());
    assertEquals(manifests.get(1), d);

    Path all = tmp.resolve("all");
    Digest d2 = ImageCopier.builder().allPlatforms(true).build()
        .copy(ref("oci:" + layout + ":v1"), insecure(), ref("oci:" + all + ":v1"), insecure());
    assertEquals(idx.digest(), d2);
    OciLayout a = OciLayout.open(all);
    for (Digest m : manifests) {
      assertTrue(a.hasBlob(m));
    }
    assertEquals(List.of("v1"), a.listTags());

    // recompressing all platforms rewrites the index
    Path z = tmp.resolve("zall");
    Digest d3 = ImageCopier.builder().allPlatforms(true).compression(Compression.ZSTD, 3).build()
        .copy(ref("oci:" + layout + ":v1"), insecure(), ref("oci:" + z + ":v1"), insecure());
    OciLayout zl = OciLayout.open(z);
    ImageIndex zi = zl.readIndex(zl.findManifest("v1"));
    assertEquals(d3, zi.digest());
    for (Descriptor e : zi.manifests()) {
      assertTrue(e.platform().isPresent());
      assertEquals(MediaTypes.OCI_LAYER_ZSTD, zl.readManifest(e).layers().get(0).mediaType());
    }
    assertFalse(Arrays.equals(idx.bytes(), zi.bytes()));
    assertTrue(Files.isRegularFile(z.resolve("index.json")));
  }

  @Test
  void aDownloadThatBreaksOffIsReadAgainFromTheStart() throws Exception {
    TestImage img = new TestImage("flaky");
    Path layout = tmp.resolve("src");
    img.writeLayout(layout, "v1");
    int[] opened = {0};
    ImageSource real = ImageTransports.openSource(ref("oci:" + layout + ":v1"), insecure());
    ImageSource flaky = new ImageSource() {
      @Override
      public ImageReference reference() {
        return real.reference();
      }

      @Override
      public ManifestResponse manifest() throws java.io.IOException {
        return real.manifest();
      }

      @Override
      public ManifestResponse manifest(Digest digest) throws java.io.IOException {
        return real.manifest(digest);
      }

      @Override
      public InputStream openBlob(Descriptor blob) throws java.io.IOException {
        InputStream in = real.openBlob(blob);
        if (!blob.digest().equals(img.layerDigest()) || opened[0]++ > 0) {
          return in;
        }
        return new java.io.FilterInputStream(in) {
          long n;

          @Override
          public int read(byte[] b, int off, int len) throws java.io.IOException {
            if (n > 100) {
              throw new java.net.SocketException("Connection reset");
            }
            int r = super.read(b, off, Math.min(len, 50));
            n += Math.max(r, 0);
            return r;
          }
        };
      }

      @Override
      public void close() throws java.io.IOException {
        real.close();
      }
    };
    Path out = tmp.resolve("out");
    try (ImageDestination dst = ImageTransports.openDestination(ref("oci:" + out + ":v1"), insecure())) {
      Digest d = ImageCopier.builder().retries(3, Duration.ofMillis(1)).build().copy(flaky, dst);
      assertEquals(img.manifestDigest(), d);
    }
    assertEquals(2, opened[0]);
    assertEquals(List.of("v1"), OciLayout.open(out).listTags());
    // a digest mismatch is not retried
    assertFalse(ImageCopier.transientRead(io.github.ostree4j.oci.BlobVerificationException
        .digestMismatch(img.layerDigest(), img.configDigest(), 1)));
  }
}
