package io.github.ostree4j.build.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ostree4j.oci.ImageConfig;
import io.github.ostree4j.testing.Cmd;
import io.github.ostree4j.testing.TreeComparator;
import io.github.ostree4j.testing.WorkDirs;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The corpus under {@code src/test/resources/corpus} built by ostree4j and by {@code buildah bud}
 * (1.28, runc, chroot isolation, vfs) from the same busybox base image: umoci's unpacking of
 * both images gives equal trees (content, modes, owners, symlinks, deletions) and the config
 * fields match buildah's Docker config.
 *
 * <p>Left out of the tree comparison: {@code /dev}, {@code /proc}, {@code /sys}, {@code /run} and
 * {@code /etc/hosts}, {@code /etc/hostname}, {@code /etc/resolv.conf}, the mount points buildah's
 * RUN leaves in its layers when the base lacks them (ostree4j keeps mount points out of layers).
 * Left out of the config comparison: buildah's own {@code io.buildah.version} label.
 */
class BuildahConformanceIT {

  private static final Set<String> RUN_MOUNT_POINTS = Set.of("dev", "proc", "sys", "run",
      "etc/hosts", "etc/hostname", "etc/resolv.conf");
  private static final List<String> FIELDS = List.of("Env", "Cmd", "Entrypoint", "WorkingDir",
      "User", "Labels", "ExposedPorts", "Volumes", "StopSignal", "Healthcheck", "OnBuild", "Shell");

