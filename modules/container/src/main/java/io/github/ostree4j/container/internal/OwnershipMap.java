package io.github.ostree4j.container.internal;

import io.github.ostree4j.container.ChunkObject;
import io.github.ostree4j.container.Component;
import io.github.ostree4j.ostree.Checksum;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Who owns which path, and from that, which component each content object belongs to.
 *
 * <p>Paths are claimed by packages, marked volatile (package database state, which changes with
 * every package change) or left unclaimed. An object then goes:
 *
 * <ul>
 *   <li>to layer 0 (no component) if any of its paths is volatile;
 *   <li>to its package if the packages claiming its paths are one;
 *   <li>to layer 0 if several packages claim it and it is empty (an empty file or a symlink):
 *       such objects are shared by many packages, and the layer holding one would change whenever
 *       any package adds or drops a path to it;
 *   <li>to the first of the claiming packages by name otherwise;
 *   <li>to layer 0 if no package claims it and one of its paths is {@link PathGroups#isGenerated
 *       generated state};
 *   <li>to the {@link PathGroups path group} of its first path if no package claims it.
 * </ul>
 *
 * A path claimed by several packages goes to the first by name.
 */
public final class OwnershipMap {

  private final Map<String, String> owner = new HashMap<>();
  private final Set<String> volatilePaths = new java.util.HashSet<>();
  private final Set<String> packages = new TreeSet<>();
  private final Map<String, String> groups = new HashMap<>();

  /**
   * Registers a package, so that it becomes a component even when it owns no object.
   *
   * @param name the component name
   * @param group the group it is packed with (its source package)
   */
  public void addPackage(String name, String group) {
    packages.add(name);
    groups.put(name, group);
  }

  /**
   * Claims a path for a registered package; of several claimants the first by name wins.
   *
   * @param path a tree path
   * @param name the component name of the package
   */
  public void claim(String path, String name) {
    owner.merge(path, name, (a, b) -> a.compareTo(b) <= 0 ? a : b);
  }

  /**
   * The package claiming each claimed path.
   *
   * @return path to component name (unmodifiable view)
   */
  public Map<String, String> pathOwners() {
    return java.util.Collections.unmodifiableMap(owner);
  }

  /**
   * Marks a path as package database state.
   *
   * @param path a tree path
   */
  public void markVolatile(String path) {
    volatilePaths.add(path);
  }

  /**
   * Whether a path is claimed or marked.
   *
   * @param path a tree path
   * @return true if a package claims it or it is volatile
   */
  public boolean isKnown(String path) {
    return owner.containsKey(path) || volatilePaths.contains(path);
  }

  /**
   * Builds the components: one per registered package (possibly empty), one per path group of
   * unclaimed objects. Sorted by name.
   *
   * @param objects the commit's objects
   * @return the components
   */
  public List<Component> components(Map<Checksum, ChunkObject> objects) {
    Map<String, Set<Checksum>> members = new TreeMap<>();
    Map<String, Long> sizes = new HashMap<>();
    for (String p : packages) {
      members.put(p, new TreeSet<>());
    }
    for (ChunkObject o : objects.values()) {
      String c = componentOf(o);
      if (c != null) {
        members.computeIfAbsent(c, k -> new TreeSet<>()).add(o.checksum());
        sizes.merge(c, o.size(), Long::sum);
      }
    }
    List<Component> out = new ArrayList<>(members.size());
    for (Map.Entry<String, Set<Checksum>> e : members.entrySet()) {
      out.add(new Component(e.getKey(), e.getValue(), sizes.getOrDefault(e.getKey(), 0L),
          groups.getOrDefault(e.getKey(), e.getKey())));
    }
    return List.copyOf(out);
  }

  private String componentOf(ChunkObject o) {
    TreeSet<String> claimants = new TreeSet<>();
    for (String p : o.paths()) {
      if (volatilePaths.contains(p)) {
        return null;
      }
      String c = owner.get(p);
      if (c != null) {
        claimants.add(c);
      }
    }
    if (claimants.isEmpty()) {
      for (String p : o.paths()) {
        if (PathGroups.isGenerated(p)) {
          return null;
        }
      }
      return o.paths().isEmpty() ? null : PathGroups.of(o.paths().get(0));
    }
    if (claimants.size() > 1 && o.size() == 0) {
      return null;
    }
    return claimants.first();
  }
}
