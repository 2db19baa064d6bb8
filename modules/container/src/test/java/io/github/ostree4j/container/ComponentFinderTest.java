package io.github.ostree4j.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ostree4j.ostree.Checksum;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ComponentFinder} on small trees: path heuristics, a hand-made dpkg database, bad databases. */
class ComponentFinderTest {

  @TempDir Path work;

  private Path tree() throws IOException {
    return Files.createDirectories(work.resolve("tree"));
  }

  private static Map<String, Component> byName(List<Component> components) {
    Map<String, Component> m = new HashMap<>();
    for (Component c : components) {
      m.put(c.name(), c);
    }
    return m;
  }

  private static Checksum at(TestCommits t, String path) {
    for (ChunkObject o : t.objects.values()) {
      if (o.paths().contains(path)) {
        return o.checksum();
      }
    }
    throw new AssertionError("no object at " + path);
  }

  @Test
  void withoutADatabaseFilesAreGroupedByDirectory() throws IOException {
    Path t = tree();
    TestCommits.write(t, "usr/bin/bash", "bash");
    TestCommits.write(t, "usr/bin/foo", "foo");
    TestCommits.write(t, "usr/lib/modules/5.10.18-200.x86_64/vmlinuz", "kernel");
    TestCommits.write(t, "usr/lib/modules/5.10.18-200.x86_64/initramfs.img", "initramfs");
    TestCommits.write(t, "usr/etc/hostname", "host");
    TestCommits c = TestCommits.commit(work, t);
    List<Component> found = ComponentFinder.find(c.repo, c.commit, c.objects);
    Map<String, Component> m = byName(found);
    assertEquals(Set.of("usr/bin", "usr/lib/modules/5.10.18-200.x86_64"), m.keySet());
    assertEquals(Set.of(at(c, "usr/bin/bash"), at(c, "usr/bin/foo")), m.get("usr/bin").objects());
    assertEquals(7, m.get("usr/bin").size());
    LayerPlan plan = Chunker.plan(found, c.objects, Chunker.DEFAULT_MAX_LAYERS);
    assertEquals(Set.of(at(c, "usr/etc/hostname")), plan.remainder(), "generated configuration goes to layer 0");
  }

  /** A dpkg database: two packages of one source, a shared file, a diversion, merged /usr. */
  private Path debianTree() throws IOException {
    Path t = tree();
    TestCommits.link(t, "bin", "usr/bin");
    TestCommits.write(t, "usr/bin/tool", "tool v1");
    TestCommits.write(t, "usr/bin/tool.distrib", "the diverted original");
    TestCommits.write(t, "usr/lib/libtool.so.1", "library");
    TestCommits.write(t, "usr/share/doc/common/copyright", "shared text");
    TestCommits.write(t, "usr/share/empty-a", "");
    TestCommits.write(t, "usr/share/empty-b", "");
    TestCommits.write(t, "etc/tool.conf", "conf");
    TestCommits.write(t, "var/lib/apt/lists/big", "index");
    TestCommits.write(t, "var/lib/dpkg/status", String.join("\n",
        "Package: tool", "Status: install ok installed", "Architecture: amd64", "Source: toolsrc (1.0-1)",
        "Description: the tool", " more text", "",
        "Package: libtool1", "Status: install ok installed", "Architecture: amd64", "Multi-Arch: same",
        "Source: toolsrc", "",
        "Package: gone", "Status: purge ok not-installed", "",
        "Package: divert", "Status: install ok installed", "Architecture: all", ""));
    TestCommits.write(t, "var/lib/dpkg/info/tool.list", String.join("\n",
        "/.", "/bin", "/bin/tool", "/usr/share/doc/common/copyright", "/usr/share/empty-a", "/etc/tool.conf", ""));
    TestCommits.write(t, "var/lib/dpkg/info/tool.md5sums", "x  bin/tool\n");
    TestCommits.write(t, "var/lib/dpkg/info/libtool1:amd64.list", String.join("\n",
        "/usr/lib/libtool.so.1", "/usr/share/doc/common/copyright", "/usr/share/empty-b", ""));
    TestCommits.write(t, "var/lib/dpkg/info/divert.list", "/bin/tool\n");
    TestCommits.write(t, "var/lib/dpkg/diversions", "/bin/tool\n/bin/tool.distrib\ndivert\n");
    return t;
  }