  @BeforeEach
  void peers() {
    BuildPeers.require();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"multistage", "arg-env", "copy-chown-chmod", "add-tar", "workdir-user",
      "delete-recreate", "containerignore", "metadata", "wildcards"})
  void sameTreeAndConfigAsBuildah(String name) throws Exception {
    Path ctx = BuildPeers.corpusCase(name);
    Map<String, String> args = new LinkedHashMap<>(BuildPeers.buildArgs(ctx));
    args.put("BASE", BuildPeers.busyboxImage());
    prepare(name, ctx);
    compare(name, ctx, "Containerfile", args);
  }

  /** ONBUILD: each tool builds the parent, then the child FROM its own parent. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"onbuild"})
  void onbuildTriggersRunInTheChild(String name) throws Exception {
    Path ctx = BuildPeers.corpusCase(name);
    Path work = WorkDirs.newDir("onbuild");
    Map<String, String> base = Map.of("BASE", BuildPeers.busyboxImage());
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    BuildPeers.ostree4j(ctx, "parent.Containerfile", base, work.resolve("ours-parent"), log, b -> { });
    BuildPeers.buildahBud(ctx, "parent.Containerfile", base, "localhost/onbuild-parent",
        work.resolve("buildah-parent"));
    ImageConfig parent = BuildPeers.config(work.resolve("ours-parent"));
    assertEquals(3, parent.json().path("config").path("OnBuild").size(), parent.json().toString());
    Path ours = work.resolve("ours");
    BuildPeers.ostree4j(ctx, "Containerfile",
        Map.of("PARENT", "oci:" + work.resolve("ours-parent") + ":img"), ours, log, b -> { });
    JsonNode theirs = BuildPeers.buildahBud(ctx, "Containerfile",
        Map.of("PARENT", "localhost/onbuild-parent"), "localhost/onbuild-child",
        work.resolve("buildah"));
    compareTrees(work, ours, work.resolve("buildah"));
    compareConfig(name, BuildPeers.config(ours), theirs);
    Path rootfs = BuildPeers.unpack(ours, work.resolve("check"));
    assertEquals("copied by a trigger\ntrigger ran\nyes\n", Files.readString(rootfs.resolve("child.txt")));
  }

  private static void prepare(String name, Path ctx) throws Exception {
    if (name.equals("add-tar")) {
      Path src = Files.createDirectories(ctx.resolve("archive-src/top/sub"));
      Files.writeString(src.resolve("f.txt"), "in the archive\n");
      Files.writeString(ctx.resolve("archive-src/top/exec.sh"), "#!/bin/sh\n");
      Files.setAttribute(ctx.resolve("archive-src/top/exec.sh"), "unix:mode", 0750);
      Files.createSymbolicLink(ctx.resolve("archive-src/top/link"), Path.of("sub/f.txt"));
      Cmd.of("tar", "--owner=1234", "--group=5678", "--mtime=2001-02-03 04:05:06", "-C",
          ctx.resolve("archive-src").toString(), "-czf", ctx.resolve("archive.tar.gz").toString(),
          "top").run().checkSuccess();
      Cmd.of("tar", "--owner=0", "--group=0", "-C", ctx.resolve("archive-src").toString(), "-cf",
          ctx.resolve("archive.tar").toString(), "top").run().checkSuccess();
      try (OutputStream o = io.github.ostree4j.oci.Compression.GZIP.compress(
          Files.newOutputStream(ctx.resolve("not-really.gz")))) {
        o.write("gzip, but no tar inside\n".getBytes(StandardCharsets.UTF_8));
      }
      Cmd.of("rm", "-rf", ctx.resolve("archive-src").toString()).run().checkSuccess();
    }
    if (name.equals("copy-chown-chmod")) {
      Files.createDirectories(ctx.resolve("cdir/inner/deeper"));
      Files.setAttribute(ctx.resolve("cdir"), "unix:mode", 0750);
      Files.setAttribute(ctx.resolve("cdir/f"), "unix:mode", 0640);
      Files.createSymbolicLink(ctx.resolve("cdir/link"), Path.of("f"));
    }
  }

  private void compare(String name, Path ctx, String file, Map<String, String> args)
      throws Exception {
    Path work = WorkDirs.newDir("cmp-" + name);
    Path ours = work.resolve("ours");
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    try {
      BuildPeers.ostree4j(ctx, file, args, ours, log, b -> { });
    } catch (Exception e) {
      throw new AssertionError("ostree4j build of " + name + " failed: " + e.getMessage()
          + "\n" + log.toString(StandardCharsets.UTF_8), e);
    }
    JsonNode theirs = BuildPeers.buildahBud(ctx, file, args, "localhost/" + name,
        work.resolve("buildah"));
    compareTrees(work, ours, work.resolve("buildah"));
    compareConfig(name, BuildPeers.config(ours), theirs);
  }

  private static void compareTrees(Path work, Path ours, Path buildah) {
    Path a = BuildPeers.unpack(buildah, work.resolve("unpacked-buildah"));
    Path b = BuildPeers.unpack(ours, work.resolve("unpacked-ours"));
    TreeComparator.assertEqualTrees(a, b, TreeComparator.Options.defaults()
        .ignoreRootMetadata().exclude(p -> RUN_MOUNT_POINTS.contains(p)
            || p.startsWith("dev/") || p.startsWith("proc/") || p.startsWith("sys/")
            || p.startsWith("run/")));
  }

  private static void compareConfig(String name, ImageConfig ours, JsonNode theirs) {
    JsonNode c = ours.json().path("config");
    for (String f : FIELDS) {
      JsonNode o = normalize(f, c.get(f));
      JsonNode t = normalize(f, theirs.get(f));
      assertEquals(t, o, name + ": config " + f + " (buildah vs ostree4j)");
    }
    assertTrue(ours.created().isPresent());
  }

  /** Absent, null, empty list, empty object and empty string are the same. */
  private static JsonNode normalize(String field, JsonNode n) {
    if (n == null || n.isNull() || n.isContainerNode() && n.isEmpty()
        || n.isTextual() && n.asText().isEmpty()) {
      return null;
    }
    if (field.equals("Labels")) {
      ObjectNode o = ((ObjectNode) n).deepCopy();
      o.remove("io.buildah.version");
      return o.isEmpty() ? null : o;
    }
    return n;
  }
}
