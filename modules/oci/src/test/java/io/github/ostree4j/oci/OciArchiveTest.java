package io.github.ostree4j.oci;

import static io.github.ostree4j.oci.TestImages.dirEntry;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OciArchiveTest {

  private static final byte[] LAYOUT = utf8("{\"imageLayoutVersion\":\"1.0.0\"}");
  private static final byte[] EMPTY_INDEX = utf8("{\"schemaVersion\":2,\"manifests\":[]}");

  @TempDir
  Path tmp;

  @Test
  void roundTripIsReproducible() throws IOException {
    OciLayout l = OciLayout.create(tmp.resolve("src"));
    ImageManifest m = TestImages.writeSimpleImage(l, "latest", Compression.GZIP);
    Path a1 = tmp.resolve("a1.tar");
    Path a2 = tmp.resolve("a2.tar");
    OciArchive.write(l, a1);
    OciArchive.write(OciLayout.open(l.dir()), a2);
    assertArrayEquals(Files.readAllBytes(a1), Files.readAllBytes(a2));

    List<String> names = new ArrayList<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(a1))) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        names.add(e.getName());
        assertEquals(0, e.getModTime().getTime(), e.getName());
        assertEquals(0, e.getLongUserId());
        assertEquals("", e.getUserName());
      }
    }
    assertEquals("blobs/", names.get(0));
    assertEquals("blobs/sha256/", names.get(1));
    assertEquals(List.of("index.json", "oci-layout"), names.subList(names.size() - 2, names.size()));
    List<String> blobs = names.subList(2, names.size() - 2);
    List<String> sorted = new ArrayList<>(blobs);
    sorted.sort(null);
    assertEquals(sorted, blobs);
    assertEquals(4, blobs.size(), "two layers, config, manifest");

    OciLayout x = OciArchive.extract(a1, tmp.resolve("x"));
    assertEquals(m.digest(), x.findManifest("latest").digest());
    assertEquals(l.listBlobs(), x.listBlobs());
    for (Digest d : x.listBlobs()) {
      assertArrayEquals(Files.readAllBytes(l.blobPath(d)), Files.readAllBytes(x.blobPath(d)));
    }
    assertArrayEquals(Files.readAllBytes(l.dir().resolve("index.json")), Files.readAllBytes(x.dir().resolve("index.json")));
    assertNoLeftovers();
  }

  @Test
  void extractsCompressedArchivesIntoAnEmptyDirectory() throws IOException {
    OciLayout l = OciLayout.create(tmp.resolve("src"));
    TestImages.writeSimpleImage(l, "latest", Compression.ZSTD);
    Path a = tmp.resolve("a.tar");
    OciArchive.write(l, a);
    Path gz = tmp.resolve("a.tar.gz");
    try (OutputStream out = Compression.GZIP.compress(Files.newOutputStream(gz))) {
      Files.copy(a, out);
    }
    Path dest = Files.createDirectories(tmp.resolve("dest"));
    OciLayout x = OciArchive.extract(gz, dest);
    assertEquals(l.listTags(), x.listTags());
    assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> OciArchive.extract(a, dest));
  }

  @Test
  void corruptBlobIsNamedAndNothingIsKept() throws IOException {
    OciLayout l = OciLayout.create(tmp.resolve("src"));
    ImageManifest m = TestImages.writeSimpleImage(l, "latest", Compression.GZIP);
    Digest layer = m.layers().get(0).digest();
    byte[] bytes = Files.readAllBytes(l.blobPath(layer));
    bytes[bytes.length / 2] ^= 1;
    Files.write(l.blobPath(layer), bytes);
    // writing checks every blob
    BlobVerificationException w = assertThrows(BlobVerificationException.class,
        () -> OciArchive.write(l, tmp.resolve("out.tar")));
    assertTrue(w.getMessage().startsWith("blob " + layer + ": digest mismatch"), w.getMessage());
    assertFalse(Files.exists(tmp.resolve("out.tar")));

    // a hand-made archive with a blob that does not match its name
    Path a = tmp.resolve("bad.tar");
    TestImages.rawTar(a, List.of(fileEntry("oci-layout"), fileEntry("index.json"),
        fileEntry("blobs/sha256/" + layer.hex())), Arrays.asList(LAYOUT, EMPTY_INDEX, bytes));
    BlobVerificationException e = assertThrows(BlobVerificationException.class,
        () -> OciArchive.extract(a, tmp.resolve("x")));
    assertTrue(e.getMessage().startsWith("blob " + layer + ": digest mismatch, got sha256:"), e.getMessage());
    assertFalse(Files.exists(tmp.resolve("x")));
    assertNoLeftovers();
  }

  private void expectRejected(String message, List<TarArchiveEntry> entries, List<byte[]> contents)
      throws IOException {
    Path a = tmp.resolve("hostile.tar");
    TestImages.rawTar(a, entries, contents);
    Path dest = tmp.resolve("sub").resolve("dest");
    OciFormatException e = assertThrows(OciFormatException.class, () -> OciArchive.extract(a, dest));
    assertEquals("oci-archive " + a + ": " + message, e.getMessage());
    assertFalse(Files.exists(dest));
    assertFalse(Files.exists(tmp.resolve("x")), "nothing written outside the target");
    assertFalse(Files.exists(tmp.resolve("sub").resolve("x")), "nothing written outside the target");
    assertNoLeftovers();
    Files.delete(a);
  }

  @Test
  void hostileArchivesAreRejected() throws IOException {
    expectRejected("entry '../x' contains '..'",
        List.of(fileEntry("oci-layout"), fileEntry("../x")), Arrays.asList(LAYOUT, utf8("evil")));
    expectRejected("entry 'blobs/../../x' contains '..'",
        List.of(fileEntry("blobs/../../x")), Arrays.asList(utf8("evil")));
    expectRejected("entry '/x' has an absolute path",
        List.of(fileEntry("/x")), Arrays.asList(utf8("evil")));
    expectRejected("entry 'blobs' is a symlink to '..'; only regular files and directories are allowed",
        List.of(linkEntry("blobs", "..", TarConstants.LF_SYMLINK), fileEntry("blobs/x")),
        Arrays.asList(null, utf8("evil")));
    expectRejected("entry 'index.json' is a hard link to '/etc/passwd'; only regular files and directories are allowed",
        List.of(linkEntry("index.json", "/etc/passwd", TarConstants.LF_LINK)), Arrays.asList((byte[]) null));
    TarArchiveEntry dev = new TarArchiveEntry("dev", TarConstants.LF_CHR, true);
    expectRejected("entry 'dev' is a character device; only regular files and directories are allowed",
        List.of(dev), Arrays.asList((byte[]) null));
    expectRejected("entry 'index.json' appears twice",
        List.of(fileEntry("oci-layout"), fileEntry("index.json"), fileEntry("./index.json")),
        Arrays.asList(LAYOUT, EMPTY_INDEX, EMPTY_INDEX));
    expectRejected("entry 'blobs/sha256/abc' is not a blob (expected blobs/<algorithm>/<hex>)",
        List.of(fileEntry("blobs/sha256/abc")), Arrays.asList(utf8("x")));
    expectRejected("no oci-layout entry (not an OCI archive)",
        List.of(dirEntry("blobs/"), fileEntry("index.json")), Arrays.asList(null, EMPTY_INDEX));
    expectRejected("directory 'oci-layout' clashes with a file of the same name",
        List.of(fileEntry("oci-layout"), dirEntry("oci-layout/")), Arrays.asList(LAYOUT, null));
  }

  @Test
  void invalidIndexInArchive() throws IOException {
    Path a = tmp.resolve("a.tar");
    TestImages.rawTar(a, List.of(fileEntry("oci-layout"), fileEntry("index.json")),
        Arrays.asList(LAYOUT, utf8("{\"schemaVersion\":2,\"manifests\":[],\"manifests\":[]}")));
    OciFormatException e = assertThrows(OciFormatException.class, () -> OciArchive.extract(a, tmp.resolve("d")));
    assertTrue(e.getMessage().contains("index.json: image index is not valid JSON: Duplicate field 'manifests'"),
        e.getMessage());
    assertFalse(Files.exists(tmp.resolve("d")));
  }

  @Test
  void notATar() throws IOException {
    Path a = Files.write(tmp.resolve("a.tar"), new byte[3000]);
    // an all-zero file is an empty tar: no oci-layout
    assertThrows(OciFormatException.class, () -> OciArchive.extract(a, tmp.resolve("d")));
    Files.write(a, utf8("garbage".repeat(200)));
    assertThrows(IOException.class, () -> OciArchive.extract(a, tmp.resolve("d")));
    assertNoLeftovers();
  }

  private void assertNoLeftovers() throws IOException {
    try (Stream<Path> s = Files.walk(tmp)) {
      List<Path> hidden = s.filter(p -> p.getFileName().toString().startsWith(".")).toList();
      assertEquals(List.of(), hidden);
    }
  }

  static byte[] read(InputStream in) throws IOException {
    return in.readAllBytes();
  }
}
