package io.github.ostree4j.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.ostree.ObjectType;
import io.github.ostree4j.ostree.OstreeRepo;
import io.github.ostree4j.ostree.RepoMode;
import io.github.ostree4j.ostree.Xattrs;
import io.github.ostree4j.testing.OstreeCli;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile and broken streams: each is refused with a one-line error naming the entry and the
 * reason, nothing is written outside the target repository, and the repository is still clean
 * for the real {@code ostree fsck}, has no refs and no leftover temporary files (a commit already
 * written stays marked partial).
 */
class HostileTarIT {

  private static final String OBJECTS = "sysroot/ostree/repo/objects/";

  private static Path source;
  private static Checksum commit;
  private static byte[] export;
  private static byte[] chunk;
  private static Checksum tool;
  private static Checksum big;
  private static Checksum conf;

  @TempDir Path tmp;

  @BeforeAll
  static void baseStreams() throws IOException {
    OstreeCli.executable();
    source = ItWork.newDir("hostile-src").resolve("repo");
    OstreeRepo repo = OstreeRepo.init(source, RepoMode.ARCHIVE);
    byte[] random = new byte[300 * 1024];
    new Random(42).nextBytes(random);
    Xattrs x = Xattrs.builder().add("user.tag", "t".getBytes(StandardCharsets.UTF_8)).build();
    commit = new TestCommit(repo)
        .file("usr/bin/tool", "#!/bin/sh\necho tool\n".getBytes(StandardCharsets.UTF_8), 0755, 0, 0, x)
        .symlink("usr/bin/alias", "tool")
        .file("usr/share/big.bin", random, 0644, 0, 0, Xattrs.EMPTY)
        .file("usr/etc/conf", "a=1\n", 0640)
        .commit();
    CommitTarExporter exporter = new CommitTarExporter(repo, commit);
    for (ContentObjectInfo i : exporter.contentObjects().values()) {
      switch (i.paths().get(0)) {
        case "usr/bin/tool" -> tool = i.checksum();
        case "usr/share/big.bin" -> big = i.checksum();
        case "usr/etc/conf" -> conf = i.checksum();
        default -> { }
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    exporter.exportCommit(out);
    export = out.toByteArray();
    out = new ByteArrayOutputStream();
    exporter.exportChunk(Set.of(tool, conf), out);
    chunk = out.toByteArray();
  }

  private static String obj(Checksum c, String suffix) {
    return OBJECTS + c.hex().substring(0, 2) + "/" + c.hex().substring(2) + "." + suffix;
  }

  private static List<TarItems.Item> items() {
    return TarItems.read(export);
  }

  private static TarItems.Item item(List<TarItems.Item> items, String name) {
    return items.get(TarItems.indexOf(items, name));
  }

  /** Imports {@code tar} into a fresh archive repository, expects the failure and checks the repo. */
  private IOException assertRejected(boolean objectSet, InputStream tar, String entry, String reason)
      throws IOException {
    Path target = Files.createTempDirectory(tmp, "target");
    OstreeRepo repo = OstreeRepo.init(target, RepoMode.ARCHIVE);
    CommitTarImporter importer = new CommitTarImporter(repo);
    IOException e = assertThrows(IOException.class,
        () -> {
          if (objectSet) {
            importer.importObjectSet(tar);
          } else {
            importer.importCommit(tar);
          }
        });
    ItWork.assertNames(e, entry, reason);
    ItWork.assertCleanRepo(target);
    try (Stream<Path> next = Files.list(tmp)) {
      assertEquals(List.of(target), next.toList(), "nothing was written next to the repository");
    }
    if (repo.hasObject(commit, ObjectType.COMMIT)) {
      assertTrue(Files.exists(target.resolve("state/" + commit.hex() + ".commitpartial")),
          "a commit written by a failed import stays marked partial");
    }
    return e;
  }

  private IOException assertRejected(List<TarItems.Item> items, String entry, String reason) throws IOException {
    return assertRejected(false, new ByteArrayInputStream(TarItems.write(items)), entry, reason);
  }

  private IOException assertRejectedObjectSet(List<TarItems.Item> items, String entry, String reason)
      throws IOException {
    return assertRejected(true, new ByteArrayInputStream(TarItems.write(items)), entry, reason);
  }

  @Test
  void pathTraversalInAnObjectName() throws IOException {
    List<TarItems.Item> items = items();
    String evil = OBJECTS + "../../../../../../../tmp/evil.file";
    items.add(TarItems.indexOf(items, ".commit") + 1, TarItems.regular(evil, "x".getBytes(StandardCharsets.UTF_8)));
    assertRejected(items, evil, "'..'");
  }

  @Test
  void pathTraversalInAnXattrsLinkTarget() throws IOException {
    List<TarItems.Item> items = items();
    int i = TarItems.indexOf(items, tool.hex().substring(2) + ".file-xattrs-link");
    String name = items.get(i).name();
    items.set(i, TarItems.hardlink(name, "../../../../../etc/passwd"));
    assertRejected(items, name, "is not a .file-xattrs object");
  }

  @Test
  void badObjectSuffix() throws IOException {
    List<TarItems.Item> items = items();
    int i = TarItems.indexOf(items, ".dirtree");
    String bad = items.get(i).name().replace(".dirtree", ".exe");
    items.set(i, items.get(i).renamed(bad));
    assertRejected(items, bad, "unknown object type suffix '.exe'");
  }

  @Test
  void badObjectHex() throws IOException {
    List<TarItems.Item> items = items();
    int i = TarItems.indexOf(items, ".dirmeta");
    String name = items.get(i).name();
    String dir = name.substring(OBJECTS.length(), OBJECTS.length() + 2);
    String bad = OBJECTS + "g" + dir.charAt(1) + name.substring(OBJECTS.length() + 2);
    items.set(i, items.get(i).renamed(bad));
    assertRejected(items, bad, "is not 64 lowercase hex digits");
  }

  @Test
  void missingXattrsReference() throws IOException {
    List<TarItems.Item> items = items();
    items.remove(TarItems.indexOf(items, tool.hex().substring(2) + ".file-xattrs-link"));
    assertRejected(items, obj(tool, "file"), "missing xattrs reference");
  }

  @Test
  void danglingXattrsReference() throws IOException {
    List<TarItems.Item> items = items();
    int i = TarItems.indexOf(items, tool.hex().substring(2) + ".file-xattrs-link");
    TarItems.Item link = items.get(i);
    items.add(i, link.renamed(obj(conf, "file-xattrs-link")));
    assertRejected(items, link.name(), "dangling xattrs reference");
  }

  @Test
  void xattrsReferenceForAnotherObject() throws IOException {
    List<TarItems.Item> items = items();
    int i = TarItems.indexOf(items, tool.hex().substring(2) + ".file-xattrs-link");
    items.set(i, items.get(i).renamed(obj(conf, "file-xattrs-link")));
    assertRejected(items, obj(tool, "file"), "object mismatch");
  }

  @Test
  void contentChecksumMismatch() throws IOException {
    List<TarItems.Item> items = items();
    int i = TarItems.indexOf(items, big.hex().substring(2) + ".file");
    byte[] data = items.get(i).data().clone();
    data[data.length / 2] ^= 0x01;
    items.set(i, items.get(i).withData(data));
    assertRejected(items, obj(big, "file"), "checksum mismatch");
  }

  @Test
  void metadataChecksumMismatch() throws IOException {
    List<TarItems.Item> items = items();
    int i = TarItems.indexOf(items, ".dirtree");
    byte[] data = items.get(i).data().clone();
    data[0] ^= 0x01;
    items.set(i, items.get(i).withData(data));
    assertRejected(items, items.get(i).name(), "checksum mismatch");
  }

  @Test
  void metadataTooBig() throws IOException {
    List<TarItems.Item> items = items();
    int i = TarItems.indexOf(items, ".dirtree");
    items.set(i, items.get(i).withData(new byte[10 * 1024 * 1024 + 1]));
    assertRejected(items, items.get(i).name(), "exceeds the limit of 10 MiB");
  }

  @Test
  void metadataThatIsNotARegularFile() throws IOException {
    List<TarItems.Item> items = items();
    int i = TarItems.indexOf(items, ".dirmeta");
    String name = items.get(i).name();
    TarItems.Item link = TarItems.special(name, TarConstants.LF_SYMLINK);
    link.entry().setLinkName("/etc/passwd");
    items.set(i, link);
    assertRejected(items, name, "must be a regular file");
  }

  @Test
  void xattrsTooBig() throws IOException {
    List<TarItems.Item> items = items();
    int i = TarItems.indexOf(items, tool.hex().substring(2) + ".file-xattrs-link");
    items.set(i, items.get(i).withData(new byte[1024 * 1024 + 1]));
    assertRejected(items, items.get(i).name(), "exceeds the limit of 1 MiB");
  }

  @Test
  void sharedXattrsChecksumMismatch() throws IOException {
    List<TarItems.Item> items = items();
    int i = TarItems.indexOf(items, tool.hex().substring(2) + ".file-xattrs-link");
    byte[] xattrs = items.get(i).data();
    String h = OldXattrsFormsIT.sha256(xattrs);
    String shared = OBJECTS + h.substring(0, 2) + "/" + h.substring(2) + ".file-xattrs";
    byte[] wrong = xattrs.clone();
    wrong[wrong.length - 2] ^= 0x01;
    String linkName = items.get(i).name();
    items.set(i, TarItems.hardlink(linkName, shared));
    items.add(i, TarItems.regular(shared, wrong));
    assertRejected(items, shared, "xattrs checksum mismatch");
  }

  @Test
  void contentObjectAsACharacterDevice() throws IOException {
    assertContentObjectOfType(TarConstants.LF_CHR, "a character device");
  }

  @Test
  void contentObjectAsABlockDevice() throws IOException {
    assertContentObjectOfType(TarConstants.LF_BLK, "a block device");
  }

  @Test
  void contentObjectAsAFifo() throws IOException {
    assertContentObjectOfType(TarConstants.LF_FIFO, "a fifo");
  }

  private void assertContentObjectOfType(byte type, String what) throws IOException {
    List<TarItems.Item> items = items();
    int i = TarItems.indexOf(items, conf.hex().substring(2) + ".file");
    items.set(i, TarItems.special(items.get(i).name(), type));
    assertRejected(items, obj(conf, "file"), "cannot be " + what);
  }

  @Test
  void contentObjectAsAHardlinkOutside() throws IOException {
    List<TarItems.Item> items = items();
    int i = TarItems.indexOf(items, conf.hex().substring(2) + ".file");
    items.set(i, TarItems.hardlink(items.get(i).name(), "/etc/shadow"));
    assertRejected(items, obj(conf, "file"), "cannot be a hard link");
  }

  @Test
  void commitMustComeFirst() throws IOException {
    List<TarItems.Item> items = items();
    int c = TarItems.indexOf(items, ".commit");
    TarItems.Item commitItem = items.remove(c);
    items.add(c + 1, commitItem);
    assertRejected(items, items.get(c).name(), "expected the commit object first");
  }

  @Test
  void secondCommit() throws IOException {
    List<TarItems.Item> items = items();
    TarItems.Item commitItem = item(items, ".commit");
    items.add(TarItems.indexOf(items, ".dirtree") + 1, commitItem);
    assertRejected(items, commitItem.name(), "a second commit object");
  }

  @Test
  void commitmetaOfAnotherCommit() throws IOException {
    List<TarItems.Item> items = items();
    int c = TarItems.indexOf(items, ".commit");
    String other = OBJECTS + "ab/" + "c".repeat(62) + ".commitmeta";
    items.add(c + 1, TarItems.regular(other, new byte[0]));
    assertRejected(items, other, "does not belong to commit");
  }

  @Test
  void dotDotInACheckoutPath() throws IOException {
    List<TarItems.Item> items = items();
    String evil = "usr/../../etc/cron.d/evil";
    items.add(items.size(), TarItems.hardlink(evil, obj(conf, "file")));
    assertRejected(items, evil, "'..'");
  }

  @Test
  void duplicateObjectInObjectSetMode() throws IOException {
    List<TarItems.Item> items = TarItems.read(chunk);
    int link = TarItems.indexOf(items, tool.hex().substring(2) + ".file-xattrs-link");
    List<TarItems.Item> again = new ArrayList<>(items.subList(link, link + 2));
    items.addAll(again);
    assertRejectedObjectSet(items, obj(tool, "file"), "duplicate content object in object set mode");
  }

  @Test
  void metadataObjectInObjectSetMode() throws IOException {
    List<TarItems.Item> items = TarItems.read(chunk);
    TarItems.Item dirtree = item(items(), ".dirtree");
    items.add(TarItems.indexOf(items, "config") + 1, dirtree);
    assertRejectedObjectSet(items, dirtree.name(), "found metadata object (dirtree) in object set mode");
  }

  @Test
  void streamCutInTheMiddleOfAFile() throws IOException {
    byte[] header = obj(big, "file").getBytes(StandardCharsets.US_ASCII);
    int at = indexOf(export, header);
    byte[] cut = Arrays.copyOf(export, at + 512 + 100_000);
    assertRejected(false, new ByteArrayInputStream(cut), obj(big, "file"), "truncated");
  }

  @Test
  void streamCutAtAnEntryBoundary() throws IOException {
    byte[] cut = Arrays.copyOf(export, export.length - 1024);
    assertRejected(false, new ByteArrayInputStream(cut), "var/tmp/", "end-of-archive");
  }

  @Test
  void gzipCutInTheMiddle() throws IOException {
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(export);
    }
    byte[] compressed = gz.toByteArray();
    byte[] cut = Arrays.copyOf(compressed, compressed.length / 2);
    try (InputStream in = new GzipCompressorInputStream(new ByteArrayInputStream(cut))) {
      assertRejected(false, in, obj(big, "file"), "truncated or corrupt");
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i += 512) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("header not found");
  }
}
