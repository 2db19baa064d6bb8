package io.github.ostree4j.container;

import io.github.ostree4j.container.internal.DpkgComponents;
import io.github.ostree4j.container.internal.DpkgDatabase;
import io.github.ostree4j.container.internal.OwnershipMap;
import io.github.ostree4j.container.internal.RpmDatabase;
import io.github.ostree4j.container.internal.TreeIndex;
import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.ostree.OstreeRepo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the components of a commit: from its package database when the tree has one, else by
 * path (see {@code docs/chunking.md}).
 *
 * <p>With a dpkg database ({@code var/lib/dpkg}, {@code usr/share/dpkg/database} or {@code
 * usr/lib/sysimage/dpkg}) every package is a component named after the package, whose {@link
 * Component#group() group} is its source package (so that {@code libc6} and {@code libc-bin},
 * always upgraded together, share a layer), and holds the objects of the files its {@code .list}
 * names plus its own database files; the rest of the database (status and the like) goes to
 * layer 0, because it changes with every package change. Unclaimed generated state under {@code etc}, {@code usr/etc}
 * and {@code var/log} goes to layer 0 too.
 *
 * <p>With an rpm database ({@code usr/lib/sysimage/rpm}, {@code usr/share/rpm} or {@code
 * var/lib/rpm}) and the {@code rpm} command installed, the same holds with rpm's packages, grouped
 * by source rpm; the database itself goes to layer 0. Without the {@code rpm} command such a tree
 * is grouped by path.
 *
 * <p>Objects no package claims are grouped by directory ({@code usr/lib/modules/<version>}, {@code
 * usr/share/locale}, {@code var/lib/apt}, ...), as is everything in a tree without a database.
 * Each object is in at most one component; the components are sorted by name.
 */
public final class ComponentFinder {

  private ComponentFinder() {}

  /**
   * Finds the components.
   *
   * @param repo the repository holding the commit
   * @param commit the commit
   * @param objects the commit's objects, from {@link ChunkObjects#of}
   * @return the components, sorted by name
   * @throws IOException if the package database cannot be read or is malformed, or {@code rpm}
   *     fails on it
   */
  public static List<Component> find(OstreeRepo repo, Checksum commit, Map<Checksum, ChunkObject> objects)
      throws IOException {
    return findWithOwners(repo, commit, objects).components();
  }

  /**
   * The components, and which package claims each path.
   *
   * @param components the components, sorted by name
   * @param pathOwners the component name of the package that claims a path, for claimed paths
   */
  public record Found(List<Component> components, Map<String, String> pathOwners) {}

  /**
   * Finds the components and the owner of every claimed path.
   *
   * @param repo the repository holding the commit
   * @param commit the commit
   * @param objects the commit's objects
   * @return both
   * @throws IOException as {@link #find}
   */
  public static Found findWithOwners(OstreeRepo repo, Checksum commit, Map<Checksum, ChunkObject> objects)
      throws IOException {
    OwnershipMap ownership = ownership(repo, commit, objects, DpkgComponents.Grouping.PACKAGE_PACKED_BY_SOURCE);
    return new Found(ownership.components(objects), ownership.pathOwners());
  }

  static List<Component> find(
      OstreeRepo repo, Checksum commit, Map<Checksum, ChunkObject> objects, DpkgComponents.Grouping grouping)
      throws IOException {
    return ownership(repo, commit, objects, grouping).components(objects);
  }

  private static OwnershipMap ownership(
      OstreeRepo repo, Checksum commit, Map<Checksum, ChunkObject> objects, DpkgComponents.Grouping grouping)
      throws IOException {
    TreeIndex tree = TreeIndex.of(repo, objects);
    OwnershipMap ownership = new OwnershipMap();
    Optional<DpkgDatabase> dpkg = DpkgDatabase.find(tree);
    if (dpkg.isPresent()) {
      DpkgComponents.claim(dpkg.get(), tree, ownership, grouping);
    } else {
      Optional<String> rpmDb = RpmDatabase.find(tree);
      if (rpmDb.isPresent()) {
        Optional<Path> rpm = RpmDatabase.executable();
        if (rpm.isPresent()) {
          RpmDatabase.claim(rpm.get(), tree, rpmDb.get(), ownership);
        } else {
          for (String f : tree.filesUnder(rpmDb.get())) {
            ownership.markVolatile(f);
          }
        }
      }
    }
    return ownership;
  }
}
