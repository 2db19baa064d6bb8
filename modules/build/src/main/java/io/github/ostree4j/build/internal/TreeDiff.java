package io.github.ostree4j.build.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Turns a copied root and its {@link Baseline} into a change tree in overlayfs upper format, the
 * same shape the kernel would have produced for the same step:
 *
 * <ul>
 *   <li>an entry that is new, or whose inode changed (deleted and created again, or replaced by
 *       another type) is moved over whole; a directory that replaced something is marked opaque
 *       (a directory made again can get its old inode number back, so directories are recognised
 *       by their identity mark instead, see {@link ChangeTreeFormat#COPY_ID});
 *   <li>an entry with the same inode is changed when its change time, modification time,
 *       permissions, owner or size differ (what overlayfs would have copied up): a file is moved
 *       over, a directory is created with its metadata;
 *   <li>a directory is also created when something below it changed;
 *   <li>an entry that is gone becomes a whiteout (only the topmost deleted path).
 * </ul>
 *
 * <p>Entries are moved with {@code rename(2)}, so files keep their inodes and hard links between
 * moved files survive; the copy is consumed.
 */
final class TreeDiff {

  private final SpecialFiles specials;

  private TreeDiff(SpecialFiles specials) {
    this.specials = specials;
  }

  /**
   * Moves the changes of {@code copy} (against {@code baseline}) into {@code upper}, an existing
   * empty directory whose own metadata is left alone.
   */
  static void apply(Path copy, Baseline.Node baseline, Path upper, SpecialFiles specials) throws IOException {
    new TreeDiff(specials).directory(copy, baseline, upper);
  }

  /** @return whether anything was put into {@code upperDir} */
  private boolean directory(Path dir, Baseline.Node base, Path upperDir) throws IOException {
    SortedMap<String, Path> current = new TreeMap<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        current.put(p.getFileName().toString(), p);
      }
    }
    boolean any = false;
    for (var e : current.entrySet()) {
      Path p = e.getValue();
      Path u = upperDir.resolve(e.getKey());
      FileMeta now = FileMeta.read(p);
      Baseline.Node b = base.children.get(e.getKey());
      if (b == null) {
        moveOver(p, u, now);
        any = true;
      } else if (!now.sameFile(b.meta) || now.type() != b.meta.type()
          || now.isDir() && ChangeTreeFormat.copyId(p) != b.meta.ino()) {
        moveOver(p, u, now);
        if (now.isDir()) {
          ChangeTreeFormat.markOpaque(u);
        }
        any = true;
      } else if (now.isDir()) {
        var xattrs = ChangeTreeFormat.userXattrs(p, now);
        Files.createDirectory(u);
        if (directory(p, b, u) || Baseline.changed(b.meta, now)) {
          ChangeTreeFormat.setUserXattrs(u, xattrs);
          Metadata.setOwnerAndMode(u, now);
          Metadata.setMtime(u, now.mtime());
          any = true;
        } else {
          Files.delete(u);
        }
      } else if (Baseline.changed(b.meta, now)) {
        Files.move(p, u);
        any = true;
      }
    }
    for (String name : base.children.keySet()) {
      if (!current.containsKey(name)) {
        specials.whiteout(upperDir.resolve(name));
        any = true;
      }
    }
    return any;
  }

  /** Moves a new entry over; directories brought along lose their identity marks. */
  private static void moveOver(Path from, Path to, FileMeta meta) throws IOException {
    Files.move(from, to);
    if (meta.isDir()) {
      try (var dirs = Files.walk(to)) {
        for (Path d : (Iterable<Path>) dirs::iterator) {
          if (Files.isDirectory(d, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            ChangeTreeFormat.removeCopyId(d);
          }
        }
      }
    }
  }
}
