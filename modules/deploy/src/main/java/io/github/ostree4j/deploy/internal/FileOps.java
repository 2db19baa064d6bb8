package io.github.ostree4j.deploy.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * File operations of a sysroot: durable writes, atomic symlink replacement, tree deletion that
 * never follows symlinks, and copies that keep owner, mode, times and {@code user.*} xattrs.
 */
public final class FileOps {

  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

  private FileOps() {}

  /**
   * Writes a file through a temp file in the same directory, synced before it is renamed over the
   * destination, so the destination holds either the old or the whole new content.
   *
   * @param file the destination
   * @param text the content
   * @throws IOException on failure
   */
  public static void writeDurably(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(true);
    }
    Files.setAttribute(tmp, "unix:mode", 0644);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * Points {@code link} at {@code target} atomically: a symlink {@code NAME.tmp} is created and
   * renamed over {@code link}, as libostree does.
   *
   * @param link the symlink to create or replace
   * @param target its new target
   * @throws IOException on failure
   */
  public static void replaceSymlink(Path link, String target) throws IOException {
    Path tmp = link.resolveSibling(link.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createSymbolicLink(tmp, Path.of(target));
    Files.move(tmp, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * Flushes a file or directory to disk ({@code fsync}).
   *
   * @param p the file or directory
   * @throws IOException on failure
   */
  public static void fsync(Path p) throws IOException {
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  /**
   * Flushes the filesystems holding the given paths ({@code syncfs} through {@code sync -f}, or a
   * global {@code sync} where that is unavailable); each filesystem once.
   *
   * @param paths paths on the filesystems to flush
   * @throws IOException when syncing fails
   */
  public static void syncFilesystems(Path... paths) throws IOException {
    Set<FileStore> seen = new LinkedHashSet<>();
    for (Path p : paths) {
      FileStore fs = Files.getFileStore(p);
      if (!seen.add(fs)) {
        continue;
      }
      if (run(List.of("sync", "-f", p.toString())) != 0 && run(List.of("sync")) != 0) {
        throw new IOException("syncing the filesystem of " + p + " failed");
      }
    }
  }

  private static int run(List<String> cmd) throws IOException {
    Process proc = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try {
      if (!proc.waitFor(10, TimeUnit.MINUTES)) {
        proc.destroyForcibly();
        return -1;
      }
      return proc.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while running " + cmd.get(0));
    }
  }

  /**
   * Deletes a file, symlink or directory tree without following symlinks. A directory that
   * refuses deletion of its entries (libostree makes deployment directories immutable) has its
   * immutable attribute cleared with {@code chattr -i} and is tried again.
   *
   * @param root the tree
   * @throws IOException when it cannot be deleted
   */
  public static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, NOFOLLOW)) {
      return;
    }
    try {
      deleteRecursive(root);
    } catch (FileSystemException e) {
      if (!Files.isDirectory(root, NOFOLLOW) || run(List.of("chattr", "-i", root.toString())) != 0) {
        throw e;
      }
      deleteRecursive(root);
    }
  }

  private static void deleteRecursive(Path p) throws IOException {
    if (Files.isDirectory(p, NOFOLLOW)) {
      List<Path> children = new ArrayList<>();
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(p)) {
        for (Path c : ds) {
          children.add(c);
        }
      } catch (NoSuchFileException e) {
        return;
      }
      for (Path c : children) {
        deleteRecursive(c);
      }
    }
    Files.deleteIfExists(p);
  }

