package io.github.ostree4j.container;

import io.github.ostree4j.container.internal.OptimalPartition;
import io.github.ostree4j.container.internal.SizeClass;
import io.github.ostree4j.ostree.Checksum;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Packs components into image layers (see {@code docs/chunking.md}).
 *
 * <p>A fresh plan uses {@code maxLayers - 1} layers for content and keeps the last one empty,
 * "reserved for new packages". The components are packed by {@link Component#group() group}
 * (the components of a group always share a layer): groups are sorted by size class (largest
 * first, then by name) and split into contiguous runs that minimise the bytes re-downloaded over
 * all possible single-group updates (each change re-fetches its whole layer): large groups get
 * layers of their own, small ones share. The result is optimal for that cost, and depends on sizes
 * only through their size classes.
 *
 * <p>A plan with a prior build keeps the previous layer structure: each component stays in the
 * layer that named it, new components go to the last layer, removed ones are dropped, and
 * layers left empty disappear (the last one stays). When that would exceed {@code maxLayers},
 * or when no component of the prior build is left (a prior made with other component names), a
 * fresh plan is made.
 *
 * <p>Plans are deterministic: equal inputs give equal plans.
 */
public final class Chunker {

  /** The default number of component layers; the image has one more (layer 0). */
  public static final int DEFAULT_MAX_LAYERS = 64;

  /** The smallest number of component layers accepted, as upstream. */
  public static final int MIN_LAYERS = 4;

  private Chunker() {}

  /**
   * Plans layers without a prior build.
   *
   * @param components the components; names must be unique
   * @param objects every content object of the commit; those of no component go to layer 0
   * @param maxLayers the number of component layers allowed, at least {@value #MIN_LAYERS}
   * @return the plan
   * @throws IllegalArgumentException if {@code maxLayers} is below {@value #MIN_LAYERS} or two
   *     components have the same name
   */
  public static LayerPlan plan(List<Component> components, Map<Checksum, ChunkObject> objects, int maxLayers) {
    checkLimit(maxLayers);
    checkUniqueNames(components);
    if (components.isEmpty()) {
      return assemble(List.of(), Map.of(), objects);
    }
    // Pack whole groups: the components of one group always share a layer.
    Map<String, List<String>> members = new TreeMap<>();
    Map<String, Long> groupSize = new HashMap<>();
    for (Component c : components) {
      members.computeIfAbsent(c.group(), k -> new ArrayList<>()).add(c.name());
      groupSize.merge(c.group(), c.size(), Long::sum);
    }
    List<String> groups = new ArrayList<>(members.keySet());
    Map<String, Integer> classOf = new HashMap<>();
    for (String g : groups) {
      classOf.put(g, SizeClass.of(groupSize.get(g)));
    }
    groups.sort(Comparator.<String>comparingInt(classOf::get).reversed().thenComparing(Comparator.naturalOrder()));
    double[] weights = new double[groups.size()];
    for (int i = 0; i < groups.size(); i++) {
      weights[i] = SizeClass.representative(classOf.get(groups.get(i)));
    }
    int contentLayers = maxLayers - 1;
    List<List<String>> bins = new ArrayList<>();
    int[] bounds;
    if (groups.size() <= contentLayers) {
      bounds = new int[groups.size() + 1];
      for (int i = 0; i <= groups.size(); i++) {
        bounds[i] = i;
      }
    } else {
      bounds = OptimalPartition.split(weights, contentLayers);
    }
    for (int k = 0; k + 1 < bounds.length; k++) {
      List<String> bin = new ArrayList<>();
      for (int i = bounds[k]; i < bounds[k + 1]; i++) {
        bin.addAll(members.get(groups.get(i)));
      }
      bins.add(bin);
    }
    bins.add(List.of());
    return assemble(bins, byName(components), objects);
  }

  /**
   * Plans layers keeping the structure of a prior build.
   *
   * @param components the components; names must be unique
   * @param objects every content object of the commit; those of no component go to layer 0
   * @param maxLayers the number of component layers allowed, at least {@value #MIN_LAYERS}
   * @param priorLayers the {@code ostree.components} annotations of the previous image's layers
   *     1..n, in order ({@code ""} for a layer without components); a component named by two
   *     layers stays in the first; an empty list means no prior build
   * @return the plan
   * @throws IllegalArgumentException if {@code maxLayers} is below {@value #MIN_LAYERS} or two
   *     components have the same name
   */
  public static LayerPlan plan(
      List<Component> components, Map<Checksum, ChunkObject> objects, int maxLayers, List<String> priorLayers) {
    checkLimit(maxLayers);
    checkUniqueNames(components);
    if (priorLayers.isEmpty() || components.isEmpty()) {
      return plan(components, objects, maxLayers);
    }
    Map<String, Integer> layerOf = new HashMap<>();
    for (int i = 0; i < priorLayers.size(); i++) {
      for (String name : priorLayers.get(i).split(",", -1)) {
        if (!name.isEmpty()) {
          layerOf.putIfAbsent(name, i);
        }
      }
    }
    List<List<String>> bins = new ArrayList<>();
    for (int i = 0; i < priorLayers.size(); i++) {
      bins.add(new ArrayList<>());
    }
    int last = priorLayers.size() - 1;
    for (Component c : new TreeMap<>(byName(components)).values()) {
      bins.get(layerOf.getOrDefault(c.name(), last)).add(c.name());
    }
    boolean overlap = components.stream().anyMatch(c -> layerOf.containsKey(c.name()));
    if (!overlap) {
      return plan(components, objects, maxLayers); // nothing to keep: one giant last layer otherwise
    }
    List<List<String>> kept = new ArrayList<>();
    for (int i = 0; i < bins.size(); i++) {
      if (!bins.get(i).isEmpty() || i == last) {
        kept.add(bins.get(i));
      }
    }
    if (kept.size() > maxLayers) {
      return plan(components, objects, maxLayers);
    }
    return assemble(kept, byName(components), objects);
  }

  private static void checkLimit(int maxLayers) {
    if (maxLayers < MIN_LAYERS) {
      throw new IllegalArgumentException(
          "at least " + MIN_LAYERS + " component layers are needed, got " + maxLayers);
    }
  }

  private static void checkUniqueNames(List<Component> components) {
    Set<String> seen = new HashSet<>();
    for (Component c : components) {
      if (!seen.add(c.name())) {
        throw new IllegalArgumentException("two components are named '" + c.name() + "'");
      }
    }
  }

  private static Map<String, Component> byName(List<Component> components) {
    Map<String, Component> m = new HashMap<>();
    for (Component c : components) {
      m.put(c.name(), c);
    }
    return m;
  }

  /** Places each object in the first layer whose components claim it; the rest is layer 0. */
  private static LayerPlan assemble(
      List<List<String>> bins, Map<String, Component> components, Map<Checksum, ChunkObject> objects) {
    Set<Checksum> placed = new HashSet<>();
    List<PlannedLayer> layers = new ArrayList<>(bins.size());
    for (List<String> bin : bins) {
      List<String> names = new ArrayList<>(bin);
      names.sort(null);
      Set<Checksum> layerObjects = new LinkedHashSet<>();
      for (String name : names) {
        for (Checksum o : components.get(name).objects()) {
          if (objects.containsKey(o) && placed.add(o)) {
            layerObjects.add(o);
          }
        }
      }
      layers.add(PlannedLayer.of(names, layerObjects));
    }
    Set<Checksum> remainder = new TreeSet<>();
    for (Checksum o : objects.keySet()) {
      if (!placed.contains(o)) {
        remainder.add(o);
      }
    }
    return new LayerPlan(layers, remainder);
  }
}
