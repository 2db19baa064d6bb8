package io.github.ostree4j.build.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;

/**
 * What {@code lstat} says about one file: type and permission bits, inode, device, device number
 * of a device node, link count, owner, size and the modification and status-change times.
 */
record FileMeta(
    int mode, long ino, long dev, long rdev, int nlink, int uid, int gid, long size, FileTime mtime,
    FileTime ctime) {

  static final int S_IFMT = 0170000;
  static final int S_IFSOCK = 0140000;
  static final int S_IFLNK = 0120000;
  static final int S_IFREG = 0100000;
  static final int S_IFBLK = 0060000;
  static final int S_IFDIR = 0040000;
  static final int S_IFCHR = 0020000;
  static final int S_IFIFO = 0010000;

  private static final String ATTRS = "unix:mode,ino,dev,rdev,nlink,uid,gid,size,lastModifiedTime,ctime";

  /** Reads the attributes of {@code p} without following a symlink. */
  static FileMeta read(Path p) throws IOException {
    Map<String, Object> a = Files.readAttributes(p, ATTRS, LinkOption.NOFOLLOW_LINKS);
    return new FileMeta(
        (Integer) a.get("mode"),
        (Long) a.get("ino"),
        (Long) a.get("dev"),
        (Long) a.get("rdev"),
        (Integer) a.get("nlink"),
        (Integer) a.get("uid"),
        (Integer) a.get("gid"),
        (Long) a.get("size"),
        (FileTime) a.get("lastModifiedTime"),
        (FileTime) a.get("ctime"));
  }

  /** Like {@link #read}, but null when nothing is there (or a path component is not a directory). */
  static FileMeta readIfExists(Path p) throws IOException {
    try {
      return read(p);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      if (String.valueOf(e.getMessage()).contains("Not a directory")) {
        return null;
      }
      throw e;
    }
  }

  int type() {
    return mode & S_IFMT;
  }

  int perms() {
    return mode & 07777;
  }

  boolean isDir() {
    return type() == S_IFDIR;
  }

  boolean isRegular() {
    return type() == S_IFREG;
  }

  boolean isSymlink() {
    return type() == S_IFLNK;
  }

  boolean isDevice() {
    return type() == S_IFCHR || type() == S_IFBLK;
  }

  /** An overlayfs whiteout: a character device with device number 0/0. */
  boolean isWhiteout() {
    return type() == S_IFCHR && rdev == 0;
  }

  /** The major device number (Linux encoding of {@code dev_t}). */
  long major() {
    return ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL);
  }

  /** The minor device number (Linux encoding of {@code dev_t}). */
  long minor() {
    return (rdev & 0xff) | ((rdev >>> 12) & ~0xffL);
  }

  /** Modification time in whole seconds, rounded down. */
  long mtimeSeconds() {
    return mtime.toInstant().getEpochSecond();
  }

  /** Whether both name the same file (device and inode). */
  boolean sameFile(FileMeta o) {
    return o != null && ino == o.ino && dev == o.dev;
  }

  /** Type name for messages. */
  String typeName() {
    switch (type()) {
      case S_IFDIR:
        return "directory";
      case S_IFREG:
        return "regular file";
      case S_IFLNK:
        return "symlink";
      case S_IFCHR:
        return "character device";
      case S_IFBLK:
        return "block device";
      case S_IFIFO:
        return "fifo";
      case S_IFSOCK:
        return "socket";
      default:
        return "file of type " + Integer.toOctalString(type());
    }
  }
}
