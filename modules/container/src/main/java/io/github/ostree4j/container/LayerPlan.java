package io.github.ostree4j.container;

import io.github.ostree4j.ostree.Checksum;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * How the content objects of a commit are split into image layers: the component layers 1..N in
 * order, and the remainder, the objects that go into layer 0 with the commit and its directory
 * metadata. Every object is in exactly one of them. Made by {@link Chunker}.
 */
public final class LayerPlan {

  private final List<PlannedLayer> layers;
  private final Set<Checksum> remainder;

  /**
   * A plan.
   *
   * @param layers the component layers, in image order
   * @param remainder the objects of layer 0
   */
  public LayerPlan(List<PlannedLayer> layers, Set<Checksum> remainder) {
    this.layers = List.copyOf(layers);
    this.remainder = Collections.unmodifiableSortedSet(new TreeSet<>(remainder));
  }

  /**
   * The component layers, layer 1 first.
   *
   * @return the layers
   */
  public List<PlannedLayer> layers() {
    return layers;
  }

  /**
   * The objects in no component layer, which go into layer 0.
   *
   * @return the objects, sorted by checksum
   */
  public Set<Checksum> remainder() {
    return remainder;
  }

  /**
   * The {@code ostree.components} annotations of layers 1..N, in order: what a later build passes
   * to {@link Chunker#plan(List, java.util.Map, int, List)} as its prior layers.
   *
   * @return one annotation per component layer
   */
  public List<String> annotations() {
    List<String> out = new ArrayList<>(layers.size());
    for (PlannedLayer l : layers) {
      out.add(l.annotation());
    }
    return List.copyOf(out);
  }

  @Override
  public String toString() {
    return "LayerPlan[" + layers.size() + " layers, " + remainder.size() + " objects in layer 0]";
  }
}
