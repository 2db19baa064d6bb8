package io.github.ostree4j.ostree;

import io.github.ostree4j.ostree.gvariant.GVariantCodec;
import io.github.ostree4j.ostree.gvariant.GVariantFormatException;
import io.github.ostree4j.ostree.gvariant.Variant;
import io.github.ostree4j.ostree.gvariant.VariantType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * The metadata of a content object (regular file or symlink): ownership, mode, symlink target and
 * xattrs. Serializes to the checksum header {@code (uuuusa(ayay))}, the archive header
 * {@code (tuuuusa(ayay))} and the bare-user {@code user.ostreemeta} value {@code (uuua(ayay))},
 * with ostree's big-endian integers.
 */
public final class FileHeader {

  /** Type of the header that is hashed: {@code (uuuusa(ayay))}. */
  public static final VariantType CHECKSUM_HEADER_TYPE = VariantType.of("(uuuusa(ayay))");
  /** Type of the header of archive {@code .filez} objects: {@code (tuuuusa(ayay))}. */
  public static final VariantType ARCHIVE_HEADER_TYPE = VariantType.of("(tuuuusa(ayay))");
  /** Type of {@code user.ostreemeta} and of dirmeta objects: {@code (uuua(ayay))}. */
  public static final VariantType OSTREEMETA_TYPE = VariantType.of("(uuua(ayay))");

  private final int uid;
  private final int gid;
  private final int mode;
  private final int rdev;
  private final String symlinkTarget;
  private final Xattrs xattrs;

  private FileHeader(int uid, int gid, int mode, int rdev, String symlinkTarget, Xattrs xattrs) {
    this.uid = uid;
    this.gid = gid;
    this.mode = mode;
    this.rdev = rdev;
    this.symlinkTarget = symlinkTarget;
    this.xattrs = xattrs;
  }

  /** A regular file. {@code mode} is the full st_mode or just the permission bits. */
  public static FileHeader regular(int uid, int gid, int mode, Xattrs xattrs) {
    return new FileHeader(uid, gid, FileMode.S_IFREG | (mode & 07777), 0, "", xattrs);
  }

  /** A symbolic link (mode 0120777). */
  public static FileHeader symlink(int uid, int gid, String target, Xattrs xattrs) {
    if (target.isEmpty()) {
      throw new IllegalArgumentException("empty symlink target");
    }
    return new FileHeader(uid, gid, FileMode.S_IFLNK | 0777, 0, target, xattrs);
  }

  /** User id. */
  public int uid() {
    return uid;
  }

  /** Group id. */
  public int gid() {
    return gid;
  }

  /** Full st_mode including the file type bits. */
  public int mode() {
    return mode;
  }

  /** Device number (always 0 for ostree content). */
  public int rdev() {
    return rdev;
  }

  /** Whether this is a symbolic link. */
  public boolean isSymlink() {
    return FileMode.isSymlink(mode);
  }

  /** The symlink target, or the empty string for a regular file. */
  public String symlinkTarget() {
    return symlinkTarget;
  }

  /** Extended attributes. */
  public Xattrs xattrs() {
    return xattrs;
  }

  /** This header with other ownership. */
  public FileHeader withOwner(int newUid, int newGid) {
    return new FileHeader(newUid, newGid, mode, rdev, symlinkTarget, xattrs);
  }

  /** This header with other xattrs. */
  public FileHeader withXattrs(Xattrs x) {
    return new FileHeader(uid, gid, mode, rdev, symlinkTarget, x);
  }

  /** This header with another mode (the file type is kept). */
  public FileHeader withPermissions(int perms) {
    return new FileHeader(uid, gid, (mode & FileMode.S_IFMT) | (perms & 07777), rdev, symlinkTarget, xattrs);
  }

  /** The serialized checksum header {@code (uuuusa(ayay))}. */
  public byte[] checksumHeader() {
    return serialize(false, 0);
  }

  /** The serialized archive header {@code (tuuuusa(ayay))} for a payload of {@code size} bytes. */
  public byte[] archiveHeader(long size) {
    return serialize(true, size);
  }

  private byte[] serialize(boolean archive, long size) {
    byte[] target = symlinkTarget.getBytes(StandardCharsets.UTF_8);
    byte[] x = xattrs.serialize();
    int fixed = archive ? 24 : 16;
    int stringEnd = fixed + target.length + 1;
    int body = stringEnd + x.length;
    int w = offsetSize(body, 1);
    byte[] out = new byte[body + w];
    int p = 0;
    if (archive) {
      putBe64(out, 0, size);
      p = 8;
    }
    putBe32(out, p, uid);
    putBe32(out, p + 4, gid);
    putBe32(out, p + 8, mode);
    putBe32(out, p + 12, rdev);
    System.arraycopy(target, 0, out, fixed, target.length);
    System.arraycopy(x, 0, out, stringEnd, x.length);
    for (int b = 0; b < w; b++) {
      out[body + b] = (byte) (stringEnd >>> (8 * b));
    }
    return out;
  }

