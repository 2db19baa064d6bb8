package io.github.ostree4j.container.internal;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Claims the paths of a commit for the packages of its dpkg database: the files each package's
 * {@code .list} names (through diversions and symlinked directories), and the package's own
 * files in {@code info/} ({@code .list}, {@code .md5sums}, maintainer scripts), which change
 * exactly when the package does. The rest of the database directory (status, available,
 * triggers, ...) changes with every package change and is marked volatile.
 */
public final class DpkgComponents {

  /** How packages map to components. */
  public enum Grouping {
    /** One component per binary package, named after it, packed alone. */
    PACKAGE,
    /** One component per source package: binary packages built together change together. */
    SOURCE,
    /**
     * One component per binary package, packed with the other binary packages of its source:
     * an upgrade of the source changes one layer, a package added to an installed source goes
     * to the reserved layer.
     */
    PACKAGE_PACKED_BY_SOURCE
  }

  private DpkgComponents() {}

  /**
   * Claims the paths of every package.
   *
   * @param db the database
   * @param tree the commit's paths
   * @param ownership receives the claims
   * @param grouping how packages become components
   * @throws IOException if a database file cannot be read
   */
  public static void claim(DpkgDatabase db, TreeIndex tree, OwnershipMap ownership, Grouping grouping)
      throws IOException {
    Map<String, Integer> instances = new HashMap<>();
    for (DpkgDatabase.Package p : db.packages()) {
      instances.merge(p.name(), 1, Integer::sum);
    }
    Map<DpkgDatabase.Package, String> component = new HashMap<>();
    for (DpkgDatabase.Package p : db.packages()) {
      String name;
      if (grouping == Grouping.SOURCE) {
        name = p.source();
      } else {
        name = instances.get(p.name()) > 1 && !p.arch().isEmpty() ? p.name() + ":" + p.arch() : p.name();
      }
      component.put(p, name);
      ownership.addPackage(name, grouping == Grouping.PACKAGE ? name : p.source());
    }
    for (DpkgDatabase.Package p : db.packages()) {
      Optional<String> list = db.listFile(p);
      if (list.isEmpty()) {
        continue;
      }
      String name = component.get(p);
      db.readList(list.get(), path -> {
        DpkgDatabase.Diversion d = db.diversions().get(path);
        String actual = d != null && !d.by().equals(p.name()) ? d.to() : path;
        Optional<String> resolved = tree.resolve(actual);
        if (resolved.isPresent() && tree.file(resolved.get()).isPresent()) {
          ownership.claim(resolved.get(), name);
        }
      });
    }
    String info = db.adminDir() + "/info";
    for (String f : tree.filesIn(info)) {
      Optional<DpkgDatabase.Package> p = db.ownerOfInfoFile(f);
      if (p.isPresent()) {
        ownership.claim(f, component.get(p.get()));
      }
    }
    for (String f : tree.filesUnder(db.adminDir())) {
      if (!ownership.isKnown(f)) {
        ownership.markVolatile(f);
      }
    }
  }
}
