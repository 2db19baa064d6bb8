package io.github.ostree4j.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.testing.Cmd;
import io.github.ostree4j.testing.DebianRootfs;
import io.github.ostree4j.testing.Peers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link ComponentFinder} on the Debian minbase tree committed into a bare-user repository,
 * checked against the real {@code dpkg-query}: the package components are exactly the packages
 * dpkg lists, each grouped with its source package, and every path {@code dpkg-query -L} gives for
 * a package that is a regular file in the tree lands in that package's component (or, for content
 * shared with other packages, in one of theirs).
 */
class ComponentFinderIT {

  private static Path rootfs;
  private static Path admin;
  private static List<Component> components;
  private static Map<Checksum, String> componentOf;
  private static Map<String, Checksum> objectAt;
  private static Map<String, String> sourceOf;

  @BeforeAll
  static void setUp() throws IOException {
    Peers.require("dpkg-query");
    rootfs = DebianRootfs.minbase();
    admin = rootfs.resolve("var/lib/dpkg");
    components = ComponentFinder.find(MinbaseCommits.repo(), MinbaseCommits.commit(), MinbaseCommits.objects());
    componentOf = new HashMap<>();
    for (Component c : components) {
      for (Checksum o : c.objects()) {
        assertNull(componentOf.put(o, c.name()), "object " + o + " is in two components");
      }
    }
    sourceOf = new HashMap<>();
    for (String line : dpkgQuery("-W", "-f=${Package} ${source:Package}\\n")) {
      String[] f = line.split(" ");
      sourceOf.put(f[0], f[1]);
    }
    objectAt = new HashMap<>();
    for (ChunkObject o : MinbaseCommits.objects().values()) {
      for (String p : o.paths()) {
        objectAt.put(p, o.checksum());
      }
    }
  }

  private static List<String> dpkgQuery(String... args) {
    List<String> cmd = new ArrayList<>(List.of("dpkg-query", "--admindir=" + admin));
    cmd.addAll(List.of(args));
    return Cmd.of(cmd).run().checkSuccess().stdoutLines();
  }

  @Test
  void packageComponentsAreTheInstalledPackagesGroupedBySource() {
    Set<String> expected = new TreeSet<>(dpkgQuery("-W", "-f=${Package}\\n"));
    Set<String> actual = new TreeSet<>();
    for (Component c : components) {
      if (c.name().indexOf('/') < 0) {
        actual.add(c.name());
      }
    }
    assertTrue(expected.size() > 80, "minbase has dozens of packages: " + expected);
    assertEquals(expected, actual);
    for (Component c : components) {
      assertEquals(sourceOf.getOrDefault(c.name(), c.name()), c.group(), c.name());
    }
  }

  @Test
  void findingTwiceGivesTheSameComponents() throws IOException {
    assertEquals(components, ComponentFinder.find(MinbaseCommits.repo(), MinbaseCommits.commit(),
        MinbaseCommits.objects()));
  }

  @Test
  void everyListedRegularFileIsInItsPackagesComponent() throws IOException {
    Map<String, Set<String>> listedBy = new TreeMap<>();
    for (String pkg : dpkgQuery("-W", "-f=${Package}\\n")) {
      for (String line : dpkgQuery("-L", pkg)) {
        treePath(line).ifPresent(p -> listedBy.computeIfAbsent(p, k -> new TreeSet<>()).add(pkg));
      }
    }
    Map<Checksum, Set<String>> claimants = new HashMap<>();
    for (Map.Entry<String, Set<String>> e : listedBy.entrySet()) {
      Checksum o = objectAt.get(e.getKey());
      assertTrue(o != null, "dpkg lists " + e.getKey() + ", a regular file, but the commit lacks it");
      claimants.computeIfAbsent(o, k -> new TreeSet<>()).addAll(e.getValue());
    }
    int checked = 0;
    for (Map.Entry<String, Set<String>> e : listedBy.entrySet()) {
      Checksum o = objectAt.get(e.getKey());
      Set<String> owners = claimants.get(o);
      String actual = componentOf.get(o);
      long size = MinbaseCommits.objects().get(o).size();
      if (owners.size() == 1) {
        assertEquals(owners.iterator().next(), actual, e.getKey());
      } else if (size == 0) {
        assertNull(actual, "empty object shared by " + owners + " goes to layer 0: " + e.getKey());
      } else {
        assertTrue(owners.contains(actual), e.getKey() + " is in " + actual + ", not one of " + owners);
      }
      checked++;
    }
    assertTrue(checked > 4000, "checked " + checked + " files");
  }

  @Test
  void packageDatabaseFilesGoWithTheirPackageOrToLayerZero() {
    for (String pkg : dpkgQuery("-W", "-f=${Package}\\n")) {
      Checksum list = objectAt.get("var/lib/dpkg/info/" + pkg + ".list");
      if (list == null) {
        list = objectAt.get("var/lib/dpkg/info/" + pkg + ":amd64.list");
      }
      assertTrue(list != null, pkg + " has a .list file");
      assertEquals(pkg, componentOf.get(list), "info/" + pkg + ".list");
    }
    Checksum status = objectAt.get("var/lib/dpkg/status");
    assertFalse(componentOf.containsKey(status), "the status file changes with every package: layer 0");
  }

  /** The tree path of a listed path if it is a regular file, resolved by the kernel. */
  private static java.util.Optional<String> treePath(String listed) throws IOException {
    if (!listed.startsWith("/") || listed.equals("/.")) {
      return java.util.Optional.empty();
    }
    Path p = rootfs.resolve(listed.substring(1));
    Path parent = p.getParent();
    if (!Files.isDirectory(parent)) {
      return java.util.Optional.empty();
    }
    Path real = parent.toRealPath().resolve(p.getFileName());
    if (!real.startsWith(rootfs.toRealPath()) || !Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(rootfs.toRealPath().relativize(real).toString());
  }
}
