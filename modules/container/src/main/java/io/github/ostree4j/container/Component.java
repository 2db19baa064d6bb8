package io.github.ostree4j.container;

import io.github.ostree4j.ostree.Checksum;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A named group of content objects that change together: a package, a source package, or a
 * group of paths. The name is what the {@code ostree.components} layer annotation records, so it
 * must be stable across builds (a package name, never a name with a version) and must not
 * contain a comma.
 *
 * <p>Components with the same {@code group} (the binary packages of one source package, which a
 * distribution upgrades together) are packed into the same layer by a fresh plan, so that such an
 * upgrade changes one layer; each still keeps its own name, so that a package added later to an
 * installed source goes to the reserved layer instead of changing its source's layer.
 *
 * @param name the component name
 * @param objects the content objects of the component, sorted by checksum
 * @param size the total uncompressed size of the objects, used to pack components into layers
 * @param group the name of the group of components that change together; the name when alone
 */
public record Component(String name, Set<Checksum> objects, long size, String group) {

  /**
   * A component alone in its group.
   *
   * @param name the component name
   * @param objects the content objects
   * @param size the total uncompressed size of the objects
   */
  public Component(String name, Set<Checksum> objects, long size) {
    this(name, objects, size, name);
  }

  /** Checks and copies the arguments; the objects are kept sorted. */
  public Component {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(name, "name");
    if (name.isEmpty() || name.indexOf(',') >= 0) {
      throw new IllegalArgumentException("invalid component name '" + name
          + "': must be non-empty and contain no comma");
    }
    if (size < 0) {
      throw new IllegalArgumentException("component " + name + ": negative size " + size);
    }
    SortedSet<Checksum> sorted = new TreeSet<>(objects);
    objects = Collections.unmodifiableSortedSet(sorted);
  }
}
