package io.github.ostree4j.deploy;

import io.github.ostree4j.deploy.internal.FileOps;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The three-way merge of {@code /etc} done when a new deployment is written: the previous
 * deployment's {@code usr/etc} (what its image shipped), its {@code etc} (what the machine has),
 * and the new deployment's {@code etc} (a fresh copy of the new image's {@code usr/etc}), which
 * is changed in place.
 *
 * <p>The rules, those of libostree:
 *
 * <ul>
 *   <li>a file nobody touched locally follows the image (it is whatever the new {@code usr/etc}
 *       has, or gone if the image dropped it);
 *   <li>a file edited locally (content, mode or owner; xattrs are ignored, as SELinux labels
 *       differ between {@code usr/etc} and {@code etc}) keeps the local version, also when the
 *       image changed it;
 *   <li>a file deleted locally stays deleted;
 *   <li>a file added locally is kept.
 * </ul>
 *
 * <p>Type changes are reported as {@link EtcConflict conflicts}: a path whose type was changed
 * locally (a file made a directory or symlink...), a locally changed or added path that the new
 * image has as another type. The local version is kept, except where the new image has a
 * directory and the local version is not one: the image's directory is kept then (libostree
 * refuses the whole deployment in that case). A local change below a path the new image has as a
 * file or symlink is a conflict too, and the image's version is kept: nothing is ever written
 * through a symlink. Sockets, fifos and device nodes are ignored.
 */
public final class EtcMerge {

  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

  private final Path orig;
  private final Path local;
  private final Path target;
  private final List<String> modified = new ArrayList<>();
  private final List<String> removed = new ArrayList<>();
  private final List<String> added = new ArrayList<>();
  private final List<String> addedRoots = new ArrayList<>();
  private final List<EtcConflict> conflicts = new ArrayList<>();

  private EtcMerge(Path orig, Path local, Path target) {
    this.orig = orig;
    this.local = local;
    this.target = target;
  }

  /**
   * Merges the local changes of {@code /etc} into a new deployment's {@code etc}.
   *
   * @param previousUsrEtc the previous deployment's {@code usr/etc}
   * @param previousEtc the previous deployment's {@code etc}
   * @param newEtc the new deployment's {@code etc}, a copy of its {@code usr/etc}; changed in place
   * @return what was carried over
   * @throws IOException when a tree cannot be read or written
   */
  public static EtcMergeResult merge(Path previousUsrEtc, Path previousEtc, Path newEtc)
      throws IOException {
    EtcMerge m = new EtcMerge(previousUsrEtc, previousEtc, newEtc);
    if (!Files.isDirectory(previousEtc, NOFOLLOW)) {
      return EtcMergeResult.NONE;
    }
    if (Files.isDirectory(previousUsrEtc, NOFOLLOW)) {
      m.diff("");
    } else {
      m.addAll("");
    }
    m.apply();
    return new EtcMergeResult(m.modified, m.removed, m.added, m.conflicts);
  }

  // ------------------------------------------------------------------ diff (orig vs local)

  private void diff(String dir) throws IOException {
    TreeSet<String> a = names(orig.resolve(dir));
    TreeSet<String> b = names(local.resolve(dir));
    for (String n : a) {
      String p = join(dir, n);
      char ta = FileOps.type(orig.resolve(p));
      char tb = FileOps.type(local.resolve(p));
      if (ta == 'o' || tb == 'o') {
        continue;
      }
      if (tb == 0) {
        removed.add(p);
      } else if (ta != tb) {
        modified.add(p);
      } else {
        if (!sameEntry(orig.resolve(p), local.resolve(p), ta)) {
          modified.add(p);
        }
        if (ta == 'd') {
          diff(p);
        }
      }
    }
    for (String n : b) {
      if (!a.contains(n)) {
        addTree(join(dir, n));
      }
    }
  }

  private void addAll(String dir) throws IOException {
    for (String n : names(local.resolve(dir))) {
      addTree(join(dir, n));
    }
  }

  private void addTree(String p) throws IOException {
    char t = FileOps.type(local.resolve(p));
    if (t == 'o') {
      return;
    }
    added.add(p);
    addedRoots.add(p);
    if (t == 'd') {
      addChildren(p);
    }
  }

  private void addChildren(String dir) throws IOException {
    for (String n : names(local.resolve(dir))) {
      String p = join(dir, n);
      char t = FileOps.type(local.resolve(p));
      if (t == 'o') {
        continue;
      }
      added.add(p);
      if (t == 'd') {
        addChildren(p);
      }
    }
  }

  private static boolean sameEntry(Path a, Path b, char type) throws IOException {
    Map<String, Object> x = Files.readAttributes(a, "unix:mode,uid,gid,size", NOFOLLOW);
    Map<String, Object> y = Files.readAttributes(b, "unix:mode,uid,gid,size", NOFOLLOW);
    if (!x.get("uid").equals(y.get("uid")) || !x.get("gid").equals(y.get("gid"))) {
      return false;
    }
    if (type == 'l') {
      return Files.readSymbolicLink(a).equals(Files.readSymbolicLink(b));
    }
    if (((Integer) x.get("mode") & 07777) != ((Integer) y.get("mode") & 07777)) {
      return false;
    }
    if (type == 'd') {
      return true;
    }
    if (!x.get("size").equals(y.get("size"))) {
      return false;
    }
    Object ka = Files.readAttributes(a, java.nio.file.attribute.BasicFileAttributes.class, NOFOLLOW).fileKey();
    Object kb = Files.readAttributes(b, java.nio.file.attribute.BasicFileAttributes.class, NOFOLLOW).fileKey();
    if (ka != null && Objects.equals(ka, kb)) {
      return true;
    }
    return sameContent(a, b);
  }

