package io.github.ostree4j.ostree.internal;

import io.github.ostree4j.ostree.Xattrs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.List;
import java.util.Map;

/** POSIX file metadata through the JDK's "unix" attribute view and user xattrs. */
public final class PosixFiles {

  private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};
  private static final FileTime EPOCH = FileTime.fromMillis(0);

  /** lstat(2) fields ostree needs. */
  public static final class Stat {
    public final int mode;
    public final int uid;
    public final int gid;
    public final long size;
    public final long ino;
    public final long dev;
    public final int nlink;

    Stat(int mode, int uid, int gid, long size, long ino, long dev, int nlink) {
      this.mode = mode;
      this.uid = uid;
      this.gid = gid;
      this.size = size;
      this.ino = ino;
      this.dev = dev;
      this.nlink = nlink;
    }
  }

  private PosixFiles() {}

  /** lstat(2). */
  public static Stat lstat(Path p) throws IOException {
    Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,size,ino,dev,nlink", NOFOLLOW);
    return new Stat((Integer) a.get("mode"), (Integer) a.get("uid"), (Integer) a.get("gid"),
        (Long) a.get("size"), (Long) a.get("ino"), (Long) a.get("dev"), (Integer) a.get("nlink"));
  }

  /**
   * The {@code user.*} extended attributes of a file or directory (not of symlinks, which Linux
   * does not allow to carry them). Like libostree, attributes with empty values are dropped.
   */
  public static Xattrs readUserXattrs(Path p) throws IOException {
    UserDefinedFileAttributeView v = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class, NOFOLLOW);
    List<String> names;
    try {
      names = v.list();
    } catch (FileSystemException e) {
      if (isNotSupported(e)) {
        return Xattrs.EMPTY;
      }
      throw e;
    }
    if (names.isEmpty()) {
      return Xattrs.EMPTY;
    }
    Xattrs.Builder b = Xattrs.builder();
    for (String n : names) {
      ByteBuffer buf = ByteBuffer.allocate(v.size(n));
      v.read(n, buf);
      if (buf.position() == 0) {
        continue;
      }
      byte[] val = new byte[buf.position()];
      buf.flip();
      buf.get(val);
      b.add("user." + n, val);
    }
    return b.build();
  }

  private static boolean isNotSupported(FileSystemException e) {
    String r = e.getReason();
    return r != null && (r.contains("not supported") || r.contains("Operation not supported"));
  }

  /** Reads one user xattr (name with its {@code user.} prefix), or null if absent. */
  public static byte[] readUserXattr(Path p, String name) throws IOException {
    UserDefinedFileAttributeView v = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class, NOFOLLOW);
    String n = stripUser(name);
    try {
      ByteBuffer buf = ByteBuffer.allocate(v.size(n));
      v.read(n, buf);
      byte[] val = new byte[buf.position()];
      buf.flip();
      buf.get(val);
      return val;
    } catch (FileSystemException e) {
      String r = e.getReason();
      if (r != null && (r.contains("No data") || r.contains("No such attribute"))) {
        return null;
      }
      throw e;
    }
  }

  /** Sets a user xattr (name with its {@code user.} prefix). */
  public static void writeUserXattr(Path p, String name, byte[] value) throws IOException {
    UserDefinedFileAttributeView v = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class, NOFOLLOW);
    v.write(stripUser(name), ByteBuffer.wrap(value));
  }

  /**
   * Writes xattrs to a file or directory.
   *
   * @throws IOException if an attribute is outside the {@code user.} namespace, which the JDK
   *     cannot set
   */
  public static void writeXattrs(Path p, Xattrs xattrs) throws IOException {
    for (Xattrs.Xattr x : xattrs.list()) {
      String name = x.name();
      if (!name.startsWith("user.")) {
        throw new IOException("cannot set xattr " + name + " on " + p + ": only user.* attributes are supported");
      }
      writeUserXattr(p, name, x.value());
    }
  }

  private static String stripUser(String name) {
    if (!name.startsWith("user.")) {
      throw new IllegalArgumentException("not a user xattr: " + name);
    }
    return name.substring(5);
  }

  /** chmod(2) with the full permission bits, including setuid, setgid and sticky. */
  public static void chmod(Path p, int perms) throws IOException {
    Files.setAttribute(p, "unix:mode", perms & 07777);
  }

  /** lchown(2). */
  public static void lchown(Path p, int uid, int gid) throws IOException {
    Files.setAttribute(p, "unix:uid", uid, NOFOLLOW);
    Files.setAttribute(p, "unix:gid", gid, NOFOLLOW);
  }

  /** Sets access and modification times to the epoch, not following symlinks. */
  public static void setTimesToEpoch(Path p) throws IOException {
    Files.getFileAttributeView(p, BasicFileAttributeView.class, NOFOLLOW).setTimes(EPOCH, EPOCH, null);
  }

  /** Whether this process runs as root. */
  public static boolean isRoot() {
    Boolean r = root;
    if (r == null) {
      try {
        r = ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
      } catch (IOException | UnsupportedOperationException e) {
        r = "root".equals(System.getProperty("user.name"));
      }
      root = r;
    }
    return r;
  }

  private static volatile Boolean root;

  /** The target of a symlink as a string (UTF-8 bytes as the JDK decodes them). */
  public static String readSymlink(Path p) throws IOException {
    return Files.readSymbolicLink(p).toString();
  }

  /** UTF-8 bytes of a string. */
  public static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
