package io.github.ostree4j.build.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ostree4j.testing.Cmd;
import io.github.ostree4j.testing.Peers;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The layer tar of a hand-made change tree, read back by commons-compress and by GNU tar. */
class LayerTarWriterTest {

  static final String LONG_DIR = "d".repeat(120);
  static final String LONG_FILE = "f".repeat(120);
  static final String LONG_TARGET = "/t".repeat(75);
  static final byte[] BINARY = {0, 1, 2, (byte) 0xff, '\n', '='};

  @TempDir Path tmp;

  @BeforeEach
  void root() {
    Peers.requireRoot("chown and mknod");
  }

  /** The change tree; {@code reversed} creates the same entries in the opposite order. */
  private Path upper(String name, boolean reversed) throws IOException {
    Path u = tmp.resolve(name);
    Files.createDirectories(u);
    SpecialFiles specials = new SpecialFiles(tmp.resolve(name + "-whiteout"));
    List<IoStep> steps = new java.util.ArrayList<>(List.of(
        () -> {
          Files.createDirectories(u.resolve("a"));
          Files.writeString(u.resolve("a/file"), "hello");
          Files.createLink(u.resolve("a/link"), u.resolve("a/file"));
          specials.whiteout(u.resolve("a/gone"));
          xattr(u.resolve("a/file"), "bin", BINARY);
          xattr(u.resolve("a"), "x", "1".getBytes(StandardCharsets.UTF_8));
          Metadata.setOwnerAndMode(u.resolve("a/file"), 1000, 1000, 0640);
        },
        () -> {
          Files.createDirectories(u.resolve("opq"));
          Files.writeString(u.resolve("opq/new"), "n");
          ChangeTreeFormat.markOpaque(u.resolve("opq"));
          xattr(u.resolve("opq"), "overlay.origin", BINARY);
        },
        () -> {
          Files.createDirectories(u.resolve("long").resolve(LONG_DIR));
          Files.writeString(u.resolve("long").resolve(LONG_DIR).resolve(LONG_FILE), "long");
          Files.createSymbolicLink(u.resolve("longsym"), Path.of(LONG_TARGET));
          Files.createSymbolicLink(u.resolve("sym"), Path.of("a/file"));
        },
        () -> {
          Files.writeString(u.resolve("suid"), "s");
          Metadata.setOwnerAndMode(u.resolve("suid"), 0, 0, 04755);
          Files.writeString(u.resolve("caf\u00e9"), "c");
          Cmd.of("mkfifo", u.resolve("fifo").toString()).run().checkSuccess();
          Cmd.of("mknod", u.resolve("chr").toString(), "c", "1", "3").run().checkSuccess();
          try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            s.bind(UnixDomainSocketAddress.of(u.resolve("sock")));
          }
        }));
    if (reversed) {
      java.util.Collections.reverse(steps);
    }
    for (IoStep s : steps) {
      s.run();
    }
    Metadata.setOwnerAndMode(u.resolve("a"), 1000, 1000, 0750);
    try (var all = Files.walk(u)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        FileMeta m = FileMeta.read(p);
        if (m.isDir() || m.isRegular() || m.isSymlink()) {
          Metadata.setMtime(p, FileTime.from(100, TimeUnit.SECONDS));
        }
      }
    }
    Metadata.setMtime(u.resolve("a/file"), FileTime.from(200, TimeUnit.SECONDS));
    return u;
  }

  interface IoStep {
    void run() throws IOException;
  }

  private static void xattr(Path p, String name, byte[] value) throws IOException {
    Files.getFileAttributeView(p, UserDefinedFileAttributeView.class).write(name, ByteBuffer.wrap(value));
  }

  static final List<String> NAMES = List.of(
      "a/", "a/.wh.gone", "a/file", "a/link", "caf\u00e9", "chr", "fifo", "long/", "long/" + LONG_DIR + "/",
      "long/" + LONG_DIR + "/" + LONG_FILE, "longsym", "opq/", "opq/.wh..wh..opq", "opq/new", "suid", "sym");

  @Test
  void entriesInOrderWithTheirMetadata() throws Exception {
    Path tar = tmp.resolve("layer.tar");
    LayerCapture c = LayerTarWriter.write(upper("u", false), tar, OptionalLong.empty(), Map.of());
    assertEquals(NAMES, LayerEntries.names(tar));
    assertFalse(c.empty());
    assertEquals(Files.size(tar), c.size());
    Map<String, LayerEntries.Entry> e = LayerEntries.byName(tar);
    assertEquals(new LayerEntries.Entry("a/", '5', 0750, 1000, 1000, 0, "", 100, Map.of("user.x", "1"), ""),
        e.get("a/"));
    assertEquals('0', e.get("a/file").type());
    assertEquals(0640, e.get("a/file").mode());
    assertEquals(200, e.get("a/file").mtime());
    assertEquals("hello", e.get("a/file").content());
    assertEquals(List.of("user.bin"), List.copyOf(e.get("a/file").xattrs().keySet()));
    assertEquals("1 a/file", e.get("a/link").type() + " " + e.get("a/link").link());
    for (String marker : List.of("a/.wh.gone", "opq/.wh..wh..opq")) {
      assertEquals(new LayerEntries.Entry(marker, '0', 0, 0, 0, 0, "", 0, Map.of(), ""), e.get(marker));
    }
    assertEquals(Map.of(), e.get("opq/").xattrs(), "overlayfs bookkeeping stays out");
    assertEquals(LONG_TARGET, e.get("longsym").link());
    assertEquals("a/file", e.get("sym").link());
    assertEquals(04755, e.get("suid").mode());
    assertEquals('6', e.get("fifo").type());
    assertEquals('3', e.get("chr").type());
    assertFalse(LayerEntries.names(tar).contains("sock"));
    String sha = Cmd.of("sha256sum", tar.toString()).run().checkSuccess().stdout().split(" ")[0];
    assertEquals("sha256:" + sha, c.diffId().toString());
  }

  @Test
  void gnuTarReadsNamesLinksDevicesAndBinaryXattrs() throws Exception {
    Path tar = tmp.resolve("layer.tar");
    LayerTarWriter.write(upper("u", false), tar, OptionalLong.empty(), Map.of());
    List<String> listed = Cmd.of("tar", "-tf", tar.toString()).env("LC_ALL", "C.UTF-8").run().checkSuccess()
        .stdoutLines();
    assertEquals(NAMES, listed);
    String verbose = Cmd.of("tar", "-tvf", tar.toString(), "chr", "longsym").env("LC_ALL", "C").run().checkSuccess()
        .stdout();
    assertTrue(verbose.contains("1,3"), verbose);
    assertTrue(verbose.contains("longsym -> " + LONG_TARGET), verbose);
    Path out = tmp.resolve("out");
    Files.createDirectories(out);
    Cmd.of("tar", "--xattrs", "--xattrs-include=*", "--numeric-owner", "-xpf", tar.toString(), "-C", out.toString())
        .run().checkSuccess();
    UserDefinedFileAttributeView v = Files.getFileAttributeView(out.resolve("a/file"),
        UserDefinedFileAttributeView.class);
    ByteBuffer b = ByteBuffer.allocate(v.size("bin"));
    v.read("bin", b);
    assertArrayEquals(BINARY, java.util.Arrays.copyOf(b.array(), b.position()));
    assertEquals(1000, (Integer) Files.getAttribute(out.resolve("a/file"), "unix:uid"));
    assertEquals("long", Files.readString(out.resolve("long").resolve(LONG_DIR).resolve(LONG_FILE)));
    assertEquals(Files.getAttribute(out.resolve("a/file"), "unix:ino"),
        Files.getAttribute(out.resolve("a/link"), "unix:ino"));
  }

  @Test
  void sameTreeSameBytesWhateverTheCreationOrder() throws Exception {
    Path t1 = tmp.resolve("1.tar");
    Path t2 = tmp.resolve("2.tar");
    LayerCapture c1 = LayerTarWriter.write(upper("u1", false), t1, OptionalLong.empty(), Map.of());
    LayerCapture c2 = LayerTarWriter.write(upper("u2", true), t2, OptionalLong.empty(), Map.of());
    assertEquals(c1.diffId(), c2.diffId());
    assertArrayEquals(Files.readAllBytes(t1), Files.readAllBytes(t2));
  }

  @Test
  void clampLowersLaterTimesOnly() throws Exception {
    Path tar = tmp.resolve("layer.tar");
    LayerTarWriter.write(upper("u", false), tar, OptionalLong.of(150), Map.of());
    Map<String, LayerEntries.Entry> e = LayerEntries.byName(tar);
    assertEquals(150, e.get("a/file").mtime());
    assertEquals(100, e.get("a/").mtime());
  }

  @Test
  void hostXattrsAreAddedSorted() throws Exception {
    Path tar = tmp.resolve("layer.tar");
    var host = new java.util.TreeMap<String, byte[]>();
    host.put("security.capability", new byte[] {1, 0, 0, 2});
    LayerTarWriter.write(upper("u", false), tar, OptionalLong.empty(), Map.of("suid", host, "sym", host));
    Map<String, LayerEntries.Entry> e = LayerEntries.byName(tar);
    assertEquals(List.of("security.capability"), List.copyOf(e.get("suid").xattrs().keySet()));
    assertEquals(List.of("security.capability"), List.copyOf(e.get("sym").xattrs().keySet()));
  }

  @Test
  void emptyTreeIsAnEmptyLayer() throws Exception {
    Path u = tmp.resolve("empty");
    Files.createDirectories(u);
    LayerCapture c = LayerTarWriter.write(u, tmp.resolve("e.tar"), OptionalLong.empty(), Map.of());
    assertTrue(c.empty());
    assertEquals(1024, c.size());
    assertArrayEquals(new byte[1024], Files.readAllBytes(c.tar()));
  }

  @Test
  void reservedWhiteoutNamesAreRefused() throws Exception {
    Path u = tmp.resolve("reserved");
    Files.createDirectories(u.resolve("d"));
    Files.writeString(u.resolve("d/.wh.sneaky"), "x");
    Path tar = tmp.resolve("r.tar");
    IOException e = assertThrows(IOException.class,
        () -> LayerTarWriter.write(u, tar, OptionalLong.empty(), Map.of()));
    assertEquals("cannot write /d/.wh.sneaky to a layer: names starting with .wh. are reserved for whiteouts",
        e.getMessage());
    assertFalse(Files.exists(tar, LinkOption.NOFOLLOW_LINKS));
  }
}
