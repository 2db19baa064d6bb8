package io.github.ostree4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ostree4j.testing.Cmd;
import io.github.ostree4j.testing.CmdResult;
import io.github.ostree4j.testing.LocalRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ostree4j copy} and {@code inspect} against a registry with htpasswd authentication. */
class CopyAuthIT {

  @TempDir static Path tmp;
  static LocalRegistry registry;
  static ImagePeers peers;
  static String image;
  static Path authFile;

  @BeforeAll
  static void setUp() throws Exception {
    registry = LocalRegistry.startWithAuth("alice", "s3cret");
    peers = new ImagePeers(tmp);
    Path dir = tmp.resolve("img");
    peers.umociImage(dir, "v1", 2, 10_000, 3);
    image = "oci:" + dir + ":v1";
    String auth = Base64.getEncoder().encodeToString("alice:s3cret".getBytes(StandardCharsets.UTF_8));
    authFile = Files.writeString(tmp.resolve("auth.json"),
        "{\"auths\":{\"" + registry.host() + "\":{\"auth\":\"" + auth + "\"}}}");
  }

  @AfterAll
  static void tearDown() {
    if (registry != null) {
      registry.close();
    }
  }

  String reg(String repo) {
    return "docker://" + registry.host() + "/" + repo;
  }

  @Test
  void aWrongPasswordIsOneLineAndExitOne() {
    Pattern oneLine = Pattern.compile("error: .*authentication failed for "
        + Pattern.quote(registry.host()));
    Ostree4j.Result r = Ostree4j.run("copy", "--progress=none", "--dest-tls-verify=false",
        "--dest-creds", "alice:wrong", image, reg("auth/img:v1"));
    assertEquals(1, r.exitCode(), r::toString);
    assertEquals(1, r.stderrLines().size(), r::toString);
    assertTrue(oneLine.matcher(r.stderrLines().get(0)).matches(), r::toString);

    Ostree4j.Result i = Ostree4j.run("inspect", "--tls-verify=false", "--creds", "alice:wrong",
        reg("auth/img:v1"));
    assertEquals(1, i.exitCode(), i::toString);
    assertEquals(1, i.stderrLines().size(), i::toString);
    assertTrue(oneLine.matcher(i.stderrLines().get(0)).matches(), i::toString);

    Ostree4j.Result none = Ostree4j.run("inspect", "--tls-verify=false", "--authfile",
        Files.exists(tmp.resolve("empty.json")) ? tmp.resolve("empty.json").toString()
            : write("empty.json", "{}").toString(), reg("auth/img:v1"));
    assertEquals(1, none.exitCode(), none::toString);
    assertTrue(oneLine.matcher(none.stderrLines().get(0)).matches(), none::toString);
  }

  @Test
  void credentialsFromFlagsAndAuthFilesWork() {
    Ostree4j.ok("copy", "--progress=none", "--dest-tls-verify=false", "--dest-creds", "alice:s3cret",
        image, reg("auth/creds:v1"));
    Ostree4j.ok("copy", "--progress=none", "--dest-tls-verify=false", "--authfile",
        authFile.toString(), image, reg("auth/file:v1"));
    Ostree4j.ok("copy", "--progress=none", "--src-tls-verify=false", "--dest-tls-verify=false",
        "--src-authfile", authFile.toString(), "--dest-creds", "alice:s3cret", reg("auth/file:v1"),
        reg("auth/file2:v1"));
    String want = peers.rawDigest(image);
    String raw = Ostree4j.ok("inspect", "--raw", "--tls-verify=false", "--creds", "alice:s3cret",
        reg("auth/file2:v1")).stdout();
    assertEquals(want, ImagePeers.sha256(raw));
    assertTrue(Ostree4j.ok("inspect", "--tls-verify=false", "--authfile", authFile.toString(),
        reg("auth/creds:v1")).stdout().contains("\"RepoTags\": [\n        \"v1\"\n    ]"));
  }

  @Test
  void registryAuthFileFromTheEnvironment() {
    String jar = System.getProperty("ostree4j.jar");
    Assumptions.assumeTrue(jar != null && Files.isRegularFile(Path.of(jar)),
        "the shaded ostree4j.jar is built by 'mvn package'");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    CmdResult copy = Cmd.of(List.of(java, "-jar", jar, "copy", "--progress=none",
        "--dest-tls-verify=false", image, reg("auth/env:v1")))
        .env("REGISTRY_AUTH_FILE", authFile.toString()).run();
    assertEquals(0, copy.exitCode(), copy::toString);
    CmdResult inspect = Cmd.of(List.of(java, "-jar", jar, "inspect", "--raw",
        "--tls-verify=false", reg("auth/env:v1")))
        .env("REGISTRY_AUTH_FILE", authFile.toString()).run();
    assertEquals(0, inspect.exitCode(), inspect::toString);
    assertEquals(peers.rawDigest(image), ImagePeers.sha256(inspect.stdout()));
    CmdResult denied = Cmd.of(List.of(java, "-jar", jar, "inspect", "--raw",
        "--tls-verify=false", reg("auth/env:v1")))
        .env("REGISTRY_AUTH_FILE", write("other.json", "{}").toString()).run();
    assertEquals(1, denied.exitCode(), denied::toString);
    assertEquals(List.of("error: inspecting " + reg("auth/env:v1") + ": authentication failed for "
        + registry.host()), denied.stderr().lines().toList());
  }

  private static Path write(String name, String content) {
    try {
      return Files.writeString(tmp.resolve(name), content);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
