package io.github.ostree4j.container;

import io.github.ostree4j.ostree.Checksum;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One component layer of a {@link LayerPlan}: the name recorded in the image history, the
 * components it carries and their content objects.
 *
 * @param name the history name: the component name, {@code "a and b and c"} for two to five
 *     components, {@code "N components"} for more, {@code "Reserved for new packages"} for an
 *     empty layer
 * @param components the component names, sorted
 * @param objects the content objects of the layer, sorted by checksum
 */
public record PlannedLayer(String name, List<String> components, Set<Checksum> objects) {

  /** The history name of a layer without components. */
  public static final String RESERVED_NAME = "Reserved for new packages";

  /** Checks and copies the arguments; components and objects are kept sorted. */
  public PlannedLayer {
    Objects.requireNonNull(name, "name");
    List<String> sorted = new ArrayList<>(components);
    Collections.sort(sorted);
    components = List.copyOf(sorted);
    objects = Collections.unmodifiableSortedSet(new TreeSet<>(objects));
  }

  /**
   * A layer named after its components as upstream names them.
   *
   * @param components the component names
   * @param objects the content objects
   * @return the layer
   */
  public static PlannedLayer of(List<String> components, Set<Checksum> objects) {
    List<String> sorted = new ArrayList<>(components);
    Collections.sort(sorted);
    String name;
    if (sorted.isEmpty()) {
      name = RESERVED_NAME;
    } else if (sorted.size() == 1) {
      name = sorted.get(0);
    } else if (sorted.size() <= 5) {
      name = String.join(" and ", sorted);
    } else {
      name = sorted.size() + " components";
    }
    return new PlannedLayer(name, sorted, objects);
  }

  /**
   * The {@code ostree.components} annotation value: the component names, sorted, joined with
   * {@code ","}; {@code ""} for the reserved layer.
   *
   * @return the annotation value
   */
  public String annotation() {
    return String.join(",", components);
  }
}
