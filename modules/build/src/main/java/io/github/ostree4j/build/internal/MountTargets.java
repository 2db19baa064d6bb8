package io.github.ostree4j.build.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Mount points a RUN container needs ({@code /proc}, {@code /dev}, {@code /sys}, bind-mounted
 * {@code /etc/resolv.conf} and {@code /etc/hosts}, the step's own mounts) that are missing from
 * the root. The runtime would create them in the root, where they would show up as changes of the
 * step; instead they are made beforehand in a separate tree below the step's changes (a lower
 * layer of the overlay, or entries the copy-and-diff path treats as pre-existing), with the
 * existing parent directories mirrored so that the merged view does not change.
 */
final class MountTargets {

  /** A mount destination inside the container and whether it is a file (else a directory). */
  record Destination(String path, boolean file) {}

  /** A destination resolved inside the root, with the part that does not exist yet. */
  record Missing(RootedPaths.Resolved resolved, boolean file) {}

  /** Destinations every RUN container has (the kernel file systems mounted by the runtime). */
  static final List<Destination> ALWAYS = List.of(
      new Destination("/proc", false), new Destination("/dev", false), new Destination("/sys", false));

  /** Destinations of the host network files, bind-mounted when the host network is shared. */
  static final List<Destination> HOST_NETWORK = List.of(
      new Destination("/etc/resolv.conf", true), new Destination("/etc/hosts", true));

  private static final List<String> KERNEL_MOUNTS = List.of("/proc", "/dev", "/sys");

  private MountTargets() {}

  /**
   * The destinations that do not exist in {@code root}. Destinations inside another mount (below
   * {@code /proc}, {@code /dev}, {@code /sys} or another destination) are left out: the runtime
   * creates those inside that mount, not in the root.
   *
   * @throws IOException naming the destination when its path runs through a non-directory
   */
  static List<Missing> missing(TreeLookup root, List<Destination> destinations) throws IOException {
    List<Missing> out = new ArrayList<>();
    for (Destination d : destinations) {
      String path = normalize(d.path());
      if (insideAnother(path, destinations)) {
        continue;
      }
      RootedPaths.Resolved r;
      try {
        r = RootedPaths.resolve(root, path);
      } catch (NotDirectoryException e) {
        throw new IOException("cannot mount at " + d.path() + ": " + e.getFile() + " is not a directory");
      }
      if (!r.exists() && !r.components().isEmpty()) {
        out.add(new Missing(r, d.file()));
      }
    }
    return out;
  }

  /**
   * Creates the missing destinations in {@code tree}: existing parents as copies of the
   * directories of {@code source} (mode, owner, user xattrs, modification time), missing parents
   * as root-owned 0755 directories, and the destination itself as an empty directory or file.
   *
   * @return the paths created, relative, parents first
   */
  static List<String> create(Path tree, TreeLookup source, List<Missing> missing) throws IOException {
    List<String> created = new ArrayList<>();
    SortedMap<String, FileTime> mirroredTimes = new TreeMap<>();
    for (Missing m : missing) {
      RootedPaths.Resolved r = m.resolved();
      List<String> parts = r.components();
      for (int i = 1; i <= parts.size(); i++) {
        String rel = r.prefix(i);
        Path at = tree.resolve(rel);
        if (Files.exists(at, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        if (i <= r.firstMissing()) {
          FileMeta meta = source.lstat(rel);
          if (meta == null || !meta.isDir()) {
            throw new IOException("cannot mount at /" + r.rel() + ": /" + rel + " changed while preparing");
          }
          Files.createDirectory(at);
          Path from = source.realPath(rel);
          ChangeTreeFormat.setUserXattrs(at, ChangeTreeFormat.userXattrs(from, meta));
          Metadata.setOwnerAndMode(at, meta);
          mirroredTimes.put(rel, meta.mtime());
        } else if (i == parts.size() && m.file()) {
          Files.createFile(at);
          Metadata.setOwnerAndMode(at, 0, 0, 0644);
        } else {
          Files.createDirectory(at);
          Metadata.setOwnerAndMode(at, 0, 0, 0755);
        }
        created.add(rel);
      }
    }
    // Deepest first, so that setting a directory's time does not disturb its parent's.
    List<Map.Entry<String, FileTime>> times = new ArrayList<>(mirroredTimes.entrySet());
    for (int i = times.size() - 1; i >= 0; i--) {
      Metadata.setMtime(tree.resolve(times.get(i).getKey()), times.get(i).getValue());
    }
    return created;
  }

  private static boolean insideAnother(String path, List<Destination> all) {
    for (String k : KERNEL_MOUNTS) {
      if (path.startsWith(k + "/")) {
        return true;
      }
    }
    for (Destination o : all) {
      String other = normalize(o.path());
      if (!other.equals("/") && path.startsWith(other + "/")) {
        return true;
      }
    }
    return false;
  }

  private static String normalize(String path) {
    String p = "/" + path;
    p = p.replaceAll("/+", "/");
    return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
  }
}
