package io.github.ostree4j.build.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;

/**
 * Sets owner, permissions and modification time of files, never following symlinks and never
 * opening a device node or fifo (the JDK opens files to set their times, which would block on a
 * fifo; those go through {@code touch}).
 */
final class Metadata {

  private Metadata() {}

  /** Owner and permission bits as in {@code meta} (permissions are not set on symlinks). */
  static void setOwnerAndMode(Path p, FileMeta meta) throws IOException {
    setOwnerAndMode(p, meta.uid(), meta.gid(), meta.isSymlink() ? -1 : meta.perms());
  }

  /**
   * Owner, then permissions (in that order: changing the owner clears setuid and setgid bits).
   *
   * @param p a file that is not a symlink unless {@code perms} is -1
   * @param perms permission bits including setuid/setgid/sticky, or -1 to leave them
   */
  static void setOwnerAndMode(Path p, int uid, int gid, int perms) throws IOException {
    Files.setAttribute(p, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(p, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
    if (perms >= 0) {
      // chmod(2) by path: p is known not to be a symlink, and nothing is opened
      Files.setAttribute(p, "unix:mode", perms);
    }
  }

  /** The modification time of a regular file, directory or symlink; the access time is left. */
  static void setMtime(Path p, FileTime mtime) throws IOException {
    Files.getFileAttributeView(p, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
        .setTimes(mtime, null, null);
  }

  /** The modification time of a file of the given kind (device nodes and fifos included). */
  static void setMtime(Path p, FileMeta kind, FileTime mtime) throws IOException {
    if (kind.isRegular() || kind.isDir() || kind.isSymlink()) {
      setMtime(p, mtime);
      return;
    }
    Instant t = mtime.toInstant();
    long sec = t.getEpochSecond();
    int nano = t.getNano();
    String stamp = sec >= 0 || nano == 0
        ? "@" + sec + "." + String.format("%09d", nano)
        : "@-" + (-(sec + 1)) + "." + String.format("%09d", 1_000_000_000 - nano);
    HostCommand.check(List.of(HostCommand.require("touch", "set times of device nodes").toString(),
        "-h", "-m", "-d", stamp, p.toString()), null, "setting the time of " + p);
  }
}
