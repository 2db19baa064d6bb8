package io.github.ostree4j.ostree;

/** POSIX {@code st_mode} constants and helpers as ostree uses them. */
public final class FileMode {
  /** File type mask. */
  public static final int S_IFMT = 0170000;
  /** Regular file. */
  public static final int S_IFREG = 0100000;
  /** Directory. */
  public static final int S_IFDIR = 0040000;
  /** Symbolic link. */
  public static final int S_IFLNK = 0120000;
  /** Character device. */
  public static final int S_IFCHR = 0020000;
  /** Block device. */
  public static final int S_IFBLK = 0060000;
  /** FIFO. */
  public static final int S_IFIFO = 0010000;
  /** Socket. */
  public static final int S_IFSOCK = 0140000;
  /** Set-user-ID bit. */
  public static final int S_ISUID = 04000;
  /** Set-group-ID bit. */
  public static final int S_ISGID = 02000;
  /** Sticky bit. */
  public static final int S_ISVTX = 01000;

  private FileMode() {}

  /** Whether the mode is a regular file. */
  public static boolean isRegular(int mode) {
    return (mode & S_IFMT) == S_IFREG;
  }

  /** Whether the mode is a directory. */
  public static boolean isDirectory(int mode) {
    return (mode & S_IFMT) == S_IFDIR;
  }

  /** Whether the mode is a symbolic link. */
  public static boolean isSymlink(int mode) {
    return (mode & S_IFMT) == S_IFLNK;
  }

  /** The permission bits including setuid, setgid and sticky. */
  public static int permissions(int mode) {
    return mode & 07777;
  }

  /** The {@code ls}-style type character ostree prints: d, -, l or ?. */
  public static char typeChar(int mode) {
    switch (mode & S_IFMT) {
      case S_IFDIR:
        return 'd';
      case S_IFREG:
        return '-';
      case S_IFLNK:
        return 'l';
      default:
        return '?';
    }
  }
}
