package io.github.ostree4j.build.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.util.Map;

/** lstat(2), lchown(2), chmod(2) and lutimes(3) through the JDK's "unix" attribute view. */
public final class FileAttrs {

  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
  private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

  /** File type bits. */
  public static final int S_IFMT = 0170000;
  /** Directory. */
  public static final int S_IFDIR = 0040000;
  /** Regular file. */
  public static final int S_IFREG = 0100000;
  /** Symbolic link. */
  public static final int S_IFLNK = 0120000;

  private FileAttrs() {}

  /**
   * The stat fields the build needs.
   *
   * @param mode type and permission bits
   * @param uid owner
   * @param gid group
   * @param size size in bytes
   * @param mtimeMillis modification time
   */
  public record Stat(int mode, int uid, int gid, long size, long mtimeMillis) {
    /** @return whether it is a directory */
    public boolean isDirectory() {
      return (mode & S_IFMT) == S_IFDIR;
    }

    /** @return whether it is a regular file */
    public boolean isRegularFile() {
      return (mode & S_IFMT) == S_IFREG;
    }

    /** @return whether it is a symbolic link */
    public boolean isSymlink() {
      return (mode & S_IFMT) == S_IFLNK;
    }

    /** @return the permission bits, setuid/setgid/sticky included */
    public int permissions() {
      return mode & 07777;
    }
  }

  /**
   * lstat(2).
   *
   * @param p the path
   * @return its attributes
   * @throws IOException when it does not exist
   */
  public static Stat lstat(Path p) throws IOException {
    Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,size,lastModifiedTime", NOFOLLOW);
    return new Stat((Integer) a.get("mode"), (Integer) a.get("uid"), (Integer) a.get("gid"),
        (Long) a.get("size"), ((FileTime) a.get("lastModifiedTime")).toMillis());
  }

  /**
   * stat(2): follows symbolic links.
   *
   * @param p the path
   * @return the attributes of what it points to
   * @throws IOException when it does not exist
   */
  public static Stat stat(Path p) throws IOException {
    Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,size,lastModifiedTime");
    return new Stat((Integer) a.get("mode"), (Integer) a.get("uid"), (Integer) a.get("gid"),
        (Long) a.get("size"), ((FileTime) a.get("lastModifiedTime")).toMillis());
  }

  /**
   * lchown(2); a no-op when not running as root.
   *
   * @param p the path
   * @param uid the owner
   * @param gid the group
   * @throws IOException when it fails
   */
  public static void chown(Path p, int uid, int gid) throws IOException {
    if (!ROOT) {
      return;
    }
    Files.setAttribute(p, "unix:uid", uid, NOFOLLOW);
    Files.setAttribute(p, "unix:gid", gid, NOFOLLOW);
  }

  /**
   * chmod(2) with all 12 permission bits; never applied to symbolic links.
   *
   * @param p the path
   * @param mode the permission bits
   * @throws IOException when it fails
   */
  public static void chmod(Path p, int mode) throws IOException {
    if (Files.isSymbolicLink(p)) {
      return;
    }
    Files.setAttribute(p, "unix:mode", mode & 07777, NOFOLLOW);
  }

  /**
   * Sets the modification (and access) time without following a symbolic link.
   *
   * @param p the path
   * @param millis the time
   * @throws IOException when it fails
   */
  public static void setMtime(Path p, long millis) throws IOException {
    FileTime t = FileTime.fromMillis(millis);
    Files.getFileAttributeView(p, BasicFileAttributeView.class, NOFOLLOW).setTimes(t, t, null);
  }

  /**
   * Gives {@code to} the owner of {@code from} (when running as root).
   *
   * @param from the model
   * @param to the file to change
   * @throws IOException when it fails
   */
  public static void copyOwner(Path from, Path to) throws IOException {
    Stat s = lstat(from);
    chown(to, s.uid(), s.gid());
  }
}
