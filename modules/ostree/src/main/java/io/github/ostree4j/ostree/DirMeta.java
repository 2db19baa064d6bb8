package io.github.ostree4j.ostree;

import io.github.ostree4j.ostree.gvariant.GVariantCodec;
import io.github.ostree4j.ostree.gvariant.GVariantFormatException;
import io.github.ostree4j.ostree.gvariant.Variant;
import java.util.List;
import java.util.Objects;

/** A dirmeta object {@code (uuua(ayay))}: a directory's uid, gid, mode (big-endian) and xattrs. */
public final class DirMeta {

  private final int uid;
  private final int gid;
  private final int mode;
  private final Xattrs xattrs;

  private DirMeta(int uid, int gid, int mode, Xattrs xattrs) {
    this.uid = uid;
    this.gid = gid;
    this.mode = mode;
    this.xattrs = Objects.requireNonNull(xattrs);
  }

  /** A directory with the given ownership, permission bits and xattrs. */
  public static DirMeta of(int uid, int gid, int permissions, Xattrs xattrs) {
    return new DirMeta(uid, gid, FileMode.S_IFDIR | (permissions & 07777), xattrs);
  }

  /**
   * Parses a dirmeta object, requiring normal form and a directory mode.
   *
   * @throws GVariantFormatException if it is malformed
   */
  public static DirMeta parse(byte[] data) throws GVariantFormatException {
    List<Object> t = GVariantCodec.deserializeNormal(FileHeader.OSTREEMETA_TYPE, data).asList();
    int uid = Integer.reverseBytes((Integer) t.get(0));
    int gid = Integer.reverseBytes((Integer) t.get(1));
    int mode = Integer.reverseBytes((Integer) t.get(2));
    if (!FileMode.isDirectory(mode) || (mode & ~(FileMode.S_IFMT | 07777)) != 0) {
      throw new GVariantFormatException(String.format("dirmeta has invalid mode 0%o", mode));
    }
    try {
      return new DirMeta(uid, gid, mode, Xattrs.fromVariant(Variant.of(Xattrs.TYPE, t.get(3))));
    } catch (IllegalArgumentException e) {
      throw new GVariantFormatException("dirmeta: " + e.getMessage());
    }
  }

  /** The serialized object. */
  public byte[] serialize() {
    byte[] x = xattrs.serialize();
    byte[] out = new byte[12 + x.length];
    FileHeader.putBe32(out, 0, uid);
    FileHeader.putBe32(out, 4, gid);
    FileHeader.putBe32(out, 8, mode);
    System.arraycopy(x, 0, out, 12, x.length);
    return out;
  }

  /** User id. */
  public int uid() {
    return uid;
  }

  /** Group id. */
  public int gid() {
    return gid;
  }

  /** Full st_mode including S_IFDIR. */
  public int mode() {
    return mode;
  }

  /** Extended attributes. */
  public Xattrs xattrs() {
    return xattrs;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof DirMeta)) {
      return false;
    }
    DirMeta d = (DirMeta) o;
    return uid == d.uid && gid == d.gid && mode == d.mode && xattrs.equals(d.xattrs);
  }

  @Override
  public int hashCode() {
    return Objects.hash(uid, gid, mode, xattrs);
  }
}