  /**
   * Whether {@code rel} is a directory below {@code root} reached through directories only: no
   * component is a symlink, so the path cannot lead out of the tree.
   *
   * @param root the tree
   * @param rel a relative path such as {@code usr/lib/modules}
   * @return true when every component is a real directory
   */
  public static boolean realDirectory(Path root, String rel) {
    Path cur = root;
    for (String part : rel.split("/")) {
      if (part.isEmpty()) {
        continue;
      }
      if (part.equals("..") || part.equals(".")) {
        return false;
      }
      cur = cur.resolve(part);
      if (!Files.isDirectory(cur, NOFOLLOW)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The type of a path, not following symlinks.
   *
   * @param p the path
   * @return {@code 'd'} directory, {@code 'f'} regular file, {@code 'l'} symlink, {@code 'o'}
   *     anything else, {@code 0} when absent
   * @throws IOException when it cannot be read
   */
  public static char type(Path p) throws IOException {
    if (!Files.exists(p, NOFOLLOW)) {
      return 0;
    }
    if (Files.isSymbolicLink(p)) {
      return 'l';
    }
    if (Files.isDirectory(p, NOFOLLOW)) {
      return 'd';
    }
    if (Files.isRegularFile(p, NOFOLLOW)) {
      return 'f';
    }
    return 'o';
  }

  /**
   * Copies a regular file, symlink or directory tree, keeping owner, permission bits, times and
   * {@code user.*} xattrs. Other file types are skipped. The destination must not exist.
   *
   * @param src the source
   * @param dst the destination
   * @throws IOException on failure
   */
  public static void copyTree(Path src, Path dst) throws IOException {
    switch (type(src)) {
      case 'd':
        Files.createDirectory(dst);
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(src)) {
          for (Path c : ds) {
            copyTree(c, dst.resolve(c.getFileName().toString()));
          }
        }
        copyMetadata(src, dst);
        break;
      case 'l':
        Files.createSymbolicLink(dst, Files.readSymbolicLink(src));
        copyOwner(src, dst);
        break;
      case 'f':
        Files.copy(src, dst, LinkOption.NOFOLLOW_LINKS);
        copyMetadata(src, dst);
        break;
      default:
        break;
    }
  }

  /**
   * Gives {@code dst} the owner, permission bits, modification time and {@code user.*} xattrs of
   * {@code src} (a file or directory).
   *
   * @param src the source
   * @param dst the destination
   * @throws IOException on failure
   */
  public static void copyMetadata(Path src, Path dst) throws IOException {
    copyOwner(src, dst);
    int mode = (Integer) Files.getAttribute(src, "unix:mode", NOFOLLOW);
    Files.setAttribute(dst, "unix:mode", mode & 07777, NOFOLLOW);
    copyUserXattrs(src, dst);
    FileTime t = Files.getLastModifiedTime(src, NOFOLLOW);
    Files.setLastModifiedTime(dst, t);
  }

  private static void copyOwner(Path src, Path dst) throws IOException {
    Map<String, Object> a = Files.readAttributes(src, "unix:uid,gid", NOFOLLOW);
    int uid = (Integer) a.get("uid");
    int gid = (Integer) a.get("gid");
    Map<String, Object> b = Files.readAttributes(dst, "unix:uid,gid", NOFOLLOW);
    if ((Integer) b.get("uid") != uid) {
      Files.setAttribute(dst, "unix:uid", uid, NOFOLLOW);
    }
    if ((Integer) b.get("gid") != gid) {
      Files.setAttribute(dst, "unix:gid", gid, NOFOLLOW);
    }
  }

  private static void copyUserXattrs(Path src, Path dst) throws IOException {
    UserDefinedFileAttributeView from = Files.getFileAttributeView(src,
        UserDefinedFileAttributeView.class, NOFOLLOW);
    UserDefinedFileAttributeView to = Files.getFileAttributeView(dst,
        UserDefinedFileAttributeView.class, NOFOLLOW);
    if (from == null || to == null) {
      return;
    }
    List<String> names;
    try {
      names = from.list();
    } catch (IOException e) {
      return; // the filesystem has no user xattrs
    }
    for (String n : names) {
      ByteBuffer buf = ByteBuffer.allocate(from.size(n));
      from.read(n, buf);
      buf.flip();
      to.write(n, buf);
    }
  }
}
