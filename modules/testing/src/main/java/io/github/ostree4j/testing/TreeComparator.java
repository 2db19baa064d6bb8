package io.github.ostree4j.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Compares two directory trees the way {@code diff -r}, {@code stat} and {@code getfattr -d}
 * together would, and describes every difference in one human-readable line.
 *
 * <p>Compared for every relative path (symbolic links are never followed):
 *
 * <ul>
 *   <li>presence in both trees, and the file type;
 *   <li>permission bits including setuid, setgid and sticky ({@code mode & 07777}), except for
 *       symlinks, whose mode is meaningless on Linux;
 *   <li>uid and gid (see {@link Options#ignoreOwners()});
 *   <li>the contents of regular files, streamed, and the targets of symlinks;
 *   <li>{@code user.*} xattrs of files and directories (see {@link Options#ignoreXattrs()});
 *   <li>optionally, which paths are hard links of one another ({@link Options#compareHardlinks()})
 *       and the modification times of non-directories, to the second ({@link
 *       Options#compareFileMtimes()}).
 * </ul>
 *
 * <p>Directory modification times are never compared. The root directories are compared like
 * any other directory (shown as {@code "."}) unless {@link Options#ignoreRootMetadata()} is used.
 */
public final class TreeComparator {

  /** How many differences {@link #assertEqualTrees(Path, Path, Options)} shows at most. */
  public static final int MAX_REPORTED = 30;

  private static final String ATTRS = "unix:mode,uid,gid,size,ino,dev,lastModifiedTime";
  private static final int S_IFMT = 0170000;

  private TreeComparator() {}

  /**
   * What to compare. Instances are immutable; start from {@link #defaults()} and refine.
   *
   * @param owners compare uid and gid
   * @param xattrs compare {@code user.*} xattrs
   * @param hardlinks compare hard-link grouping of regular files
   * @param fileMtimes compare modification times of non-directories (whole seconds)
   * @param rootMetadata compare mode, owner and xattrs of the two root directories
   * @param exclude relative paths (with {@code /} separators, no leading {@code ./}) to leave out,
   *     together with everything below them
   */
  public record Options(
      boolean owners,
      boolean xattrs,
      boolean hardlinks,
      boolean fileMtimes,
      boolean rootMetadata,
      Predicate<String> exclude) {

    /**
     * Canonical constructor.
     *
     * @param owners compare uid and gid
     * @param xattrs compare {@code user.*} xattrs
     * @param hardlinks compare hard-link grouping
     * @param fileMtimes compare modification times of non-directories
     * @param rootMetadata compare the root directories' metadata
     * @param exclude paths to leave out; null means none
     */
    public Options {
      exclude = exclude == null ? p -> false : exclude;
    }

    /**
     * Returns the default options: owners, xattrs and root metadata are compared; hard links
     * and file modification times are not; nothing is excluded.
     *
     * @return the defaults
     */
    public static Options defaults() {
      return new Options(true, true, false, false, true, null);
    }

    /**
     * Returns a copy that does not compare uid and gid.
     *
     * @return new options
     */
    public Options ignoreOwners() {
      return new Options(false, xattrs, hardlinks, fileMtimes, rootMetadata, exclude);
    }

    /**
     * Returns a copy that does not compare xattrs.
     *
     * @return new options
     */
    public Options ignoreXattrs() {
      return new Options(owners, false, hardlinks, fileMtimes, rootMetadata, exclude);
    }

    /**
     * Returns a copy that also checks that the same paths are hard links of one another.
     *
     * @return new options
     */
    public Options compareHardlinks() {
      return new Options(owners, xattrs, true, fileMtimes, rootMetadata, exclude);
    }

    /**
     * Returns a copy that also compares modification times of non-directories.
     *
     * @return new options
     */
    public Options compareFileMtimes() {
      return new Options(owners, xattrs, hardlinks, true, rootMetadata, exclude);
    }

    /**
     * Returns a copy that does not compare mode, owner and xattrs of the two root directories.
     *
     * @return new options
     */
    public Options ignoreRootMetadata() {
      return new Options(owners, xattrs, hardlinks, fileMtimes, false, exclude);
    }

    /**
     * Returns a copy that also leaves out the paths matched by {@code more}.
     *
     * @param more a predicate on relative paths such as {@code "etc/passwd"}
     * @return new options
     */
    public Options exclude(Predicate<String> more) {
      Objects.requireNonNull(more, "more");
      return new Options(owners, xattrs, hardlinks, fileMtimes, rootMetadata, exclude.or(more));
    }

    /**
     * Returns a copy that also leaves out the given relative paths and what is below them.
     *
     * @param relativePaths paths such as {@code "var/cache"}
     * @return new options
     */
    public Options exclude(String... relativePaths) {
      Set<String> set = Set.of(relativePaths);
      return exclude(set::contains);
    }
  }

  /**
   * Compares two trees with {@link Options#defaults()}.
   *
   * @param expected the reference tree
   * @param actual the tree under test
   * @return the differences, sorted by path; empty when the trees are equal
   */
  public static List<String> compare(Path expected, Path actual) {
    return compare(expected, actual, Options.defaults());
  }

  /**
   * Compares two trees.
   *
   * @param expected the reference tree
   * @param actual the tree under test
   * @param options what to compare
   * @return the differences, sorted by path; empty when the trees are equal
   * @throws UncheckedIOException when a tree cannot be read
   */
  public static List<String> compare(Path expected, Path actual, Options options) {
    List<String> diffs = new ArrayList<>();
    if (!Files.isDirectory(expected, LinkOption.NOFOLLOW_LINKS)) {
      diffs.add("expected tree is not a directory: " + expected);
    }
    if (!Files.isDirectory(actual, LinkOption.NOFOLLOW_LINKS)) {
      diffs.add("actual tree is not a directory: " + actual);
    }
    if (!diffs.isEmpty()) {
      return diffs;
    }
    try {
      TreeMap<String, Entry> e = scan(expected, options);
      TreeMap<String, Entry> a = scan(actual, options);
      Set<String> all = new TreeSet<>(e.keySet());
      all.addAll(a.keySet());
      Map<Object, Set<String>> linksE = options.hardlinks() ? linkGroups(e) : Map.of();
      Map<Object, Set<String>> linksA = options.hardlinks() ? linkGroups(a) : Map.of();
      Set<Set<String>> reportedGroups = new HashSet<>();
      for (String rel : all) {
        Entry x = e.get(rel);
        Entry y = a.get(rel);
        if (y == null) {
          diffs.add(display(rel) + ": only in expected (" + typeName(x.mode) + ")");
        } else if (x == null) {
          diffs.add(display(rel) + ": only in actual (" + typeName(y.mode) + ")");
        } else {
          compareEntry(x, y, options, diffs);
          if (options.hardlinks() && isType(x.mode, 0100000) && isType(y.mode, 0100000)) {
            Set<String> ge = linksE.getOrDefault(x.inode, Set.of(rel));
            Set<String> ga = linksA.getOrDefault(y.inode, Set.of(rel));
            // One line per broken group, not one per member.
            if (!ge.equals(ga) && !reportedGroups.contains(ge) && !reportedGroups.contains(ga)) {
              reportedGroups.add(ge);
              reportedGroups.add(ga);
              diffs.add(
                  display(rel)
                      + ": hard links differ: expected "
                      + ge
                      + ", actual "
                      + ga);
            }
          }
        }
      }
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return diffs;
  }

  /**
   * Fails when the trees differ (with {@link Options#defaults()}).
   *
   * @param expected the reference tree
   * @param actual the tree under test
   * @throws AssertionError listing the first {@value #MAX_REPORTED} differences
   */
  public static void assertEqualTrees(Path expected, Path actual) {
    assertEqualTrees(expected, actual, Options.defaults());
  }

  /**
   * Fails when the trees differ.
   *
   * @param expected the reference tree
   * @param actual the tree under test
   * @param options what to compare
   * @throws AssertionError listing the first {@value #MAX_REPORTED} differences
   */
  public static void assertEqualTrees(Path expected, Path actual, Options options) {
    List<String> diffs = compare(expected, actual, options);
    if (diffs.isEmpty()) {
      return;
    }
    StringBuilder sb = new StringBuilder();
    sb.append("trees differ (")
        .append(diffs.size())
        .append(diffs.size() == 1 ? " difference" : " differences")
        .append(")\n  expected: ")
        .append(expected)
        .append("\n  actual:   ")
        .append(actual);
    for (String d : diffs.subList(0, Math.min(MAX_REPORTED, diffs.size()))) {
      sb.append("\n  ").append(d);
    }
    if (diffs.size() > MAX_REPORTED) {
      sb.append("\n  ... and ").append(diffs.size() - MAX_REPORTED).append(" more");
    }
    throw new AssertionError(sb.toString());
  }

  // ---------------------------------------------------------------------------------------------

  /** What we know about one path. */
  private record Entry(
      String rel, Path path, int mode, int uid, int gid, long size, Object inode, FileTime mtime) {}

  private static TreeMap<String, Entry> scan(Path root, Options options) throws IOException {
    TreeMap<String, Entry> out = new TreeMap<>();
    scanDir(root, "", options, out);
    return out;
  }

  private static void scanDir(Path dir, String rel, Options options, Map<String, Entry> out)
      throws IOException {
    Entry self = entry(dir, rel);
    out.put(rel, self);
    List<Path> children = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      ds.forEach(children::add);
    }
    for (Path child : children) {
      String name = child.getFileName().toString();
      String childRel = rel.isEmpty() ? name : rel + "/" + name;
      if (options.exclude().test(childRel)) {
        continue;
      }
      Entry e = entry(child, childRel);
      if (isType(e.mode, 0040000)) {
        scanDir(child, childRel, options, out);
      } else {
        out.put(childRel, e);
      }
    }
  }

  private static Entry entry(Path p, String rel) throws IOException {
    Map<String, Object> m = Files.readAttributes(p, ATTRS, LinkOption.NOFOLLOW_LINKS);
    return new Entry(
        rel,
        p,
        (Integer) m.get("mode"),
        (Integer) m.get("uid"),
        (Integer) m.get("gid"),
        (Long) m.get("size"),
        List.of(m.get("dev"), m.get("ino")),
        (FileTime) m.get("lastModifiedTime"));
  }

  private static Map<Object, Set<String>> linkGroups(Map<String, Entry> entries) {
    Map<Object, Set<String>> groups = new HashMap<>();
    for (Entry e : entries.values()) {
      if (isType(e.mode, 0100000)) {
        groups.computeIfAbsent(e.inode, k -> new TreeSet<>()).add(e.rel);
      }
    }
    return groups;
  }

  private static void compareEntry(Entry x, Entry y, Options o, List<String> diffs)
      throws IOException {
    String where = display(x.rel);
    if ((x.mode & S_IFMT) != (y.mode & S_IFMT)) {
      diffs.add(
          where
              + ": type differs: expected "
              + typeName(x.mode)
              + ", actual "
              + typeName(y.mode));
      return;
    }
    boolean isRoot = x.rel.isEmpty();
    boolean metadata = !isRoot || o.rootMetadata();
    boolean symlink = isType(x.mode, 0120000);
    if (metadata && !symlink && (x.mode & 07777) != (y.mode & 07777)) {
      diffs.add(
          where
              + ": mode differs: expected "
              + octal(x.mode & 07777)
              + ", actual "
              + octal(y.mode & 07777));
    }
    if (metadata && o.owners() && (x.uid != y.uid || x.gid != y.gid)) {
      diffs.add(
          where
              + ": owner differs: expected "
              + x.uid
              + ":"
              + x.gid
              + ", actual "
              + y.uid
              + ":"
              + y.gid);
    }
    if (isType(x.mode, 0100000)) {
      compareContent(x, y, diffs);
    } else if (symlink) {
      String tx = Files.readSymbolicLink(x.path).toString();
      String ty = Files.readSymbolicLink(y.path).toString();
      if (!tx.equals(ty)) {
        diffs.add(
            where + ": symlink target differs: expected '" + tx + "', actual '" + ty + "'");
      }
    }
    if (metadata
        && o.xattrs()
        && (isType(x.mode, 0100000) || isType(x.mode, 0040000))) {
      compareXattrs(x, y, diffs);
    }
    if (o.fileMtimes() && !isType(x.mode, 0040000)) {
      long sx = x.mtime.to(TimeUnit.SECONDS);
      long sy = y.mtime.to(TimeUnit.SECONDS);
      if (sx != sy) {
        diffs.add(
            where
                + ": mtime differs: expected "
                + x.mtime.toInstant()
                + ", actual "
                + y.mtime.toInstant());
      }
    }
  }

  private static void compareContent(Entry x, Entry y, List<String> diffs) throws IOException {
    String where = display(x.rel);
    if (x.size != y.size) {
      diffs.add(where + ": size differs: expected " + x.size + ", actual " + y.size);
      return;
    }
    InputStream ix = open(x.path);
    InputStream iy = open(y.path);
    if (ix == null || iy == null) {
      closeQuietly(ix);
      closeQuietly(iy);
      if ((ix == null) != (iy == null)) {
        diffs.add(
            where
                + ": content not readable in "
                + (ix == null ? "expected" : "actual")
                + " tree only (permission denied)");
      }
      return; // both unreadable (e.g. mode 0000 when not root): sizes matched
    }
    try (InputStream a = ix;
        InputStream b = iy) {
      byte[] ba = new byte[64 * 1024];
      byte[] bb = new byte[64 * 1024];
      long offset = 0;
      while (true) {
        int na = a.readNBytes(ba, 0, ba.length);
        int nb = b.readNBytes(bb, 0, bb.length);
        int n = Math.min(na, nb);
        int mismatch = Arrays.mismatch(ba, 0, n, bb, 0, n);
        if (mismatch >= 0) {
          diffs.add(where + ": content differs at byte " + (offset + mismatch));
          return;
        }
        if (na != nb) {
          diffs.add(where + ": content length differs after byte " + (offset + n));
          return;
        }
        if (na == 0) {
          return;
        }
        offset += n;
      }
    }
  }

  private static InputStream open(Path p) throws IOException {
    try {
      return Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS);
    } catch (AccessDeniedException e) {
      return null;
    }
  }

  private static void closeQuietly(InputStream in) {
    if (in != null) {
      try {
        in.close();
      } catch (IOException e) {
        // ignored
      }
    }
  }

  private static void compareXattrs(Entry x, Entry y, List<String> diffs) throws IOException {
    String where = display(x.rel);
    Map<String, byte[]> ax = xattrs(x.path);
    Map<String, byte[]> ay = xattrs(y.path);
    if (ax == null || ay == null) {
      if ((ax == null) != (ay == null)) {
        diffs.add(
            where
                + ": xattrs not readable in "
                + (ax == null ? "expected" : "actual")
                + " tree only (permission denied)");
      }
      return;
    }
    Set<String> names = new TreeSet<>(ax.keySet());
    names.addAll(ay.keySet());
    for (String n : names) {
      byte[] vx = ax.get(n);
      byte[] vy = ay.get(n);
      if (vy == null) {
        diffs.add(where + ": xattr user." + n + " only in expected (" + show(vx) + ")");
      } else if (vx == null) {
        diffs.add(where + ": xattr user." + n + " only in actual (" + show(vy) + ")");
      } else if (!Arrays.equals(vx, vy)) {
        diffs.add(
            where
                + ": xattr user."
                + n
                + " differs: expected "
                + show(vx)
                + ", actual "
                + show(vy));
      }
    }
  }

  /** Reads all {@code user.*} xattrs, or returns null when permission is denied. */
  private static Map<String, byte[]> xattrs(Path p) throws IOException {
    UserDefinedFileAttributeView view =
        Files.getFileAttributeView(p, UserDefinedFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    if (view == null) {
      return Map.of();
    }
    Map<String, byte[]> out = new TreeMap<>();
    try {
      for (String name : view.list()) {
        ByteBuffer buf = ByteBuffer.allocate(view.size(name));
        view.read(name, buf);
        buf.flip();
        byte[] bytes = new byte[buf.remaining()];
        buf.get(bytes);
        out.put(name, bytes);
      }
    } catch (AccessDeniedException e) {
      return null;
    } catch (IOException e) {
      if (String.valueOf(e.getMessage()).contains("Permission denied")) {
        return null;
      }
      throw e;
    }
    return out;
  }

  private static String show(byte[] value) {
    if (value.length > 64) {
      return value.length + " bytes, starting " + show(Arrays.copyOf(value, 32)) + "...";
    }
    try {
      String s =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(value))
              .toString();
      if (s.codePoints().noneMatch(Character::isISOControl)) {
        return "'" + s + "'";
      }
    } catch (CharacterCodingException e) {
      // fall through to hex
    }
    StringBuilder sb = new StringBuilder("0x");
    for (byte b : value) {
      sb.append(String.format("%02x", b & 0xff));
    }
    return sb.toString();
  }

  private static boolean isType(int mode, int type) {
    return (mode & S_IFMT) == type;
  }

  private static String typeName(int mode) {
    switch (mode & S_IFMT) {
      case 0100000:
        return "regular file";
      case 0040000:
        return "directory";
      case 0120000:
        return "symlink";
      case 0010000:
        return "fifo";
      case 0140000:
        return "socket";
      case 0020000:
        return "character device";
      case 0060000:
        return "block device";
      default:
        return "unknown type " + octal(mode & S_IFMT);
    }
  }

  private static String octal(int v) {
    return String.format("%04o", v);
  }

  private static String display(String rel) {
    return rel.isEmpty() ? "." : rel;
  }
}
