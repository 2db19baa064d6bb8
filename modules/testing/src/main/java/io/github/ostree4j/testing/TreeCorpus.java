package io.github.ostree4j.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Deterministic file trees for conformance tests: each named case exercises one family of edge
 * cases (hard links, special mode bits, unusual names, long paths, xattrs, ...).
 *
 * <p>Trees are fully determined by their name: contents, modes (applied with an explicit chmod,
 * so the umask does not matter), symlink targets, xattrs and modification times (all set to
 * {@link #MTIME}) are fixed. Ownership is whatever the current user is, except in the
 * {@code owners} case when running as root. Typical use in a parameterized test:
 *
 * <pre>{@code
 * @ParameterizedTest
 * @MethodSource("io.github.ostree4j.testing.TreeCorpus#names")
 * void commitMatchesOstree(String name, @TempDir Path tmp) throws Exception {
 *   Path tree = TreeCorpus.write(tmp.resolve("tree"), name);
 *   ...
 * }
 * }</pre>
 *
 * <p>The cases are:
 *
 * <dl>
 *   <dt>{@code vectors}
 *   <dd>exactly the tree of {@code shared/testdata/ostree-vectors/make-vectors.sh}
 *   <dt>{@code hardlinks}
 *   <dd>several names for one inode, in the same and in different directories
 *   <dt>{@code special-modes}
 *   <dd>setuid, setgid, sticky and unusual permission bits on files and directories
 *   <dt>{@code names}
 *   <dd>non-ASCII and 255-byte names, names that test byte-wise sort order
 *   <dt>{@code long-paths}
 *   <dd>paths around and beyond the tar ustar limits (100, 155+100 and 255+ characters)
 *   <dt>{@code empty}
 *   <dd>empty files and (nested) empty directories
 *   <dt>{@code deep}
 *   <dd>60 nested directories
 *   <dt>{@code symlinks}
 *   <dd>symlinks to directories, dangling, absolute, {@code ..}, chains, loops, long targets
 *   <dt>{@code xattrs}
 *   <dd>{@code user.*} xattrs on files and directories, binary, empty and long values
 *   <dt>{@code big-file}
 *   <dd>a 200 MiB pseudo-random file ({@link #BIG_FILE_SIZE}) and a few small files
 *   <dt>{@code owners}
 *   <dd>files owned by 1000:1000 and 0:5 (ownership applied only when running as root)
 * </dl>
 *
 * <p>The cases {@code vectors} and {@code xattrs} need a filesystem with {@code user.*} xattrs
 * (see {@link #supportsUserXattrs(Path)}). File names are created through the JVM's file name
 * encoding, which must be UTF-8: run the JVM with {@code LC_ALL=C.UTF-8} (the build does).
 */
public final class TreeCorpus {

  /** Name of the case reproducing the OSTree test vectors. */
  public static final String VECTORS = "vectors";

  /** Name of the case with the 200 MiB file. */
  public static final String BIG_FILE = "big-file";

  /** Name of the case whose ownership is only applied when running as root. */
  public static final String OWNERS = "owners";

  /** Modification (and access) time of every entry of every tree: 2020-01-01T00:00:00Z. */
  public static final FileTime MTIME = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));

  /** Size of {@code big.bin} in the {@code big-file} case: 200 MiB. */
  public static final long BIG_FILE_SIZE = 200L * 1024 * 1024;

  /** Seed of the xorshift generator that produces {@code big.bin}. */
  public static final long BIG_FILE_SEED = 0x9E3779B97F4A7C15L;

  /** A file name of exactly 255 bytes, ASCII only (in the {@code names} case). */
  public static final String LONG_ASCII_NAME = "n".repeat(251) + ".txt";

  /**
   * A file name of exactly 255 bytes in UTF-8 (3 + 84 three-byte characters; in the {@code names}
   * case).
   */
  public static final String LONG_UTF8_NAME = "abc" + "日本".repeat(42);

  /**
   * The names used to check sort order, in byte-wise (ostree) order; they exist as files in
   * {@code names/order/files/} and as directories in {@code names/order/dirs/}.
   */
  public static final List<String> ORDER_NAMES =
      List.of("-dash", ".hidden", "10", "9", "B", "Z", "_x", "a", "é");

  private static final List<String> SMALL_NAMES =
      List.of(
          VECTORS,
          "hardlinks",
          "special-modes",
          "names",
          "long-paths",
          "empty",
          "deep",
          "symlinks",
          "xattrs",
          OWNERS);

  private TreeCorpus() {}

  /**
   * Returns the names of all cases, including {@code big-file}.
   *
   * @return the case names in a stable order
   */
  public static List<String> names() {
    return names(true);
  }

  /**
   * Returns the names of the cases.
   *
   * @param includeBig whether to include the {@code big-file} case (200 MiB on disk)
   * @return the case names in a stable order ({@code big-file} last)
   */
  public static List<String> names(boolean includeBig) {
    if (!includeBig) {
      return SMALL_NAMES;
    }
    List<String> all = new ArrayList<>(SMALL_NAMES);
    all.add(BIG_FILE);
    return List.copyOf(all);
  }

  /**
   * Tells whether a case sets {@code user.*} xattrs and thus needs a filesystem supporting them.
   *
   * @param name a case name
   * @return true for {@code vectors} and {@code xattrs}
   */
  public static boolean usesXattrs(String name) {
    checkName(name);
    return name.equals(VECTORS) || name.equals("xattrs");
  }

  /**
   * Writes the tree of case {@code name} into {@code dir}.
   *
   * @param dir the root of the new tree; created if missing, must be empty if it exists; its mode
   *     becomes 0755
   * @param name one of {@link #names()}
   * @return {@code dir}
   * @throws IllegalArgumentException for an unknown case name
   * @throws IllegalStateException when the JVM file name encoding is not UTF-8, or when the
   *     filesystem does not support {@code user.*} xattrs for a case that needs them
   * @throws UncheckedIOException on other I/O errors
   */
  public static Path write(Path dir, String name) {
    checkName(name);
    checkFileNameEncoding();
    try {
      prepareRoot(dir);
      Tree t = new Tree(dir);
      switch (name) {
        case VECTORS -> vectors(t);
        case "hardlinks" -> hardlinks(t);
        case "special-modes" -> specialModes(t);
        case "names" -> names(t);
        case "long-paths" -> longPaths(t);
        case "empty" -> empty(t);
        case "deep" -> deep(t);
        case "symlinks" -> symlinks(t);
        case "xattrs" -> xattrs(t);
        case BIG_FILE -> bigFile(t);
        case OWNERS -> owners(t);
        default -> throw new AssertionError(name);
      }
      t.finish();
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write tree corpus " + name + " to " + dir, e);
    }
  }

  /**
   * Tells whether {@code user.*} xattrs can be set on files in {@code dir}.
   *
   * @param dir an existing, writable directory
   * @return true when a probe xattr could be written
   */
  public static boolean supportsUserXattrs(Path dir) {
    Path probe = null;
    try {
      probe = Files.createTempFile(dir, ".xattr-probe", "");
      UserDefinedFileAttributeView view =
          Files.getFileAttributeView(probe, UserDefinedFileAttributeView.class);
      if (view == null) {
        return false;
      }
      view.write("ostree4j.probe", ByteBuffer.wrap(new byte[] {1}));
      return view.list().contains("ostree4j.probe");
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    } finally {
      if (probe != null) {
        try {
          Files.deleteIfExists(probe);
        } catch (IOException e) {
          // ignored: a stray probe file in a temp dir is harmless
        }
      }
    }
  }

  /**
   * Writes {@code size} bytes of xorshift64 output (little-endian words) to {@code file},
   * streaming in 1 MiB chunks. The same seed and size always produce the same bytes.
   *
   * @param file the file to create or truncate
   * @param size number of bytes
   * @param seed non-zero generator seed
   * @throws IOException on write errors
   */
  public static void writePseudoRandomFile(Path file, long size, long seed) throws IOException {
    if (seed == 0) {
      throw new IllegalArgumentException("xorshift seed must not be 0");
    }
    long x = seed;
    ByteBuffer buf = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
    try (OutputStream out =
        Files.newOutputStream(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      long remaining = size;
      while (remaining > 0) {
        buf.clear();
        while (buf.remaining() >= 8) {
          x ^= x << 13;
          x ^= x >>> 7;
          x ^= x << 17;
          buf.putLong(x);
        }
        int n = (int) Math.min(remaining, buf.capacity());
        out.write(buf.array(), 0, n);
        remaining -= n;
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The cases

  private static void vectors(Tree t) throws IOException {
    t.dir("emptydir", 0755);
    t.dir("sub", 0755);
    t.file("hello.txt", "hello\n", 0644);
    t.file("run.sh", "#!/bin/sh\necho hi\n", 0755);
    t.symlink("link", "hello.txt");
    t.file("sub/x.dat", "x", 0644);
    t.xattr("sub/x.dat", "test", "val");
  }

  private static void hardlinks(Tree t) throws IOException {
    t.file("a/original.txt", "shared content\n", 0644);
    t.hardlink("a/same-dir-link.txt", "a/original.txt");
    t.hardlink("b/other-dir-link.txt", "a/original.txt");
    t.hardlink("b/c/deep-link.txt", "a/original.txt");
    t.hardlink("top-link.txt", "a/original.txt");
    // Same content, separate inode: must stay a separate file.
    t.file("copy-not-linked.txt", "shared content\n", 0644);
    t.file("bin/tool", "#!/bin/sh\necho tool\n", 0755);
    t.hardlink("bin/tool-alias", "bin/tool");
    t.hardlink("lib/tool-elsewhere", "bin/tool");
    t.file("empty/e1", "", 0644);
    t.hardlink("empty/e2", "empty/e1");
    t.file("private/secret", "secret\n", 0600);
    t.hardlink("public/secret-link", "private/secret");
  }

  private static void specialModes(Tree t) throws IOException {
    t.file("setuid", "#!/bin/sh\necho setuid\n", 04755);
    t.file("setgid", "#!/bin/sh\necho setgid\n", 02755);
    t.file("setuid-setgid", "#!/bin/sh\necho both\n", 06755);
    t.dir("sticky-dir", 01777);
    t.file("sticky-dir/inside", "inside sticky\n", 0666);
    t.dir("setgid-dir", 02775);
    t.file("setgid-dir/inside", "inside setgid\n", 0664);
    t.dir("setgid-dir/plain-subdir", 0755);
    t.dir("sticky-setgid-dir", 03775);
    t.file("mode-0600", "private\n", 0600);
    t.file("mode-0000", "no access\n", 0000);
    t.file("mode-0444", "read only\n", 0444);
    t.file("mode-0640", "group readable\n", 0640);
    t.file("mode-0700", "#!/bin/sh\necho owner only\n", 0700);
    t.file("mode-0777", "#!/bin/sh\necho everyone\n", 0777);
    t.file("mode-0111", "execute only\n", 0111);
    t.dir("dir-0700", 0700);
    t.file("dir-0700/inside", "inside 0700\n", 0644);
    t.dir("dir-0711", 0711);
    t.dir("dir-0777", 0777);
  }

  private static void names(Tree t) throws IOException {
    t.file("é", "precomposed e-acute (U+00E9)\n", 0644);
    t.file("e\u0301", "decomposed e + combining acute (U+0065 U+0301)\n", 0644);
    t.file("日本語.txt", "日本語\n", 0644);
    t.file("\uD83D\uDE00.txt", "emoji\n", 0644);
    t.file("rocket-\uD83D\uDE80-\uD83D\uDC69\u200D\uD83D\uDCBB", "emoji with ZWJ\n", 0644);
    t.file("Ünïcödé-Mixed", "latin-1 range\n", 0644);
    t.dir("ディレクトリ", 0755);
    t.file("ディレクトリ/ファイル.txt", "in a non-ASCII directory\n", 0644);
    t.file(LONG_ASCII_NAME, "255-byte ASCII name\n", 0644);
    t.file(LONG_UTF8_NAME, "255-byte UTF-8 name\n", 0644);
    t.file("with space", "space\n", 0644);
    t.file("trailing-space ", "trailing space\n", 0644);
    t.file("quote'double\"", "quotes\n", 0644);
    t.file("back\\slash", "backslash\n", 0644);
    t.file("glob*?[x]", "glob characters\n", 0644);
    t.file("tab\there", "tab\n", 0644);
    t.file("percent%20hash#question?", "URL-special characters\n", 0644);
    t.file("colon:semi;amp&", "shell-special characters\n", 0644);
    t.file("...", "three dots\n", 0644);
    t.file("..x", "dot dot x\n", 0644);
    t.dir("order/files", 0755);
    t.dir("order/dirs", 0755);
    for (String n : ORDER_NAMES) {
      t.file("order/files/" + n, n + "\n", 0644);
      t.dir("order/dirs/" + n, 0755);
    }
    t.file("order/files/A", "A\n", 0644);
    t.file("order/files/b", "b\n", 0644);
    t.file("order/files/a.b", "a.b\n", 0644);
    t.file("order/files/a-b", "a-b\n", 0644);
    t.file("order/files/a_b", "a_b\n", 0644);
    t.file("order/files/aa", "aa\n", 0644);
    t.file("order/files/~tilde", "~tilde\n", 0644);
  }

  private static void longPaths(Tree t) throws IOException {
    // Exactly 100 characters: the longest path that fits the ustar name field alone.
    String d100 = "path-of-exactly-100/";
    t.file(d100 + "f".repeat(100 - d100.length()), "path of 100 characters\n", 0644);
    String d101 = "path-of-exactly-101/";
    t.file(d101 + "g".repeat(101 - d101.length()), "path of 101 characters\n", 0644);
    // A single component of 100 and of 101 characters (the latter cannot be split by ustar).
    t.file("n".repeat(100), "name of 100 characters\n", 0644);
    t.file("m".repeat(101), "name of 101 characters\n", 0644);
    // 155 + 1 + 100 = 256: the longest ustar prefix/name split; 156 + 1 + 100 needs PAX.
    t.file("p".repeat(155) + "/" + "q".repeat(100), "ustar prefix 155 + name 100\n", 0644);
    t.file("r".repeat(156) + "/" + "s".repeat(100), "prefix 156: needs PAX\n", 0644);
    // Paths above 255 characters made of ordinary components.
    StringBuilder p = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      p.append(component(i, 60)).append('/');
    }
    String over255 = p + "file-beyond-255-characters.txt";
    t.file(over255, "path of " + over255.length() + " characters\n", 0644);
    // About 1000 characters.
    StringBuilder q = new StringBuilder();
    for (int i = 0; i < 10; i++) {
      q.append(component(i, 99)).append('/');
    }
    String around1000 = q + "file-around-1000-characters.txt";
    t.file(around1000, "path of " + around1000.length() + " characters\n", 0644);
    // A symlink and a hard link whose targets are long paths.
    t.symlink("link-to-long-path", over255);
    t.hardlink("hardlink-to-long-path", over255);
  }

  private static void empty(Tree t) throws IOException {
    t.file("empty.txt", "", 0644);
    t.file("empty-exec", "", 0755);
    t.dir("emptydir", 0755);
    t.dir("nested/empty/dirs/all/the/way", 0755);
    t.file("dir-with-empty/empty", "", 0644);
    t.dir("dir-with-empty/also-empty", 0700);
    t.dir("only-empty-subdirs/x", 0755);
    t.dir("only-empty-subdirs/y", 0755);
  }

  private static void deep(Tree t) throws IOException {
    StringBuilder p = new StringBuilder();
    for (int i = 0; i < 60; i++) {
      p.append(String.format("d%02d/", i));
      if (i == 29) {
        t.file(p + "middle.txt", "depth 30\n", 0644);
      }
    }
    String bottom = p.toString();
    t.dir(bottom.substring(0, bottom.length() - 1), 0755);
    t.file(bottom + "leaf.txt", "depth 60\n", 0644);
    t.file("top.txt", "top\n", 0644);
    t.symlink(bottom + "up-to-top", "../".repeat(60) + "top.txt");
  }

  private static void symlinks(Tree t) throws IOException {
    t.file("target-dir/file.txt", "target\n", 0644);
    t.file("file.txt", "file\n", 0644);
    t.symlink("file-link", "file.txt");
    t.symlink("dir-link", "target-dir");
    t.symlink("dir-link-trailing-slash", "target-dir/");
    t.symlink("dangling", "does-not-exist");
    t.symlink("absolute", "/etc/os-release");
    t.symlink("absolute-dangling", "/nonexistent/absolute/target");
    t.symlink("sub/dotdot-file", "../target-dir/file.txt");
    t.symlink("sub/parent", "..");
    t.symlink("dot", ".");
    t.symlink("link-to-link", "dir-link");
    t.symlink("link-to-link-to-link", "link-to-link");
    t.symlink("self-loop", "self-loop");
    t.symlink("target-100", "t".repeat(100));
    t.symlink("target-101", "t".repeat(101));
    t.symlink("target-255", "long-target-" + "x".repeat(255 - "long-target-".length()));
    t.symlink("unicode-target", "日本語/ファイル");
    t.symlink("space target", "target with spaces");
    t.symlink("日本語-link", "file.txt");
  }

  private static void xattrs(Tree t) throws IOException {
    t.xattr("", "root", "on the root directory");
    t.file("single.txt", "single\n", 0644);
    t.xattr("single.txt", "one", "1");
    t.file("multi.txt", "multi\n", 0644);
    t.xattr("multi.txt", "zeta", "last");
    t.xattr("multi.txt", "alpha", "first");
    t.xattr("multi.txt", "mid", "middle");
    t.hardlink("multi-hardlink.txt", "multi.txt");
    t.dir("dir-with-xattr", 0755);
    t.xattr("dir-with-xattr", "dir", "directory value");
    t.file("dir-with-xattr/inner.txt", "inner\n", 0644);
    t.xattr("dir-with-xattr/inner.txt", "inner", "inner value");
    t.dir("empty-dir-with-xattr", 0755);
    t.xattr("empty-dir-with-xattr", "lonely", "empty dir");
    t.file("binary.bin", "binary xattr value\n", 0644);
    t.xattr(
        "binary.bin",
        "binary",
        new byte[] {
          0x00, 0x01, 0x7f, (byte) 0x80, (byte) 0xfe, (byte) 0xff, 0x00, (byte) 0xc3, 0x28, 0x00
        });
    t.file("long-value.txt", "long xattr value\n", 0644);
    byte[] longValue = new byte[1000];
    for (int i = 0; i < longValue.length; i++) {
      longValue[i] = (byte) ('a' + (i % 26));
    }
    t.xattr("long-value.txt", "long", longValue);
    t.file("empty-value.txt", "empty xattr value\n", 0644);
    t.xattr("empty-value.txt", "empty", new byte[0]);
    t.file("no-xattrs.txt", "none\n", 0644);
    t.file("exec-with-xattr", "#!/bin/sh\necho x\n", 0755);
    t.xattr("exec-with-xattr", "exec", "yes");
    t.file("utf8-name-and-value-日本", "utf-8\n", 0644);
    t.xattr("utf8-name-and-value-日本", "名前", "値");
  }

  private static void bigFile(Tree t) throws IOException {
    t.file("small-1.txt", "small one\n", 0644);
    t.file("small-2.txt", "small two\n", 0600);
    t.file("sub/small-3.txt", "small three\n", 0644);
    t.pseudoRandomFile("big.bin", BIG_FILE_SIZE, BIG_FILE_SEED, 0644);
  }

  private static void owners(Tree t) throws IOException {
    t.file("uid1000.txt", "owned by 1000:1000\n", 0644);
    t.owner("uid1000.txt", 1000, 1000);
    t.file("tty-group.txt", "owned by 0:5\n", 0640);
    t.owner("tty-group.txt", 0, 5);
    t.file("root-owned.txt", "owned by 0:0\n", 0644);
    t.owner("root-owned.txt", 0, 0);
    t.dir("user-dir", 0750);
    t.owner("user-dir", 1000, 1000);
    t.file("user-dir/inside.txt", "inside user dir\n", 0644);
    t.owner("user-dir/inside.txt", 1000, 1000);
    t.symlink("user-link", "uid1000.txt");
    t.owner("user-link", 1000, 1000);
    // chown clears setuid/setgid, so the mode is applied after ownership.
    t.file("setgid-tty", "#!/bin/sh\necho tty\n", 02755);
    t.owner("setgid-tty", 0, 5);
  }

  // ---------------------------------------------------------------------------------------------

  private static String component(int index, int length) {
    String head = String.format("component-%02d-", index);
    return head + "c".repeat(length - head.length());
  }

  private static void checkName(String name) {
    if (!names(true).contains(name)) {
      throw new IllegalArgumentException(
          "unknown tree corpus case " + name + "; known: " + names(true));
    }
  }

  private static void checkFileNameEncoding() {
    String enc = System.getProperty("sun.jnu.encoding", "");
    String normalized = enc.replace("-", "").replace("_", "").toLowerCase(java.util.Locale.ROOT);
    if (!normalized.equals("utf8")) {
      throw new IllegalStateException(
          "the JVM file name encoding (sun.jnu.encoding) is "
              + enc
              + ", not UTF-8, so non-ASCII file names would be mangled; "
              + "run the JVM with LC_ALL=C.UTF-8");
    }
  }

  private static void prepareRoot(Path dir) throws IOException {
    if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        throw new IOException("not a directory: " + dir);
      }
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
        if (ds.iterator().hasNext()) {
          throw new IOException("directory is not empty: " + dir);
        }
      }
    } else {
      Files.createDirectories(dir);
    }
  }

  /** Records what was created so modes, owners and times can be applied at the end. */
  private static final class Tree {
    private final Path root;
    private final Map<String, Integer> modes = new LinkedHashMap<>();
    private final Set<String> dirs = new LinkedHashSet<>();
    private final List<String> nonDirs = new ArrayList<>();
    private final Map<String, int[]> owners = new LinkedHashMap<>();

    Tree(Path root) {
      this.root = root;
      dirs.add("");
      modes.put("", 0755);
    }

    private Path resolve(String rel) {
      return rel.isEmpty() ? root : root.resolve(rel);
    }

    void dir(String rel, int mode) throws IOException {
      parents(rel);
      Path p = resolve(rel);
      if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectory(p);
      }
      dirs.add(rel);
      modes.put(rel, mode);
    }

    /** Creates the missing parent directories of {@code rel} with mode 0755. */
    private void parents(String rel) throws IOException {
      int slash = rel.lastIndexOf('/');
      if (slash <= 0) {
        return;
      }
      String parent = rel.substring(0, slash);
      if (!dirs.contains(parent)) {
        dir(parent, 0755);
      }
    }

    void file(String rel, String content, int mode) throws IOException {
      file(rel, content.getBytes(StandardCharsets.UTF_8), mode);
    }

    void file(String rel, byte[] content, int mode) throws IOException {
      parents(rel);
      Files.write(resolve(rel), content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      nonDirs.add(rel);
      modes.put(rel, mode);
    }

    void pseudoRandomFile(String rel, long size, long seed, int mode) throws IOException {
      parents(rel);
      Path p = resolve(rel);
      Files.createFile(p);
      writePseudoRandomFile(p, size, seed);
      nonDirs.add(rel);
      modes.put(rel, mode);
    }

    void symlink(String rel, String target) throws IOException {
      parents(rel);
      Files.createSymbolicLink(resolve(rel), Path.of(target));
      nonDirs.add(rel);
    }

    void hardlink(String rel, String existing) throws IOException {
      if (!modes.containsKey(existing) || dirs.contains(existing)) {
        throw new IllegalStateException("hard link target is not a known file: " + existing);
      }
      parents(rel);
      Files.createLink(resolve(rel), resolve(existing));
      nonDirs.add(rel);
    }

    void xattr(String rel, String nameWithoutUserPrefix, String value) throws IOException {
      xattr(rel, nameWithoutUserPrefix, value.getBytes(StandardCharsets.UTF_8));
    }

    void xattr(String rel, String nameWithoutUserPrefix, byte[] value) throws IOException {
      Path p = resolve(rel);
      UserDefinedFileAttributeView view =
          Files.getFileAttributeView(
              p, UserDefinedFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
      try {
        if (view == null) {
          throw new UnsupportedOperationException("no user-defined attribute view");
        }
        view.write(nameWithoutUserPrefix, ByteBuffer.wrap(value));
      } catch (FileSystemException | UnsupportedOperationException e) {
        throw new IllegalStateException(
            "cannot set xattr user."
                + nameWithoutUserPrefix
                + " on "
                + p
                + "; the filesystem must support user.* xattrs (ext4, xfs, btrfs, tmpfs >= 6.6)",
            e);
      }
    }

    void owner(String rel, int uid, int gid) {
      owners.put(rel, new int[] {uid, gid});
    }

    void finish() throws IOException {
      if (Peers.isRoot()) {
        for (Map.Entry<String, int[]> e : owners.entrySet()) {
          Path p = resolve(e.getKey());
          Files.setAttribute(p, "unix:uid", e.getValue()[0], LinkOption.NOFOLLOW_LINKS);
          Files.setAttribute(p, "unix:gid", e.getValue()[1], LinkOption.NOFOLLOW_LINKS);
        }
      }
      // Times before modes: the JDK opens the file to set its times, which a non-root owner
      // cannot do once the mode is 0000. chmod does not change the modification time.
      for (String rel : nonDirs) {
        setTimes(resolve(rel));
      }
      for (String rel : dirs) {
        setTimes(resolve(rel));
      }
      for (Map.Entry<String, Integer> e : modes.entrySet()) {
        Files.setAttribute(
            resolve(e.getKey()), "unix:mode", e.getValue(), LinkOption.NOFOLLOW_LINKS);
      }
    }

    private static void setTimes(Path p) throws IOException {
      Files.getFileAttributeView(p, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
          .setTimes(MTIME, MTIME, null);
    }
  }
}
