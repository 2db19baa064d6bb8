package io.github.ostree4j.ostree;

import io.github.ostree4j.ostree.gvariant.GVariantCodec;
import io.github.ostree4j.ostree.gvariant.GVariantFormatException;
import io.github.ostree4j.ostree.gvariant.VariantType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A dirtree object {@code (a(say)a(sayay))}: the files (regular files and symlinks) and
 * subdirectories of one directory, each list sorted by the UTF-8 bytes of the names.
 */
public final class DirTree {

  /** The GVariant type. */
  public static final VariantType TYPE = VariantType.of("(a(say)a(sayay))");

  /** Orders names as {@code strcmp} orders their UTF-8 bytes. */
  public static final Comparator<String> NAME_ORDER = DirTree::compareNames;

  /** A file entry: name and content checksum. */
  public static final class FileEntry {
    private final String name;
    private final Checksum checksum;

    /** Creates an entry. */
    public FileEntry(String name, Checksum checksum) {
      this.name = name;
      this.checksum = checksum;
    }

    /** The file name. */
    public String name() {
      return name;
    }

    /** The content object's checksum. */
    public Checksum checksum() {
      return checksum;
    }
  }

  /** A subdirectory entry: name, dirtree checksum and dirmeta checksum. */
  public static final class DirEntry {
    private final String name;
    private final Checksum tree;
    private final Checksum meta;

    /** Creates an entry. */
    public DirEntry(String name, Checksum tree, Checksum meta) {
      this.name = name;
      this.tree = tree;
      this.meta = meta;
    }

    /** The directory name. */
    public String name() {
      return name;
    }

    /** The subdirectory's dirtree checksum. */
    public Checksum tree() {
      return tree;
    }

    /** The subdirectory's dirmeta checksum. */
    public Checksum meta() {
      return meta;
    }
  }

  private final List<FileEntry> files;
  private final List<DirEntry> dirs;

  /** A tree with the given entries; they are sorted here. */
  public DirTree(List<FileEntry> files, List<DirEntry> dirs) {
    List<FileEntry> f = new ArrayList<>(files);
    f.sort((a, b) -> compareNames(a.name, b.name));
    List<DirEntry> d = new ArrayList<>(dirs);
    d.sort((a, b) -> compareNames(a.name, b.name));
    this.files = List.copyOf(f);
    this.dirs = List.copyOf(d);
  }

  private DirTree(List<FileEntry> files, List<DirEntry> dirs, boolean trusted) {
    this.files = files;
    this.dirs = dirs;
  }

  /** The file entries in order. */
  public List<FileEntry> files() {
    return files;
  }

  /** The directory entries in order. */
  public List<DirEntry> dirs() {
    return dirs;
  }

  /** The serialized object. */
  public byte[] serialize() {
    List<Object> fs = new ArrayList<>(files.size());
    for (FileEntry e : files) {
      fs.add(List.of(e.name, e.checksum.toBytes()));
    }
    List<Object> ds = new ArrayList<>(dirs.size());
    for (DirEntry e : dirs) {
      ds.add(List.of(e.name, e.tree.toBytes(), e.meta.toBytes()));
    }
    return GVariantCodec.serialize(TYPE, List.of(fs, ds));
  }

  /**
   * Parses a dirtree, requiring normal form, 32-byte checksums and valid names.
   *
   * @throws GVariantFormatException if it is malformed
   */
  public static DirTree parse(byte[] data) throws GVariantFormatException {
    List<Object> t = GVariantCodec.deserializeNormal(TYPE, data).asList();
    List<FileEntry> files = new ArrayList<>();
    for (Object o : (List<?>) t.get(0)) {
      List<?> e = (List<?>) o;
      String name = (String) e.get(0);
      validateName(name);
      files.add(new FileEntry(name, checksum((byte[]) e.get(1))));
    }
    List<DirEntry> dirs = new ArrayList<>();
    for (Object o : (List<?>) t.get(1)) {
      List<?> e = (List<?>) o;
      String name = (String) e.get(0);
      validateName(name);
      dirs.add(new DirEntry(name, checksum((byte[]) e.get(1)), checksum((byte[]) e.get(2))));
    }
    return new DirTree(List.copyOf(files), List.copyOf(dirs), true);
  }

  private static Checksum checksum(byte[] b) throws GVariantFormatException {
    if (b.length != 32) {
      throw new GVariantFormatException("dirtree entry has a checksum of " + b.length + " bytes");
    }
    return Checksum.fromBytes(b);
  }

  /**
   * Checks a file name as libostree does: non-empty, not {@code .} or {@code ..}, no {@code /}.
   *
   * @throws GVariantFormatException if the name is invalid
   */
  public static void validateName(String name) throws GVariantFormatException {
    if (name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0) {
      throw new GVariantFormatException("invalid file name '" + name + "' in dirtree");
    }
  }

  /** Compares names as strcmp compares their UTF-8 encodings. */
  public static int compareNames(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char ca = a.charAt(i);
      char cb = b.charAt(i);
      if (ca != cb) {
        if (ca < 0x80 && cb < 0x80) {
          return ca - cb;
        }
        break;
      }
    }
    if (isAscii(a) && isAscii(b)) {
      return a.compareTo(b);
    }
    return java.util.Arrays.compareUnsigned(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }
}