  @Test
  void aDpkgDatabaseGivesOneComponentPerPackageGroupedBySource() throws IOException {
    TestCommits c = TestCommits.commit(work, debianTree());
    Map<String, Component> m = byName(ComponentFinder.find(c.repo, c.commit, c.objects));
    assertEquals(Set.of("tool", "libtool1", "divert", "var/lib/apt"), m.keySet(), "not-installed packages are left out");
    assertEquals("toolsrc", m.get("tool").group());
    assertEquals("toolsrc", m.get("libtool1").group());
    assertEquals("divert", m.get("divert").group());
    // tool's /bin/tool is diverted by "divert": tool's file is the diverted one.
    assertTrue(m.get("tool").objects().contains(at(c, "usr/bin/tool.distrib")));
    assertTrue(m.get("divert").objects().contains(at(c, "usr/bin/tool")));
    // The shared file goes to the first claimant by name; the empty file shared by both to layer 0.
    assertTrue(m.get("libtool1").objects().contains(at(c, "usr/share/doc/common/copyright")));
    Checksum empty = at(c, "usr/share/empty-a");
    assertEquals(empty, at(c, "usr/share/empty-b"));
    m.values().forEach(k -> assertTrue(!k.objects().contains(empty), k.name()));
    // /etc/tool.conf is tool's; tool's database files are tool's, multi-arch ones with the arch.
    assertTrue(m.get("tool").objects().contains(at(c, "etc/tool.conf")));
    assertTrue(m.get("tool").objects().contains(at(c, "var/lib/dpkg/info/tool.md5sums")));
    assertTrue(m.get("libtool1").objects().contains(at(c, "var/lib/dpkg/info/libtool1:amd64.list")));
    LayerPlan plan = Chunker.plan(new ArrayList<>(m.values()), c.objects, 4);
    assertTrue(plan.remainder().containsAll(Set.of(at(c, "var/lib/dpkg/status"), at(c, "var/lib/dpkg/diversions"))));
    assertTrue(plan.layers().stream().anyMatch(l -> l.components().containsAll(List.of("tool", "libtool1"))),
        "packages of one source share a layer: " + plan.annotations());
  }

  @Test
  void theDatabaseIsFoundUnderUsrLibSysimage() throws IOException {
    Path t = tree();
    TestCommits.write(t, "usr/bin/x", "x");
    TestCommits.write(t, "usr/lib/sysimage/dpkg/status", "Package: x\nStatus: install ok installed\n");
    TestCommits.write(t, "usr/lib/sysimage/dpkg/info/x.list", "/usr/bin/x\n");
    TestCommits c = TestCommits.commit(work, t);
    Map<String, Component> m = byName(ComponentFinder.find(c.repo, c.commit, c.objects));
    assertEquals(Set.of(at(c, "usr/bin/x"), at(c, "usr/lib/sysimage/dpkg/info/x.list")), m.get("x").objects());
  }

  private String failure(String statusOrNull, String listOrNull, String diversionsOrNull) throws IOException {
    Path t = tree();
    if (statusOrNull != null) {
      TestCommits.write(t, "var/lib/dpkg/status", statusOrNull);
    }
    if (listOrNull != null) {
      TestCommits.write(t, "var/lib/dpkg/info/x.list", listOrNull);
    }
    if (diversionsOrNull != null) {
      TestCommits.write(t, "var/lib/dpkg/diversions", diversionsOrNull);
    }
    TestCommits c = TestCommits.commit(work, t);
    return assertThrows(IOException.class, () -> ComponentFinder.find(c.repo, c.commit, c.objects)).getMessage();
  }

  @Test
  void aMalformedStatusLineIsRejected() throws IOException {
    String m = failure("Package: x\ngarbage without colon\n", null, null);
    assertTrue(m.contains("var/lib/dpkg/status") && m.contains("malformed line"), m);
  }

  @Test
  void anInvalidPackageNameIsRejected() throws IOException {
    String m = failure("Package: ../../x\nStatus: install ok installed\n", null, null);
    assertTrue(m.contains("invalid package name"), m);
  }

  @Test
  void aStanzaWithoutPackageIsRejected() throws IOException {
    String m = failure("Status: install ok installed\n", null, null);
    assertTrue(m.contains("no Package field"), m);
  }

  @Test
  void aTruncatedDiversionIsRejected() throws IOException {
    String m = failure("Package: x\nStatus: install ok installed\n", "/x\n", "/bin/a\n/bin/a.orig\n");
    assertTrue(m.contains("diversions") && m.contains("truncated"), m);
  }

  @Test
  void anOverlongLineIsRejected() throws IOException {
    String m = failure("Package: x\nStatus: install ok installed\n", "/" + "a".repeat(2 << 20) + "\n", null);
    assertTrue(m.contains("x.list") && m.contains("longer than"), m);
  }

  @Test
  void aListFileThatIsASymlinkIsRejected() throws IOException {
    Path t = tree();
    TestCommits.write(t, "var/lib/dpkg/status", "Package: x\nStatus: install ok installed\n");
    TestCommits.link(t, "var/lib/dpkg/info/x.list", "/etc/shadow");
    TestCommits c = TestCommits.commit(work, t);
    String m = assertThrows(IOException.class, () -> ComponentFinder.find(c.repo, c.commit, c.objects)).getMessage();
    assertTrue(m.contains("x.list") && m.contains("symlink"), m);
  }

  @Test
  void listedPathsThatLeaveTheTreeStayInIt() throws IOException {
    Path t = tree();
    TestCommits.write(t, "usr/bin/x", "x");
    TestCommits.write(t, "var/lib/dpkg/status", "Package: x\nStatus: install ok installed\n");
    TestCommits.write(t, "var/lib/dpkg/info/x.list", "/../../../usr/bin/x\n/../../../../etc/passwd\n");
    TestCommits c = TestCommits.commit(work, t);
    Map<String, Component> m = byName(ComponentFinder.find(c.repo, c.commit, c.objects));
    assertTrue(m.get("x").objects().contains(at(c, "usr/bin/x")));
  }
}
