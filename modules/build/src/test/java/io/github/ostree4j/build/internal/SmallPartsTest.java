package io.github.ostree4j.build.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Output tail, runtime configuration, overlay options and getfattr name quoting. */
class SmallPartsTest {

  @Test
  void outputTailKeepsTheLastLinesBounded() {
    OutputTail t = new OutputTail(3, 8);
    byte[] in = "one\ntwo\r\nthree\nfour\nand a very long line\npartial".getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < in.length; i += 5) {
      t.accept(in, i, Math.min(5, in.length - i));
    }
    assertEquals("four\nand a ve...\npartial", t.text());
    OutputTail u = new OutputTail(2, 100);
    byte[] bad = {'a', (byte) 0xff, '\n', 'b', '\n'};
    u.accept(bad, 0, bad.length);
    assertEquals("a\ufffd\nb", u.text());
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.isObject() ? n.get("type").asText() + ":" + n.path("destination").asText() : n.asText()));
    return out;
  }

  @Test
  void runtimeConfigForRootWithHostNetwork() {
    RunSpec spec = new RunSpec(List.of("/bin/sh", "-c", "true"), List.of("A=1"), "/src", 0, 0, List.of(7),
        true, List.of(new MountPoint(MountPoint.Kind.TMPFS, null, "/cache", List.of("size=1m"))), "h");
    ObjectNode c = RuntimeConfig.build(spec, Path.of("/r"), Path.of("/b/resolv.conf"), Path.of("/b/hosts"));
    assertEquals(false, c.at("/process/terminal").asBoolean());
    assertEquals(false, c.at("/root/readonly").asBoolean(true));
    assertEquals("/r", c.at("/root/path").asText());
    assertEquals(List.of(RuntimeConfig.DEFAULT_PATH, "A=1"), strings(c.at("/process/env")));
    assertEquals("/src", c.at("/process/cwd").asText());
    assertEquals(List.of("7"), strings(c.at("/process/user/additionalGids")));
    assertEquals(RuntimeConfig.CAPABILITIES, strings(c.at("/process/capabilities/effective")));
    assertEquals(14, RuntimeConfig.CAPABILITIES.size());
    assertEquals(List.of("pid", "ipc", "uts", "mount"), strings(c.at("/linux/namespaces")).stream()
        .map(s -> s.substring(0, s.indexOf(':'))).toList());
    assertEquals(List.of("proc:/proc", "tmpfs:/dev", "devpts:/dev/pts", "tmpfs:/dev/shm", "mqueue:/dev/mqueue",
        "sysfs:/sys", "bind:/etc/resolv.conf", "bind:/etc/hosts", "tmpfs:/cache"), strings(c.at("/mounts")));
    assertTrue(strings(c.at("/mounts/6/options")).contains("ro"));
    assertEquals(List.of("nosuid", "nodev", "size=1m"), strings(c.at("/mounts/8/options")));
    assertEquals("h", c.at("/hostname").asText());
  }

  @Test
  void runtimeConfigForUserWithOwnNetwork() {
    RunSpec spec = new RunSpec(List.of("id"), List.of("PATH=/bin"), "", 1000, 1000, List.of(), false, List.of(),
        null);
    ObjectNode c = RuntimeConfig.build(spec, Path.of("/r"), null, null);
    assertEquals(List.of("PATH=/bin"), strings(c.at("/process/env")));
    assertEquals("/", c.at("/process/cwd").asText());
    assertEquals(List.of(), strings(c.at("/process/capabilities/effective")));
    assertEquals(RuntimeConfig.CAPABILITIES, strings(c.at("/process/capabilities/bounding")));
    assertTrue(strings(c.at("/linux/namespaces")).contains("network:"));
    assertTrue(strings(c.at("/mounts")).stream().noneMatch(m -> m.startsWith("bind:")));
    assertTrue(c.at("/hostname").isMissingNode());
  }

  @Test
  void overlayOptionsStayShortForManyLayers() {
    OverlayMount m = new OverlayMount(Path.of("/a/very/long/step/directory/path/that/does/not/matter"),
        Path.of("/a/very/long/step/directory/path/that/does/not/matter/upper"),
        Path.of("/a/very/long/step/directory/path/that/does/not/matter/work"),
        Path.of("/a/very/long/step/directory/path/that/does/not/matter/merged"));
    assertEquals("lowerdir=l/0:l/1,upperdir=upper,workdir=work,userxattr,volatile", m.options(2));
    assertTrue(m.options(500).length() <= OverlayMount.MAX_OPTIONS, "the kernel's own limit is 500 layers");
  }

  @Test
  void getfattrQuotingIsUndone() {
    assertEquals("a\nb", HostXattrs.unescape("a\\012b"));
    assertEquals("caf\u00e9", HostXattrs.unescape("caf\\303\\251"));
    assertEquals("back\\slash", HostXattrs.unescape("back\\\\slash"));
    assertEquals("\\9", HostXattrs.unescape("\\9"));
  }

  @Test
  void privateXattrsAreRecognised() {
    List<String> names = new ArrayList<>(List.of("user.overlay.opaque", "trusted.overlay.origin", "user.ostreemeta",
        "user.ostree4j.copy-id", "security.selinux", "user.mime_type", "security.capability"));
    names.removeIf(ChangeTreeFormat::isPrivateXattr);
    Collections.sort(names);
    assertEquals(List.of("security.capability", "user.mime_type"), names);
  }
}