  /** The bare-user {@code user.ostreemeta} value: uid, gid, mode and xattrs. */
  public byte[] ostreemeta() {
    byte[] x = xattrs.serialize();
    byte[] out = new byte[12 + x.length];
    putBe32(out, 0, uid);
    putBe32(out, 4, gid);
    putBe32(out, 8, mode);
    System.arraycopy(x, 0, out, 12, x.length);
    return out;
  }

  /**
   * Parses a checksum header, requiring normal form and a mode libostree accepts.
   *
   * @throws GVariantFormatException if the bytes are malformed or the mode is invalid
   */
  public static FileHeader parseChecksumHeader(byte[] data) throws GVariantFormatException {
    List<Object> t = GVariantCodec.deserializeNormal(CHECKSUM_HEADER_TYPE, data).asList();
    return fromFields(t, 0);
  }

  /**
   * Parses an archive header; the payload size is returned through {@code sizeOut[0]}.
   *
   * @throws GVariantFormatException if the bytes are malformed or the mode is invalid
   */
  public static FileHeader parseArchiveHeader(byte[] data, long[] sizeOut) throws GVariantFormatException {
    List<Object> t = GVariantCodec.deserializeNormal(ARCHIVE_HEADER_TYPE, data).asList();
    long size = Long.reverseBytes((Long) t.get(0));
    if (size < 0) {
      throw new GVariantFormatException("archive header size is negative");
    }
    sizeOut[0] = size;
    return fromFields(t, 1);
  }

  /**
   * Parses a {@code user.ostreemeta} value; for symlinks the target comes from the object's content.
   *
   * @throws GVariantFormatException if the bytes are malformed or the mode is invalid
   */
  public static FileHeader parseOstreemeta(byte[] data, String symlinkTarget) throws GVariantFormatException {
    List<Object> t = GVariantCodec.deserializeNormal(OSTREEMETA_TYPE, data).asList();
    int uid = Integer.reverseBytes((Integer) t.get(0));
    int gid = Integer.reverseBytes((Integer) t.get(1));
    int mode = Integer.reverseBytes((Integer) t.get(2));
    Xattrs x;
    try {
      x = Xattrs.fromVariant(Variant.of(Xattrs.TYPE, t.get(3)));
    } catch (IllegalArgumentException e) {
      throw new GVariantFormatException(e.getMessage());
    }
    FileHeader h = new FileHeader(uid, gid, mode, 0, FileMode.isSymlink(mode) ? symlinkTarget : "", x);
    h.validate();
    return h;
  }

  private static FileHeader fromFields(List<Object> t, int i) throws GVariantFormatException {
    int uid = Integer.reverseBytes((Integer) t.get(i));
    int gid = Integer.reverseBytes((Integer) t.get(i + 1));
    int mode = Integer.reverseBytes((Integer) t.get(i + 2));
    int rdev = Integer.reverseBytes((Integer) t.get(i + 3));
    String target = (String) t.get(i + 4);
    Xattrs x;
    try {
      x = Xattrs.fromVariant(Variant.of(Xattrs.TYPE, t.get(i + 5)));
    } catch (IllegalArgumentException e) {
      throw new GVariantFormatException(e.getMessage());
    }
    FileHeader h = new FileHeader(uid, gid, mode, rdev, target, x);
    h.validate();
    return h;
  }

  private void validate() throws GVariantFormatException {
    int type = mode & FileMode.S_IFMT;
    if (type != FileMode.S_IFREG && type != FileMode.S_IFLNK) {
      throw new GVariantFormatException(String.format("invalid file mode 0%o: not a regular file or symlink", mode));
    }
    if ((mode & ~(FileMode.S_IFMT | 07777)) != 0) {
      throw new GVariantFormatException(String.format("invalid file mode 0%o", mode));
    }
    if (type == FileMode.S_IFLNK && symlinkTarget.isEmpty()) {
      throw new GVariantFormatException("symlink with an empty target");
    }
    if (type == FileMode.S_IFREG && !symlinkTarget.isEmpty()) {
      throw new GVariantFormatException("regular file with a symlink target");
    }
    if (rdev != 0) {
      throw new GVariantFormatException("content header with a device number");
    }
  }

  static int offsetSize(int body, int n) {
    if (body + n <= 0xFF) {
      return 1;
    }
    if (body + 2 * n <= 0xFFFF) {
      return 2;
    }
    return 4;
  }

  static void putBe32(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 24);
    b[off + 1] = (byte) (v >>> 16);
    b[off + 2] = (byte) (v >>> 8);
    b[off + 3] = (byte) v;
  }

  static void putBe64(byte[] b, int off, long v) {
    putBe32(b, off, (int) (v >>> 32));
    putBe32(b, off + 4, (int) v);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof FileHeader)) {
      return false;
    }
    FileHeader h = (FileHeader) o;
    return uid == h.uid && gid == h.gid && mode == h.mode && rdev == h.rdev
        && symlinkTarget.equals(h.symlinkTarget) && xattrs.equals(h.xattrs);
  }

  @Override
  public int hashCode() {
    return Objects.hash(uid, gid, mode, rdev, symlinkTarget, xattrs);
  }

  @Override
  public String toString() {
    return String.format("FileHeader[uid=%d gid=%d mode=0%o%s]", uid, gid, mode,
        symlinkTarget.isEmpty() ? "" : " -> " + symlinkTarget);
  }
}
