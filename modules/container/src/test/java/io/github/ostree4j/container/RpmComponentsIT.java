package io.github.ostree4j.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.testing.Cmd;
import io.github.ostree4j.testing.Peers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ComponentFinder} on a tree with an rpm database: packages built with the real {@code
 * rpmbuild} (two binary packages of one source, one of another), installed with the real {@code
 * rpm} into {@code usr/lib/sysimage/rpm}, {@code /etc} moved to {@code usr/etc} as ostree keeps
 * it. The components must be the packages {@code rpm -qa} lists, each holding the files {@code rpm
 * -ql} lists, grouped by source rpm; the database goes to layer 0.
 */
class RpmComponentsIT {

  @TempDir Path work;

  private static final String SPEC = String.join("\n",
      "Name: %s", "Version: 1.0", "Release: 1", "Summary: test", "License: MIT", "BuildArch: noarch",
      "%%description", "test", "%%package extra", "Summary: extra", "%%description extra", "extra",
      "%%install",
      "mkdir -p %%{buildroot}/usr/bin %%{buildroot}/etc %%{buildroot}/usr/share/%s",
      "echo %s > %%{buildroot}/usr/bin/%s",
      "echo conf-%s > %%{buildroot}/etc/%s.conf",
      "echo extra-%s > %%{buildroot}/usr/share/%s/extra",
      "%%files", "/usr/bin/%s", "%%config /etc/%s.conf", "%%files extra", "/usr/share/%s", "");

  private Path build(String name) throws IOException {
    Path top = work.resolve("build-" + name);
    Files.createDirectories(top.resolve("SPECS"));
    Path spec = top.resolve("SPECS/" + name + ".spec");
    Files.writeString(spec, String.format(SPEC, name, name, name, name, name, name, name, name, name, name, name));
    Cmd.of("rpmbuild", "--define", "_topdir " + top, "-bb", spec.toString()).run().checkSuccess();
    return top.resolve("RPMS/noarch");
  }

  @Test
  void componentsAreTheInstalledRpmPackages() throws IOException {
    Peers.require("rpm");
    Peers.require("rpmbuild");
    Path tree = Files.createDirectories(work.resolve("tree"));
    for (String name : List.of("hello", "world")) {
      Path rpms = build(name);
      try (var s = Files.list(rpms)) {
        for (Path rpm : s.sorted().toList()) {
          Cmd.of("rpm", "--root=" + tree, "--dbpath=/usr/lib/sysimage/rpm", "-i", "--nodeps", "--noscripts",
              "--notriggers", rpm.toString()).run().checkSuccess();
        }
      }
    }
    Files.move(tree.resolve("etc"), tree.resolve("usr/etc"));
    Path dbpath = tree.resolve("usr/lib/sysimage/rpm");
    List<String> names = Cmd.of("rpm", "--dbpath=" + dbpath, "-qa", "--qf", "%{NAME}\\n").run().checkSuccess()
        .stdoutLines();
    Map<String, List<String>> files = new HashMap<>();
    for (String n : names) {
      files.put(n, Cmd.of("rpm", "--dbpath=" + dbpath, "-ql", n).run().checkSuccess().stdoutLines());
    }

    TestCommits c = TestCommits.commit(work, tree);
    List<Component> found = ComponentFinder.find(c.repo, c.commit, c.objects);
    Map<String, Component> byName = new HashMap<>();
    for (Component k : found) {
      byName.put(k.name(), k);
    }
    assertEquals(Set.of("hello", "hello-extra", "world", "world-extra"), new TreeSet<>(names));
    assertEquals(new TreeSet<>(names), new TreeSet<>(byName.keySet()));
    Map<String, Checksum> objectAt = new HashMap<>();
    for (ChunkObject o : c.objects.values()) {
      for (String p : o.paths()) {
        objectAt.put(p, o.checksum());
      }
    }
    int checked = 0;
    for (String n : names) {
      assertEquals(n.replace("-extra", ""), byName.get(n).group(), n + " is grouped by its source rpm");
      for (String f : files.get(n)) {
        String rel = f.substring(1);
        if (rel.startsWith("etc/")) {
          rel = "usr/" + rel;
        }
        if (Files.isRegularFile(tree.resolve(rel), LinkOption.NOFOLLOW_LINKS)) {
          assertTrue(byName.get(n).objects().contains(objectAt.get(rel)), n + " holds " + f);
          checked++;
        }
      }
    }
    assertEquals(6, checked);
    Checksum db = objectAt.get("usr/lib/sysimage/rpm/rpmdb.sqlite");
    assertTrue(db != null, "the database is in the commit");
    for (Component k : found) {
      assertFalse(k.objects().contains(db), "the database goes to layer 0, not " + k.name());
    }
  }
}
