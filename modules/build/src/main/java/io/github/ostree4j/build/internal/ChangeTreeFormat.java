package io.github.ostree4j.build.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The on-disk format of change trees (overlayfs upper directories mounted with {@code userxattr}),
 * which both the overlay and the copy-and-diff paths produce and accept as lower layers:
 *
 * <ul>
 *   <li>a deleted path is a whiteout, a character device with device number 0/0;
 *   <li>an opaque directory (one that hides everything below it) carries the xattr
 *       {@code user.overlay.opaque=y};
 *   <li>other {@code user.overlay.*} xattrs (origin, impure, uuid) are overlayfs bookkeeping.
 * </ul>
 *
 * <p>It also reads and writes the {@code user.*} xattrs of files, which the JDK can reach, minus
 * the bookkeeping ones that must never reach a layer: overlayfs' own and {@code user.ostreemeta}
 * (ostree's bare-user metadata, stale once a RUN step changes the file), the copy's directory
 * marks ({@link #COPY_ID}), and {@code security.selinux} (a label of the build host).
 */
final class ChangeTreeFormat {

  /** The opaque marker's name in the JDK's user namespace view ({@code user.} is implied). */
  static final String OPAQUE = "overlay.opaque";

  /**
   * The identity mark of directories in the copy of the fallback path, in the JDK's user view:
   * the directory's inode number when it was copied. A directory deleted and made again may get
   * the same inode number back, but never the mark.
   */
  static final String COPY_ID = "ostree4j.copy-id";

  private static final String OVERLAY_PREFIX = "overlay.";
  private static final String OSTREE_META = "ostreemeta";
  private static final byte[] YES = {'y'};

  private ChangeTreeFormat() {}

  /** Whether a full xattr name is bookkeeping that never goes into a layer or a copy. */
  static boolean isPrivateXattr(String fullName) {
    return fullName.startsWith("user." + OVERLAY_PREFIX)
        || fullName.startsWith("trusted.overlay.")
        || fullName.equals("user." + OSTREE_META)
        || fullName.equals("user." + COPY_ID)
        || fullName.equals("security.selinux");
  }

  /** Whether {@code dir} (a directory of a change tree) is marked opaque. */
  static boolean isOpaque(Path dir) throws IOException {
    UserDefinedFileAttributeView v = view(dir);
    if (v == null) {
      return false;
    }
    try {
      if (!v.list().contains(OPAQUE)) {
        return false;
      }
      ByteBuffer b = ByteBuffer.allocate(v.size(OPAQUE));
      v.read(OPAQUE, b);
      return b.position() == 1 && b.get(0) == 'y';
    } catch (FileSystemException e) {
      if (unsupported(e)) {
        return false;
      }
      throw e;
    }
  }

  /** Marks a directory of a copy with its identity ({@link #COPY_ID}). */
  static void setCopyId(Path dir, long id) throws IOException {
    view(dir).write(COPY_ID, ByteBuffer.wrap(Long.toString(id).getBytes(StandardCharsets.US_ASCII)));
  }

  /** The identity mark of a directory of a copy, or -1 when it has none. */
  static long copyId(Path dir) throws IOException {
    UserDefinedFileAttributeView v = view(dir);
    if (!v.list().contains(COPY_ID)) {
      return -1;
    }
    ByteBuffer b = ByteBuffer.allocate(v.size(COPY_ID));
    v.read(COPY_ID, b);
    try {
      return Long.parseLong(new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Removes the identity mark from a directory, if it has one. */
  static void removeCopyId(Path dir) throws IOException {
    UserDefinedFileAttributeView v = view(dir);
    if (v.list().contains(COPY_ID)) {
      v.delete(COPY_ID);
    }
  }

  /** Marks {@code dir} opaque. */
  static void markOpaque(Path dir) throws IOException {
    view(dir).write(OPAQUE, ByteBuffer.wrap(YES));
  }

  /**
   * The {@code user.*} xattrs of a regular file or directory (full names, sorted), without the
   * private ones. Other file types are never opened, so this returns nothing for them.
   */
  static SortedMap<String, byte[]> userXattrs(Path p, FileMeta meta) throws IOException {
    if (!meta.isRegular() && !meta.isDir()) {
      return Collections.emptySortedMap();
    }
    UserDefinedFileAttributeView v = view(p);
    if (v == null) {
      return Collections.emptySortedMap();
    }
    List<String> names;
    try {
      names = v.list();
    } catch (FileSystemException e) {
      if (unsupported(e)) {
        return Collections.emptySortedMap();
      }
      throw e;
    }
    SortedMap<String, byte[]> out = new TreeMap<>();
    for (String name : names) {
      String full = "user." + name;
      if (isPrivateXattr(full)) {
        continue;
      }
      ByteBuffer b = ByteBuffer.allocate(v.size(name));
      v.read(name, b);
      byte[] value = new byte[b.position()];
      b.flip();
      b.get(value);
      out.put(full, value);
    }
    return out;
  }

  /** Sets {@code user.*} xattrs (full names; others are ignored) on a regular file or directory. */
  static void setUserXattrs(Path p, SortedMap<String, byte[]> xattrs) throws IOException {
    if (xattrs.isEmpty()) {
      return;
    }
    UserDefinedFileAttributeView v = view(p);
    for (var e : xattrs.entrySet()) {
      if (e.getKey().startsWith("user.")) {
        v.write(e.getKey().substring(5), ByteBuffer.wrap(e.getValue()));
      }
    }
  }

  private static UserDefinedFileAttributeView view(Path p) {
    return Files.getFileAttributeView(p, UserDefinedFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
  }

  private static boolean unsupported(FileSystemException e) {
    String m = String.valueOf(e.getMessage());
    return m.contains("not supported") || m.contains("Operation not supported");
  }
}
