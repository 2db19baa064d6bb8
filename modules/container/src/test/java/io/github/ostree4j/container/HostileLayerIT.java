package io.github.ostree4j.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ostree4j.oci.Compression;
import io.github.ostree4j.oci.Digest;
import io.github.ostree4j.ostree.CommitOptions;
import io.github.ostree4j.ostree.OstreeRepo;
import io.github.ostree4j.ostree.RepoMode;
import io.github.ostree4j.testing.OstreeCli;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Hostile derived layers fail with one clear error naming the entry; the repository stays clean
 * for the real {@code ostree fsck} and no ref is written, although content objects of the entries
 * before the bad one were already stored.
 */
class HostileLayerIT {

  /** A big first entry, so that content is streamed into the repository before the failure. */
  static final String BIG = "b".repeat(3 << 20);

  enum Hostile {
    DOTDOT("usr/../../escape"),
    HARDLINK_OUT_OF_THE_TREE("usr/lib/evil-link"),
    HARDLINK_TO_DROPPED_PATH("usr/lib/opt-link"),
    CHARACTER_DEVICE("usr/lib/null"),
    BLOCK_DEVICE("usr/lib/sda"),
    FIFO("usr/lib/fifo"),
    NAME_NOT_UTF8("usr/lib/caf"),
    OVERSIZED_PAX_HEADER("8 MiB"),
    TRUNCATED_TAR("usr/lib/cut"),
    TRUNCATED_GZIP("");

    final String named;

    Hostile(String named) {
      this.named = named;
    }
  }

  @TempDir Path tmp;

  static byte[] layer(Hostile h) throws IOException {
    LayerTar t = h == Hostile.NAME_NOT_UTF8 ? new LayerTar("ISO-8859-1") : new LayerTar();
    t.file("usr/share/big", BIG).file("opt/real", "r");
    switch (h) {
      case DOTDOT -> t.file("usr/../../escape", "escaped");
      case HARDLINK_OUT_OF_THE_TREE -> t.hardlink("usr/lib/evil-link", "../../etc/passwd");
      case HARDLINK_TO_DROPPED_PATH -> t.hardlink("usr/lib/opt-link", "opt/real");
      case CHARACTER_DEVICE -> t.special("usr/lib/null", TarConstants.LF_CHR);
      case BLOCK_DEVICE -> t.special("usr/lib/sda", TarConstants.LF_BLK);
      case FIFO -> t.special("usr/lib/fifo", TarConstants.LF_FIFO);
      case NAME_NOT_UTF8 -> t.file("usr/lib/caf\u00e9", "x");
      case OVERSIZED_PAX_HEADER -> t.fileWithXattr("usr/lib/huge", "h", "user.big", "v".repeat(9 << 20));
      case TRUNCATED_TAR -> {
        t.file("usr/lib/cut", "c".repeat(100_000));
        byte[] whole = t.bytes();
        return Arrays.copyOf(whole, whole.length - 1024 - 60_000);
      }
      case TRUNCATED_GZIP -> {
        StringBuilder noise = new StringBuilder();
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < 200_000; i++) {
          noise.append((char) ('a' + random.nextInt(26)));
        }
        t.file("usr/lib/more", noise.toString());
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
          out.write(t.bytes());
        }
        byte[] whole = gz.toByteArray();
        return Arrays.copyOf(whole, whole.length - 50_000);
      }
      default -> throw new AssertionError(h);
    }
    return t.bytes();
  }

  @ParameterizedTest
  @EnumSource(Hostile.class)
  void hostileLayerFailsCleanly(Hostile h) throws Exception {
    OstreeCli.executable();
    Path repoDir = tmp.resolve("repo");
    OstreeRepo repo = OstreeRepo.init(repoDir, RepoMode.BARE_USER);
    byte[] blob = layer(h);
    String ref = ContainerRefs.layerRef(Digest.sha256(blob));
    IOException e = assertThrows(IOException.class, () -> {
      try (InputStream in = Compression.decompressDetected(new ByteArrayInputStream(blob))) {
        new DerivedLayerImporter(repo).importLayer(in, CommitOptions.builder().branch(ref).build());
      }
    });
    String message = e.getMessage();
    assertFalse(message == null || message.isBlank());
    assertFalse(message.contains("\n"), "one line: " + message);
    assertTrue(message.contains(h.named), message);

    assertTrue(Files.notExists(tmp.resolve("escape")));
    OstreeCli.run("--repo=" + repoDir, "fsck");
    assertEquals("", OstreeCli.run("--repo=" + repoDir, "refs").stdout().strip());
    // the content of the first entry was stored before the failure, as a complete object
    assertTrue(Files.walk(repoDir.resolve("objects")).anyMatch(p -> p.toString().endsWith(".file")));
  }

  @Test
  void absoluteSymlinksAreJustData() throws Exception {
    OstreeCli.executable();
    Path repoDir = tmp.resolve("repo");
    OstreeRepo repo = OstreeRepo.init(repoDir, RepoMode.BARE_USER);
    byte[] blob = new LayerTar().symlink("usr/lib/abs", "/etc/passwd").symlink("usr/lib/up", "../../../../x").bytes();
    String ref = ContainerRefs.layerRef(Digest.sha256(blob));
    new DerivedLayerImporter(repo).importLayer(new ByteArrayInputStream(blob), CommitOptions.builder().branch(ref).build());
    OstreeCli.run("--repo=" + repoDir, "fsck");
    String ls = OstreeCli.run("--repo=" + repoDir, "ls", "-R", ref).stdout();
    assertTrue(ls.contains("/usr/lib/abs -> /etc/passwd"), ls);
    assertTrue(ls.contains("/usr/lib/up -> ../../../../x"), ls);
  }
}
