package io.github.ostree4j.build.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ostree4j.oci.BlobInfo;
import io.github.ostree4j.oci.Descriptor;
import io.github.ostree4j.oci.Digest;
import io.github.ostree4j.oci.MediaTypes;
import io.github.ostree4j.oci.OciLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerCacheTest {

  @TempDir Path tmp;

  @Test
  void keysDependOnEveryPartAndItsBoundaries() {
    String k = LayerCache.key("parent", "RUN", "RUN make");
    assertEquals(64, k.length());
    assertEquals(k, LayerCache.key("parent", "RUN", "RUN make"));
    assertNotEquals(k, LayerCache.key("parent2", "RUN", "RUN make"));
    assertNotEquals(LayerCache.key("p", "ab", "c"), LayerCache.key("p", "a", "bc"));
  }

  @Test
  void storeAndLookUp() throws Exception {
    OciLayout blobs = OciLayout.create(tmp.resolve("blobs"));
    LayerCache cache = new LayerCache(tmp.resolve("cache"), blobs);
    String key = LayerCache.key("p", "COPY");
    assertTrue(cache.lookup(key).isEmpty());
    BlobInfo info = blobs.writeBlob("layer bytes".getBytes());
    Descriptor d = Descriptor.of(MediaTypes.OCI_LAYER_GZIP, info.digest(), info.size());
    Path changes = Files.createDirectories(tmp.resolve("step/upper/etc"));
    Files.writeString(changes.resolve("f"), "x");
    Digest diffId = Digest.sha256("tar".getBytes());
    LayerCache.Entry e = cache.store(key, diffId, d, tmp.resolve("step/upper"));
    assertFalse(Files.exists(tmp.resolve("step/upper")), "the change tree was moved");
    assertEquals("x", Files.readString(e.changes().resolve("etc/f")));
    LayerCache.Entry hit = cache.lookup(key).orElseThrow();
    assertEquals(diffId, hit.diffId());
    assertEquals(d.digest(), hit.blob().digest());
    assertEquals(e.changes(), hit.changes());
    // a missing blob is a miss
    Files.delete(blobs.blobPath(info.digest()));
    assertTrue(cache.lookup(key).isEmpty());
  }
}