  private static boolean sameContent(Path a, Path b) throws IOException {
    byte[] ba = new byte[65536];
    byte[] bb = new byte[65536];
    try (InputStream ia = Files.newInputStream(a, NOFOLLOW);
        InputStream ib = Files.newInputStream(b, NOFOLLOW)) {
      while (true) {
        int na = ia.readNBytes(ba, 0, ba.length);
        int nb = ib.readNBytes(bb, 0, bb.length);
        if (na != nb || !Arrays.equals(ba, 0, na, bb, 0, nb)) {
          return false;
        }
        if (na < ba.length) {
          return true;
        }
      }
    }
  }

  // ------------------------------------------------------------------ apply onto the new etc

  private void apply() throws IOException {
    for (String p : removed) {
      Optional<Path> t = targetPath(p);
      if (t.isPresent()) {
        FileOps.deleteTree(t.get());
      }
    }
    for (String p : modified) {
      char to = FileOps.type(orig.resolve(p));
      char tl = FileOps.type(local.resolve(p));
      Optional<Path> t = targetPath(p);
      if (t.isEmpty()) {
        blockedByImage(p);
        continue;
      }
      char tn = FileOps.type(t.get());
      if (to != tl) {
        conflict(p, "changed locally from " + name(to) + " to " + name(tl), tl, tn);
      } else if (tn != 0 && tn != to) {
        conflict(p, "changed locally; the new image changed it from " + name(to) + " to "
            + name(tn), tl, tn);
      }
      copyLocal(p, t.get());
    }
    for (String p : addedRoots) {
      char tl = FileOps.type(local.resolve(p));
      Optional<Path> t = targetPath(p);
      if (t.isEmpty()) {
        blockedByImage(p);
        continue;
      }
      char tn = FileOps.type(t.get());
      if (tn != 0 && tn != tl) {
        conflict(p, "added locally as " + name(tl) + "; the new image has " + name(tn), tl, tn);
      }
      copyLocal(p, t.get());
    }
  }

  private void conflict(String p, String what, char local, char image) {
    boolean imageWins = image == 'd' && local != 'd';
    conflicts.add(new EtcConflict(p, what + "; kept the " + (imageWins ? "image's" : "local")
        + " version"));
  }

  /** A local change below a path that the new image has as a file or symlink. */
  private void blockedByImage(String p) throws IOException {
    String parent = p;
    char t = 'd';
    while (t == 'd' && parent.indexOf('/') > 0) {
      parent = parent.substring(0, parent.lastIndexOf('/'));
      Optional<Path> tp = targetPath(parent);
      t = tp.isPresent() ? FileOps.type(tp.get()) : 'd';
    }
    conflicts.add(new EtcConflict(p, "changed locally, but the new image has " + name(t) + " at "
        + parent + "; kept the image's version"));
  }

  /**
   * {@code p} in the new etc when every existing parent there is a real directory; empty when a
   * parent is a file or symlink (writing through it could leave the tree).
   */
  private Optional<Path> targetPath(String p) throws IOException {
    Path cur = target;
    String[] parts = p.split("/");
    for (int i = 0; i < parts.length - 1; i++) {
      cur = cur.resolve(parts[i]);
      char t = FileOps.type(cur);
      if (t == 0) {
        break;
      }
      if (t != 'd') {
        return Optional.empty();
      }
    }
    return Optional.of(target.resolve(p));
  }

  /** Puts the local version of {@code p} into the new etc (see the class rules). */
  private void copyLocal(String p, Path dst) throws IOException {
    Path src = local.resolve(p);
    char tl = FileOps.type(src);
    ensureParents(p);
    char tn = FileOps.type(dst);
    if (tn == 'd') {
      if (tl == 'd') {
        FileOps.copyMetadata(src, dst);
      }
      return;
    }
    if (tn != 0) {
      FileOps.deleteTree(dst);
    }
    FileOps.copyTree(src, dst);
  }

  /**
   * Creates the missing parent directories of {@code p} in the new etc, top down, as they are
   * locally (the existing ones are real directories, see {@link #targetPath}).
   */
  private void ensureParents(String p) throws IOException {
    String[] parts = p.split("/");
    String rel = "";
    for (int i = 0; i < parts.length - 1; i++) {
      rel = rel.isEmpty() ? parts[i] : rel + "/" + parts[i];
      Path dst = target.resolve(rel);
      if (FileOps.type(dst) == 0) {
        Files.createDirectory(dst);
        FileOps.copyMetadata(local.resolve(rel), dst);
      }
    }
  }

  private static String name(char type) {
    switch (type) {
      case 'd':
        return "a directory";
      case 'l':
        return "a symlink";
      case 'f':
        return "a file";
      case 0:
        return "nothing";
      default:
        return "a special file";
    }
  }

  private static TreeSet<String> names(Path dir) throws IOException {
    TreeSet<String> out = new TreeSet<>();
    if (!Files.isDirectory(dir, NOFOLLOW)) {
      return out;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        out.add(p.getFileName().toString());
      }
    }
    return out;
  }

  private static String join(String dir, String name) {
    return dir.isEmpty() ? name : dir + "/" + name;
  }
}
