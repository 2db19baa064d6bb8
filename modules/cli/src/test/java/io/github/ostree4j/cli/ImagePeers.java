package io.github.ostree4j.cli;

import io.github.ostree4j.testing.Cmd;
import io.github.ostree4j.testing.CmdResult;
import io.github.ostree4j.testing.Peers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/** skopeo (private policy, no inherited auth files) and umoci, and images made with them. */
final class ImagePeers {

  private final Path skopeo;
  private final Path umoci;
  private final Path policy;
  private final Path emptyAuth;

  ImagePeers(Path tmp) {
    this.skopeo = Peers.require("skopeo");
    this.umoci = Peers.require("umoci");
    try {
      this.policy = Files.writeString(tmp.resolve("policy.json"),
          "{\"default\":[{\"type\":\"insecureAcceptAnything\"}]}");
      this.emptyAuth = Files.writeString(tmp.resolve("skopeo-auth.json"), "{}");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs {@code skopeo --policy P ARGS}, whatever the outcome. */
  CmdResult skopeoRun(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(skopeo.toString());
    cmd.add("--policy");
    cmd.add(policy.toString());
    cmd.addAll(List.of(args));
    return Cmd.of(cmd).timeout(Duration.ofMinutes(5)).env("REGISTRY_AUTH_FILE", emptyAuth.toString())
        .run();
  }

  /** Runs skopeo and insists on success. */
  CmdResult skopeo(String... args) {
    return skopeoRun(args).checkSuccess();
  }

  /** The sha256 of {@code skopeo inspect --raw IMAGE} (with --tls-verify=false for registries). */
  String rawDigest(String image) {
    List<String> a = new ArrayList<>(List.of("inspect", "--raw"));
    if (image.startsWith("docker://")) {
      a.add("--tls-verify=false");
    }
    a.add(image);
    return sha256(skopeo(a.toArray(String[]::new)).stdout());
  }

  /** Runs umoci and insists on success. */
  CmdResult umoci(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(umoci.toString());
    cmd.addAll(List.of(args));
    return Cmd.of(cmd).timeout(Duration.ofMinutes(5)).run().checkSuccess();
  }

  /**
   * Builds {@code oci:DIR:TAG} with umoci: {@code layers} gzip layers, each with a file
   * {@code /layerN/data} of {@code bytesPerLayer} random bytes and a small text file.
   */
  void umociImage(Path dir, String tag, int layers, int bytesPerLayer, long seed) {
    try {
      umoci("init", "--layout", dir.toString());
      umoci("new", "--image", dir + ":" + tag);
      Random r = new Random(seed);
      for (int i = 0; i < layers; i++) {
        Path root = Files.createTempDirectory(dir.getParent(), "layer-");
        Path d = Files.createDirectories(root.resolve("layer" + i));
        byte[] data = new byte[bytesPerLayer];
        r.nextBytes(data);
        Files.write(d.resolve("data"), data);
        Files.writeString(d.resolve("hello.txt"), "layer " + i + " seed " + seed + "\n");
        umoci("insert", "--rootless", "--image", dir + ":" + tag, root.toString(), "/");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String sha256(String s) {
    return sha256(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  static String sha256(byte[] b) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
