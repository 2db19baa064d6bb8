package io.github.ostree4j.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ostree4j.ostree.Checksum;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Chunker} on the real Fedora CoreOS package set and on small inputs. */
class ChunkerTest {

  private static FcosContentMeta fcos;

  @BeforeAll
  static void load() throws IOException {
    fcos = FcosContentMeta.load();
  }

  @Test
  void fewerThanFourLayersAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> Chunker.plan(fcos.components, fcos.objects, 3));
    assertThrows(IllegalArgumentException.class, () -> Chunker.plan(fcos.components, fcos.objects, 1));
    assertThrows(IllegalArgumentException.class,
        () -> Chunker.plan(fcos.components, fcos.objects, 3, List.of("a", "")));
  }

  @ParameterizedTest
  @ValueSource(ints = {4, 5, 10, 50, 64, 128})
  void fcosFitsTheLimitAndPlacesEverything(int max) {
    assertEquals(396, fcos.components.size());
    LayerPlan plan = Chunker.plan(fcos.components, fcos.objects, max);
    checkWellFormed(plan, fcos.components, fcos.objects);
    assertTrue(plan.layers().size() <= max, plan.layers().size() + " layers for a limit of " + max);
    assertEquals(Math.min(max, 396 + 1), plan.layers().size(), "every allowed layer is used");
    PlannedLayer last = plan.layers().get(plan.layers().size() - 1);
    assertEquals("", last.annotation(), "a fresh plan ends with the reserved layer");
    assertEquals(Set.of(), last.objects());
  }

  @Test
  void fewerComponentsThanLayersGetOneLayerEachAndAReservedOne() {
    List<Component> five = fcos.components.subList(0, 5);
    LayerPlan plan = Chunker.plan(five, fcos.objects, Chunker.DEFAULT_MAX_LAYERS);
    assertEquals(6, plan.layers().size());
    for (int i = 0; i < 5; i++) {
      assertEquals(1, plan.layers().get(i).components().size());
    }
    assertEquals(fcos.objects.size() - 5, plan.remainder().size(), "the other objects go to layer 0");
    checkWellFormed(plan, five, fcos.objects);
  }

  @Test
  void noComponentsMeansNoComponentLayers() {
    LayerPlan plan = Chunker.plan(List.of(), fcos.objects, 64);
    assertEquals(List.of(), plan.layers());
    assertEquals(fcos.objects.keySet(), plan.remainder());
  }

  @Test
  void theSameInputInAnyOrderGivesTheSamePlan() {
    LayerPlan first = Chunker.plan(fcos.components, fcos.objects, 64);
    for (long seed = 1; seed <= 5; seed++) {
      List<Component> shuffled = new ArrayList<>(fcos.components);
      Collections.shuffle(shuffled, new Random(seed));
      Map<Checksum, ChunkObject> objects = new LinkedHashMap<>();
      List<Checksum> keys = new ArrayList<>(fcos.objects.keySet());
      Collections.shuffle(keys, new Random(seed));
      for (Checksum k : keys) {
        objects.put(k, fcos.objects.get(k));
      }
      assertEquals(first.layers(), Chunker.plan(shuffled, objects, 64).layers());
    }
  }

  @Test
  void duplicateComponentNamesAreRejected() {
    List<Component> twice = List.of(fcos.components.get(0), fcos.components.get(0));
    assertThrows(IllegalArgumentException.class, () -> Chunker.plan(twice, fcos.objects, 64));
  }

  @Test
  void anObjectClaimedTwiceIsPlacedOnce() {
    Checksum shared = FcosContentMeta.objectFor("shared", "1");
    Map<Checksum, ChunkObject> objects = Map.of(shared, new ChunkObject(shared, 10, List.of("a", "b")));
    List<Component> two = List.of(new Component("a", Set.of(shared), 10), new Component("b", Set.of(shared), 10));
    LayerPlan plan = Chunker.plan(two, objects, 4);
    checkWellFormed(plan, two, objects);
  }

  @Test
  void aVersionBumpKeepsItsLayer() {
    LayerPlan v1 = Chunker.plan(fcos.components, fcos.objects, 64);
    for (String bumped : List.of("linux-firmware", "bash", "glibc")) {
      Versioned v2 = new Versioned();
      v2.bump(bumped, 1.5);
      LayerPlan plan = Chunker.plan(v2.components, v2.objects, 64, v1.annotations());
      checkWellFormed(plan, v2.components, v2.objects);
      assertEquals(v1.annotations(), plan.annotations(), bumped);
      int changed = 0;
      for (int i = 0; i < plan.layers().size(); i++) {
        boolean has = plan.layers().get(i).components().contains(bumped);
        assertEquals(!has, v1.layers().get(i).objects().equals(plan.layers().get(i).objects()),
            "layer " + (i + 1) + " changes exactly when it holds " + bumped);
        changed += has ? 1 : 0;
      }
      assertEquals(1, changed);
    }
  }

  @Test
  void aNewPackageGoesToTheReservedLayer() {
    LayerPlan v1 = Chunker.plan(fcos.components, fcos.objects, 64);
    Versioned v2 = new Versioned();
    v2.add("brand-new", 123_456_789);
    LayerPlan plan = Chunker.plan(v2.components, v2.objects, 64, v1.annotations());
    checkWellFormed(plan, v2.components, v2.objects);
    int last = plan.layers().size() - 1;
    assertEquals(v1.layers().subList(0, last), plan.layers().subList(0, last));
    assertEquals(List.of("brand-new"), plan.layers().get(last).components());
    assertEquals("brand-new", plan.layers().get(last).name());

    Versioned v3 = new Versioned();
    v3.add("brand-new", 123_456_789);
    v3.add("another", 5);
    LayerPlan next = Chunker.plan(v3.components, v3.objects, 64, plan.annotations());
    assertEquals("another,brand-new", next.layers().get(last).annotation());
    assertEquals("another and brand-new", next.layers().get(last).name());
  }

  @Test
  void removedPackagesAreDroppedWithTheLayersTheyEmptied() {
    LayerPlan v1 = Chunker.plan(fcos.components, fcos.objects, 64);
    String alone = v1.layers().get(0).components().get(0);
    assertEquals(1, v1.layers().get(0).components().size(), "the largest package has a layer of its own");
    PlannedLayer shared = v1.layers().stream().filter(l -> l.components().size() > 2).findFirst().orElseThrow();
    String sharing = shared.components().get(0);
    Versioned v2 = new Versioned();
    v2.remove(alone);
    v2.remove(sharing);
    LayerPlan plan = Chunker.plan(v2.components, v2.objects, 64, v1.annotations());
    checkWellFormed(plan, v2.components, v2.objects);
    assertEquals(v1.layers().size() - 1, plan.layers().size());
    List<String> expected = new ArrayList<>();
    for (String a : v1.annotations().subList(1, v1.layers().size())) {
      expected.add(a.equals(shared.annotation()) ? a.replace(sharing + ",", "") : a);
    }
    assertEquals(expected, plan.annotations());
    assertEquals(PlannedLayer.RESERVED_NAME, plan.layers().get(plan.layers().size() - 1).name());
  }

  @Test
  void exceedingTheLimitFallsBackToAFreshPlan() {
    LayerPlan v1 = Chunker.plan(fcos.components, fcos.objects, 64);
    LayerPlan plan = Chunker.plan(fcos.components, fcos.objects, 16, v1.annotations());
    assertEquals(Chunker.plan(fcos.components, fcos.objects, 16).layers(), plan.layers());
    assertEquals(16, plan.layers().size());
  }

  @Test
  void aComponentNamedByTwoPriorLayersStaysInTheFirst() {
    List<Component> comps = fcos.components.subList(0, 3);
    String a = comps.get(0).name();
    String b = comps.get(1).name();
    String c = comps.get(2).name();
    LayerPlan plan = Chunker.plan(comps, fcos.objects, 8, List.of(a + "," + b, b + "," + c, ""));
    String ab = a.compareTo(b) < 0 ? a + "," + b : b + "," + a;
    assertEquals(List.of(ab, c, ""), plan.annotations());
  }

  @Test
  void aPriorNamingNoCurrentComponentGivesAFreshPlan() {
    LayerPlan plan = Chunker.plan(fcos.components, fcos.objects, 64, List.of("x,y", "z", ""));
    assertEquals(Chunker.plan(fcos.components, fcos.objects, 64).layers(), plan.layers());
  }

  @Test
  void componentsOfOneGroupShareALayerAndLaterMembersGoToTheReservedLayer() {
    List<Component> grouped = new ArrayList<>();
    Map<Checksum, ChunkObject> objects = new LinkedHashMap<>();
    for (Component c : fcos.components) {
      // Group the packages by the first letter of their name: large groups of mixed sizes.
      String group = c.name().equals("linux-firmware") || c.name().equals("kernel") ? "k" : c.name().substring(0, 1);
      grouped.add(new Component(c.name(), c.objects(), c.size(), group));
    }
    objects.putAll(fcos.objects);
    LayerPlan plan = Chunker.plan(grouped, objects, 16);
    checkWellFormed(plan, grouped, objects);
    Set<String> seen = new HashSet<>();
    for (PlannedLayer l : plan.layers()) {
      Set<String> here = new HashSet<>();
      for (String name : l.components()) {
        here.add(grouped.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow().group());
      }
      for (String g : here) {
        assertTrue(seen.add(g), "group " + g + " is split over two layers");
      }
    }

    Checksum cs = FcosContentMeta.objectFor("bnew", "1");
    List<Component> v2 = new ArrayList<>(grouped);
    v2.add(new Component("bnew", Set.of(cs), 1000, "b"));
    Map<Checksum, ChunkObject> o2 = new LinkedHashMap<>(objects);
    o2.put(cs, new ChunkObject(cs, 1000, List.of("usr/bin/bnew")));
    LayerPlan next = Chunker.plan(v2, o2, 16, plan.annotations());
    assertEquals(List.of("bnew"), next.layers().get(next.layers().size() - 1).components());
    assertEquals(plan.layers().subList(0, 15), next.layers().subList(0, 15));
  }

  /** Checks the invariants every plan keeps. */
  static void checkWellFormed(LayerPlan plan, List<Component> components, Map<Checksum, ChunkObject> objects) {
    Set<String> names = new HashSet<>();
    Set<Checksum> placed = new HashSet<>(plan.remainder());
    for (PlannedLayer l : plan.layers()) {
      List<String> sorted = new ArrayList<>(l.components());
      Collections.sort(sorted);
      assertEquals(sorted, l.components());
      assertEquals(String.join(",", sorted), l.annotation());
      String expectedName = sorted.isEmpty() ? "Reserved for new packages"
          : sorted.size() == 1 ? sorted.get(0)
          : sorted.size() <= 5 ? String.join(" and ", sorted)
          : sorted.size() + " components";
      assertEquals(expectedName, l.name());
      for (String n : l.components()) {
        assertTrue(names.add(n), n + " is in two layers");
      }
      for (Checksum o : l.objects()) {
        assertTrue(placed.add(o), o + " is placed twice");
      }
    }
    Set<String> expectedNames = new HashSet<>();
    Map<String, Component> byName = new HashMap<>();
    for (Component c : components) {
      expectedNames.add(c.name());
      byName.put(c.name(), c);
    }
    assertEquals(expectedNames, names, "every component is in exactly one layer");
    assertEquals(objects.keySet(), placed, "every object is placed exactly once");
    for (PlannedLayer l : plan.layers()) {
      for (String n : l.components()) {
        for (Checksum o : byName.get(n).objects()) {
          assertTrue(!plan.remainder().contains(o), o + " of " + n + " is in layer 0");
        }
      }
    }
  }

  /** The FCOS set with changes: version bumps (new object, new size), additions, removals. */
  private static final class Versioned {
    final List<Component> components = new ArrayList<>(fcos.components);
    final Map<Checksum, ChunkObject> objects = new LinkedHashMap<>(fcos.objects);

    void bump(String name, double factor) {
      Component old = find(name);
      Checksum cs = FcosContentMeta.objectFor(name, "2");
      long size = (long) (old.size() * factor);
      components.set(components.indexOf(old), new Component(name, Set.of(cs), size));
      objects.remove(old.objects().iterator().next());
      objects.put(cs, new ChunkObject(cs, size, List.of("usr/share/fixture/" + name)));
    }

    void add(String name, long size) {
      Checksum cs = FcosContentMeta.objectFor(name, "1");
      components.add(new Component(name, Set.of(cs), size));
      objects.put(cs, new ChunkObject(cs, size, List.of("usr/share/fixture/" + name)));
    }

    void remove(String name) {
      Component old = find(name);
      components.remove(old);
      objects.remove(old.objects().iterator().next());
    }

    private Component find(String name) {
      return components.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }
  }
}
