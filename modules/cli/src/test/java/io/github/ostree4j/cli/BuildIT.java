package io.github.ostree4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ostree4j.testing.CmdResult;
import io.github.ostree4j.testing.LocalRegistry;
import io.github.ostree4j.testing.OstreeCli;
import io.github.ostree4j.testing.Peers;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code ostree4j build} end to end: bad Containerfiles fail with one line naming file and line
 * and write nothing; the NestOS-style customization in {@code containerfiles/nestos-custom} on a
 * base made by {@code container encapsulate} from the Debian minbase tree imports with {@code
 * container image pull} into a merge commit with the build's changes; pushing to a registry
 * works.
 */
class BuildIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern MERGE = Pattern.compile("Merge commit: ([0-9a-f]{64})");

  private Path work;

  @BeforeEach
  void setUp() {
    Peers.requireRoot("builds mount overlays and run runc");
    Peers.require("runc");
    work = ItFixtures.newDir("build");
  }

  /** A context with a static busybox as /bin/busybox and /bin/sh. */
  private Path busyboxContext(String containerfile) throws Exception {
    Path ctx = Files.createDirectories(work.resolve("ctx"));
    Files.createDirectories(ctx.resolve("bin"));
    Files.copy(Peers.require("busybox"), ctx.resolve("bin/busybox"));
    Files.createSymbolicLink(ctx.resolve("bin/sh"), Path.of("busybox"));
    Files.writeString(ctx.resolve("Containerfile"), containerfile);
    return ctx;
  }

  private Ostree4j.Result build(Path ctx, String... extra) {
    List<String> args = new ArrayList<>(List.of("build", "--root", work.resolve("root").toString()));
    args.addAll(List.of(extra));
    args.add(ctx.toString());
    return Ostree4j.run(args.toArray(String[]::new));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      unknown instruction | FROM scratch\\nFOO bar\\n                                 | Containerfile:2
      unterminated heredoc| FROM scratch\\nRUN <<EOF\\necho hi\\n                      | Containerfile:2
      bad flag            | FROM scratch\\nCOPY --bogus=1 a /a\\n                      | Containerfile:2
      missing stage index | FROM scratch\\nCOPY --from=3 /x /x\\n                      | Containerfile:2
      stage defined later | FROM scratch AS first\\nCOPY --from=late /x /x\\nFROM scratch AS late\\nFROM first\\n | Containerfile:2
      copy outside context| FROM scratch\\nCOPY ../outside /x\\n                       | Containerfile:2
      missing copy source | FROM scratch\\nCOPY nothing-here /x\\n                     | Containerfile:2
      """)
  void badContainerfilesFailOnOneLineAndWriteNothing(String name, String text, String where)
      throws Exception {
    Path ctx = Files.createDirectories(work.resolve("ctx"));
    Files.writeString(ctx.resolve("Containerfile"), text.strip().replace("\\n", "\n") + "\n");
    Path out = work.resolve("out");
    Ostree4j.Result r = build(ctx, "-t", "oci:" + out + ":x");
    assertEquals(1, r.exitCode(), r.toString());
    List<String> lines = r.stderrLines();
    assertEquals(1, lines.size(), name + ": one line: " + r.stderr());
    assertTrue(lines.get(0).startsWith("error: building oci:" + out + ":x: " + where + ":"),
        lines.get(0));
    assertFalse(Files.exists(out), "nothing written");
  }

  @Test
  void missingContextOrSigningKeyFailsOnOneLineBeforeBuilding() throws Exception {
    Path out = work.resolve("out");
    Ostree4j.Result r = build(work.resolve("no-such-context"), "-t", "oci:" + out + ":x");
    assertEquals(1, r.exitCode(), r.toString());
    assertEquals(List.of("error: building oci:" + out + ":x: No such file or directory: "
        + work.resolve("no-such-context") + " (the build context is not a directory)"), r.stderrLines());
    Path ctx = busyboxContext("FROM scratch\nCOPY bin/ /bin/\n");
    r = build(ctx, "-t", "oci:" + out + ":x", "--sign-key", work.resolve("none.key").toString(),
        "--sign-identity", "example.org/x:1");
    assertEquals(1, r.exitCode(), r.toString());
    assertEquals(List.of("error: reading the signing key " + work.resolve("none.key") + ": reading the key "
        + work.resolve("none.key") + ": no such readable file"), r.stderrLines());
    assertFalse(Files.exists(out), "nothing written");
  }

  @Test
  void failingRunShowsExitCodeAndOutputTail() throws Exception {
    Path ctx = busyboxContext("FROM scratch\nCOPY bin/ /bin/\n"
        + "RUN echo first line && echo 'second: bad things' >&2 && exit 2\n");
    Path out = work.resolve("out");
    Ostree4j.Result r = build(ctx, "-t", "oci:" + out + ":x");
    assertEquals(1, r.exitCode(), r.toString());
    List<String> lines = r.stderrLines();
    assertEquals("error: building oci:" + out + ":x: Containerfile:3: RUN failed with exit code 2:"
        + " echo first line && echo 'second: bad things' >&2 && exit 2", lines.get(0));
    assertTrue(lines.contains("first line"), r.stderr());
    assertTrue(lines.contains("second: bad things"), r.stderr());
    assertFalse(Files.exists(out), "nothing written");
    assertTrue(r.stdout().contains("STEP 3/3: RUN echo first line"), r.stdout());
  }

  @Test
  void tagsWithoutTransportGoToTheStorageRootAndCanBeBuiltOn() throws Exception {
    Path ctx = busyboxContext("FROM scratch\nCOPY bin/ /bin/\nRUN echo base > /base.txt\n");
    Ostree4j.Result r = build(ctx, "-t", "local/base:1", "--build-arg", "NOT_USED=1",
        "--build-arg", "HTTP_PROXY=http://proxy.invalid:3128").checkSuccess();
    assertTrue(r.stdout().contains("[Warning] one or more build args were not consumed: [NOT_USED]"),
        r.stdout());
    Path images = work.resolve("root/images");
    assertTrue(r.stdout().contains("Image written to oci:" + images + ":local/base:1"), r.stdout());
    assertTrue(r.stdout().strip().endsWith(last(r.stdout())) && last(r.stdout()).startsWith("sha256:"));
    Files.writeString(ctx.resolve("Containerfile"), "FROM local/base:1\nRUN cat /base.txt > /child.txt\n");
    Ostree4j.Result child = build(ctx, "-t", "local/child").checkSuccess();
    assertTrue(child.stdout().contains("Resolving oci:" + images + ":local/base:1"), child.stdout());
    assertTrue(child.stdout().contains(":local/child:latest"), child.stdout());
  }

  private static String last(String s) {
    String[] l = s.strip().split("\n");
    return l[l.length - 1];
  }

  /**
   * containerfiles/nestos-custom on an encapsulated Debian minbase: the derived image pulls as a
   * merge commit with the RUN and COPY changes; it is pushed to a registry by the same build.
   */
  @Test
  void derivedOsImageImportsAsMergeCommitAndPushes() throws Exception {
    Peers.require("ostree");
    Path rootfs = ItFixtures.minbase();
    Path repo = work.resolve("repo");
    Ostree4j.init(repo, "bare-user");
    Ostree4j.commit(repo, List.of("-b", "os", "--timestamp=2020-01-01T00:00:00Z", "--owner-uid=0",
        "--owner-gid=0"), rootfs);
    Path images = work.resolve("images");
    Ostree4j.ok("container", "encapsulate", "--repo=" + repo, "os", "oci:" + images + ":base");
    Path ctx = containerfilesDir().resolve("nestos-custom");
    try (LocalRegistry reg = LocalRegistry.start()) {
      String pushed = "docker://" + reg.host() + "/nestos/custom:1";
      Ostree4j.Result r = build(ctx, "--build-arg", "BASE=oci:" + images + ":base",
          "-t", "oci:" + images + ":custom", "-t", pushed, "--tls-verify=false",
          "--timestamp=1700000000").checkSuccess();
      String digest = last(r.stdout());
      assertTrue(digest.startsWith("sha256:"), r.stdout());
      // the registry has it, with the same digest
      Ostree4j.Result inspect = Ostree4j.ok("inspect", "--tls-verify=false", pushed);
      JsonNode info = JSON.readTree(inspect.stdout());
      assertEquals(digest, info.path("Digest").asText(), inspect.stdout());
      assertEquals("nestos-custom", info.path("Labels").path("org.opencontainers.image.title").asText());
      assertTrue(info.path("Labels").has("ostree.commit"), "the base's ostree labels are kept");

      Path node = work.resolve("node");
      Ostree4j.init(node, "bare-user");
      String out = Ostree4j.ok("container", "image", "pull", "--repo=" + node, "--tls-verify=false",
          "ostree-unverified-image:" + pushed).stdout();
      Matcher m = MERGE.matcher(out);
      assertTrue(m.find(), out);
      Path checkout = work.resolve("checkout");
      OstreeCli.run("checkout", "--repo=" + node, "-U", m.group(1), checkout.toString()).checkSuccess();
      assertTrue(Files.readString(checkout.resolve("usr/etc/hello/hello.conf")).contains("GREETING="));
      assertTrue(Files.readString(checkout.resolve("usr/etc/systemd/system/hello.service"))
          .contains("ExecStart=/usr/libexec/hello/greet.sh"));
      assertEquals("../hello.service", Files.readSymbolicLink(checkout.resolve(
          "usr/etc/systemd/system/multi-user.target.wants/hello.service")).toString());
      assertTrue(Files.isExecutable(checkout.resolve("usr/libexec/hello/greet.sh")));
      assertTrue(Files.readString(checkout.resolve("usr/etc/passwd")).contains("\nhello:x:"),
          "useradd's user");
      assertFalse(Files.exists(checkout.resolve("usr/bin/ostree"), LinkOption.NOFOLLOW_LINKS),
          "the ostree shim is not part of the image");
      CmdResult fsck = OstreeCli.run("fsck", "--repo=" + node);
      assertTrue(fsck.stdout().contains("no errors found"), fsck.stdout() + fsck.stderr());
    }
  }

  @Test
  void lintRunsOnTheFinalRootFilesystem() throws Exception {
    Path ctx = busyboxContext("FROM scratch\nCOPY bin/ /bin/\nRUN mkdir -p /usr/lib/modules/6.1.0/"
        + " && echo k > /usr/lib/modules/6.1.0/vmlinuz && mkdir -p /opt/x && echo x > /opt/x/y\n");
    Ostree4j.Result r = build(ctx, "--lint", "-t", "oci:" + work.resolve("out") + ":x").checkSuccess();
    assertTrue(r.stdout().contains("lint: warning: content-outside-usr"), r.stdout());
    Files.writeString(ctx.resolve("Containerfile"), "FROM scratch\nCOPY bin/ /bin/\n");
    Ostree4j.Result bad = build(ctx, "--lint", "-t", "oci:" + work.resolve("out2") + ":x");
    assertEquals(1, bad.exitCode(), bad.toString());
    assertTrue(bad.stdout().contains("lint: error: kernel: no kernel"), bad.stdout());
    assertTrue(bad.stderr().contains("container lint found 1 error"), bad.stderr());
    assertFalse(Files.exists(work.resolve("out2")));
  }

  private static Path containerfilesDir() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isDirectory(p.resolve("containerfiles"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new AssertionError("containerfiles/ not found above " + Path.of("").toAbsolutePath());
    }
    return p.resolve("containerfiles");
  }
}
