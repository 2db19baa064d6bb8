package io.github.ostree4j.build.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ostree4j.build.BuildOptions;
import io.github.ostree4j.build.BuildResult;
import io.github.ostree4j.build.ImageBuilder;
import io.github.ostree4j.oci.ImageConfig;
import io.github.ostree4j.oci.OciLayout;
import io.github.ostree4j.testing.Cmd;
import io.github.ostree4j.testing.CmdResult;
import io.github.ostree4j.testing.Peers;
import io.github.ostree4j.testing.WorkDirs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The real tools the build integration tests compare against, and JVM-wide fixtures: a busybox
 * base image made with umoci, buildah with its own storage, ostree4j builds into one shared
 * storage root.
 */
final class BuildPeers {

  static final ObjectMapper JSON = new ObjectMapper();

  private static Path busyboxLayout;
  private static Path storageRoot;
  private static Path buildahRoot;

  private BuildPeers() {}

  /** Skips unless root with runc, umoci, buildah and busybox. */
  static void require() {
    Peers.requireRoot("builds mount overlays and run runc");
    Peers.require("runc");
    Peers.require("umoci");
    Peers.require("buildah");
    BusyboxRootfs.busybox();
  }

  /**
   * A busybox base image made by umoci (layout per JVM), as {@code oci:DIR:base}.
   *
   * @return the reference text
   */
  static synchronized String busyboxImage() throws IOException {
    if (busyboxLayout == null) {
      Path dir = WorkDirs.newDir("busybox-image");
      Path layout = dir.resolve("layout");
      String img = layout + ":base";
      umoci("init", "--layout", layout.toString());
      umoci("new", "--image", img);
      Path bundle = dir.resolve("bundle");
      umoci("unpack", "--image", img, bundle.toString());
      BusyboxRootfs.create(bundle.resolve("rootfs"));
      umoci("repack", "--image", img, bundle.toString());
      umoci("config", "--image", img, "--config.env",
          "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
          "--config.cmd", "/bin/sh", "--config.label", "base.label=busybox");
      busyboxLayout = layout;
    }
    return "oci:" + busyboxLayout + ":base";
  }

  static CmdResult umoci(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Peers.require("umoci").toString());
    cmd.addAll(List.of(args));
    return Cmd.of(cmd).run().checkSuccess();
  }

  /** The storage root shared by this JVM's ostree4j builds. */
  static synchronized Path storageRoot() {
    if (storageRoot == null) {
      storageRoot = WorkDirs.newDir("storage");
    }
    return storageRoot;
  }

  /** {@code buildah ARGS} with this JVM's own storage, vfs driver. */
  static CmdResult buildah(Path dir, String... args) {
    synchronized (BuildPeers.class) {
      if (buildahRoot == null) {
        buildahRoot = WorkDirs.newDir("buildah");
      }
    }
    List<String> cmd = new ArrayList<>(List.of(Peers.require("buildah").toString(), "--root",
        buildahRoot.resolve("root").toString(), "--runroot", buildahRoot.resolve("run").toString(),
        "--storage-driver", "vfs"));
    cmd.addAll(List.of(args));
    return Cmd.of(cmd).dir(dir).run();
  }

  /**
   * {@code buildah bud} in Docker format (so that HEALTHCHECK, ONBUILD and SHELL are kept),
   * runc, chroot isolation; the image is pushed to {@code oci:OUT:TAG} and its Docker config
   * returned.
   */
  static JsonNode buildahBud(Path context, String file, Map<String, String> args, String name,
      Path out) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("bud", "--format", "docker", "--runtime", "runc",
        "--isolation", "chroot", "-f", file, "-t", name));
    args.forEach((k, v) -> cmd.add("--build-arg=" + k + "=" + v));
    cmd.add(".");
    CmdResult r = buildah(context, cmd.toArray(String[]::new));
    if (!r.success()) {
      throw new AssertionError("buildah bud failed:\n" + r.stdout() + r.stderr());
    }
    buildah(context, "push", name, "oci:" + out + ":img").checkSuccess();
    CmdResult inspect = buildah(context, "inspect", "--type", "image", name).checkSuccess();
    return JSON.readTree(inspect.stdout()).path("Docker").path("config");
  }

  /** An ostree4j build to {@code oci:OUT:img}; the output is kept in {@code log}. */
  static BuildResult ostree4j(Path context, String file, Map<String, String> args, Path out,
      ByteArrayOutputStream log, Consumer<BuildOptions.Builder> more) throws Exception {
    BuildOptions.Builder b = BuildOptions.builder(context).containerfile(context.resolve(file))
        .destination(io.github.ostree4j.transport.ImageReference.parse("oci:" + out + ":img"))
        .storageRoot(storageRoot()).output(log);
    args.forEach(b::buildArg);
    more.accept(b);
    return ImageBuilder.of(b.build()).build();
  }

  /** The config of {@code oci:LAYOUT:img}. */
  static ImageConfig config(Path layout) throws IOException {
    OciLayout l = OciLayout.open(layout);
    return l.readConfig(l.readManifest(l.findManifest("img")).config());
  }

  /** umoci unpack of {@code oci:LAYOUT:img}; returns the rootfs. */
  static Path unpack(Path layout, Path bundle) {
    umoci("unpack", "--image", layout + ":img", bundle.toString());
    return bundle.resolve("rootfs");
  }

  /** Copies a corpus case from the test resources into a fresh context directory. */
  static Path corpusCase(String name) throws IOException {
    Path src;
    try {
      src = Path.of(BuildPeers.class.getResource("/corpus/" + name).toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IOException(e);
    }
    Path dst = WorkDirs.newDir("ctx-" + name);
    Files.walkFileTree(src, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) throws IOException {
        Files.createDirectories(dst.resolve(src.relativize(d).toString()));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
        Files.copy(f, dst.resolve(src.relativize(f).toString()), StandardCopyOption.REPLACE_EXISTING);
        return FileVisitResult.CONTINUE;
      }
    });
    return dst;
  }

  /** {@code build-args} of a case: one NAME=VALUE per line. */
  static Map<String, String> buildArgs(Path context) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    Path f = context.resolve("build-args");
    if (Files.exists(f)) {
      for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
        int eq = line.indexOf('=');
        if (eq > 0) {
          out.put(line.substring(0, eq), line.substring(eq + 1));
        }
      }
      Files.delete(f);
    }
    return out;
  }
}
