package io.github.ostree4j.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ostree4j.oci.Digest;
import io.github.ostree4j.testing.CmdResult;
import io.github.ostree4j.testing.LocalRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Our registry client against docker-registry with htpasswd (Basic) authentication. */
class RegistryAuthIT {

  static final String USER = "ci-bot";
  static final String PASSWORD = "pa:ss w0rd";
  static LocalRegistry registry;
  static TestImage image;

  @TempDir Path tmp;
  final List<RegistryClient> clients = new ArrayList<>();

  @BeforeAll
  static void startRegistry() throws IOException {
    registry = LocalRegistry.startWithAuth(USER, PASSWORD);
    image = new TestImage("auth");
    try (RegistryClient c = RegistryClient.builder(registry.host()).tlsVerify(false)
        .credentials(CredentialResolver.of(Credentials.of(USER, PASSWORD))).build()) {
      image.push(c, "team/os", "v1");
    }
  }

  @AfterAll
  static void stopRegistry() {
    if (registry != null) {
      registry.close();
    }
  }

  @AfterEach
  void closeClients() {
    clients.forEach(RegistryClient::close);
  }

  RegistryClient client(CredentialResolver r) {
    RegistryClient c = RegistryClient.builder(registry.host()).tlsVerify(false).credentials(r)
        .retries(3, Duration.ofMillis(50)).build();
    clients.add(c);
    return c;
  }

  static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  static String authJson(String key) {
    return "{\"auths\":{\"" + key + "\":{\"auth\":\"" + b64(USER + ":" + PASSWORD) + "\"}}}";
  }

  @Test
  void pushedBytesAreWhatSkopeoReadsWithCredentials() throws Exception {
    CmdResult raw = new Skopeo(tmp).run("inspect", "--raw", "--tls-verify=false",
        "--creds", USER + ":" + PASSWORD, "docker://" + registry.host() + "/team/os:v1");
    assertArrayEquals(image.manifest, raw.stdoutBytes());
    RegistryClient c = client(CredentialResolver.of(Credentials.of(USER, PASSWORD)));
    assertArrayEquals(image.manifest, c.getManifest("team/os", "v1").bytes());
  }

  @Test
  void wrongOrMissingCredentialsFailWithOneMessage() {
    String expected = "authentication failed for " + registry.host();
    RegistryClient wrong = client(CredentialResolver.of(Credentials.of(USER, "wrong")));
    AuthenticationFailedException e = assertThrows(AuthenticationFailedException.class,
        () -> wrong.fetchManifest("team/os", "v1"));
    assertEquals(expected, e.getMessage());
    assertEquals(registry.host(), e.registry());
    e = assertThrows(AuthenticationFailedException.class,
        () -> wrong.pushBlob("team/os", image.layerDigest(), image.layer.length,
            () -> new ByteArrayInputStream(image.layer), null, null));
    assertEquals(expected, e.getMessage());
    e = assertThrows(AuthenticationFailedException.class,
        () -> wrong.openBlob("team/os", image.layerDigest()));
    assertEquals(expected, e.getMessage());

    RegistryClient none = client(CredentialResolver.anonymous());
    e = assertThrows(AuthenticationFailedException.class, () -> none.fetchManifest("team/os", "v1"));
    assertEquals(expected, e.getMessage());
    e = assertThrows(AuthenticationFailedException.class,
        () -> none.blobExists("team/os", image.layerDigest()));
    assertEquals(expected, e.getMessage());
    e = assertThrows(AuthenticationFailedException.class,
        () -> none.pushManifest("team/os", "v9", image.manifest, image.manifestMediaType));
    assertEquals(expected, e.getMessage());
  }

  /** A location to put an auth file in, and how to build a resolver that finds it there. */
  record Location(String name, Function<Path, Path> file, Function<Path, CredentialResolver> resolver) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Map<String, String> env(Path tmp, String... kv) {
    Map<String, String> env = new HashMap<>();
    env.put("PATH", tmp.resolve("bin").toString());
    for (int i = 0; i < kv.length; i += 2) {
      env.put(kv[i], tmp.resolve(kv[i + 1]).toString());
    }
    return env;
  }

  static CredentialResolver user(Path tmp, String... kv) {
    return CredentialResolver.builder().environment(env(tmp, kv)).home(tmp.resolve("home")).build();
  }

  static Stream<Arguments> locations() {
    return Stream.of(
        new Location("--authfile", t -> t.resolve("flag/auth.json"),
            t -> CredentialResolver.builder().environment(env(t)).home(t.resolve("home"))
                .authFile(t.resolve("flag/auth.json")).build()),
        new Location("REGISTRY_AUTH_FILE", t -> t.resolve("env/auth.json"),
            t -> user(t, "REGISTRY_AUTH_FILE", "env/auth.json")),
        new Location("XDG_RUNTIME_DIR", t -> t.resolve("run/containers/auth.json"),
            t -> user(t, "XDG_RUNTIME_DIR", "run")),
        new Location("XDG_CONFIG_HOME", t -> t.resolve("cfg/containers/auth.json"),
            t -> user(t, "XDG_RUNTIME_DIR", "run", "XDG_CONFIG_HOME", "cfg")),
        new Location("~/.config", t -> t.resolve("home/.config/containers/auth.json"),
            t -> user(t, "XDG_RUNTIME_DIR", "run")),
        new Location("~/.docker/config.json", t -> t.resolve("home/.docker/config.json"),
            t -> user(t, "XDG_RUNTIME_DIR", "run")),
        new Location("DOCKER_CONFIG", t -> t.resolve("dockerconf/config.json"),
            t -> user(t, "XDG_RUNTIME_DIR", "run", "DOCKER_CONFIG", "dockerconf")),
        new Location("node /run/ostree", t -> t.resolve("root/run/ostree/auth.json"),
            t -> CredentialResolver.builder()
                .files(AuthFiles.forNode(t.resolve("root"), true, Map.of(), t.resolve("home"))).build()),
        new Location("node /etc/ostree", t -> t.resolve("root/etc/ostree/auth.json"),
            t -> CredentialResolver.builder()
                .files(AuthFiles.forNode(t.resolve("root"), true, Map.of(), t.resolve("home"))).build()),
        new Location("node /usr/lib/ostree", t -> t.resolve("root/usr/lib/ostree/auth.json"),
            t -> CredentialResolver.builder()
                .files(AuthFiles.forNode(t.resolve("root"), true, Map.of(), t.resolve("home"))).build()))
        .flatMap(l -> Stream.of(
            Arguments.of(l, "HOST"), Arguments.of(l, "HOST/team"), Arguments.of(l, "http://HOST/v1/")));
  }

  @ParameterizedTest(name = "{0} with key {1}")
  @MethodSource("locations")
  void credentialsFromEachLocation(Location where, String keyPattern) throws Exception {
    Files.createDirectories(tmp.resolve("bin"));
    Files.createDirectories(tmp.resolve("home"));
    CredentialResolver r = where.resolver().apply(tmp);
    RegistryClient before = client(r);
    // without the file: anonymous (401), or for an explicitly named file, a missing-file error
    IOException missing = assertThrows(IOException.class, () -> before.fetchManifest("team/os", "v1"));
    assertTrue(missing instanceof AuthenticationFailedException
        || missing.getMessage().endsWith(": file does not exist"), missing.getMessage());

    Path file = where.file().apply(tmp);
    Files.createDirectories(file.getParent());
    Files.writeString(file, authJson(keyPattern.replace("HOST", registry.host())));
    RegistryClient c = client(r);
    assertEquals(image.manifestDigest(), c.getManifest("team/os", "v1").digest());
    assertArrayEquals(image.layer, c.openBlob("team/os", image.layerDigest()).readAllBytes());
  }

  @Test
  void skopeoReadsTheSameAuthFile() throws Exception {
    Path file = Files.writeString(tmp.resolve("auth.json"), authJson(registry.host()));
    CmdResult raw = new Skopeo(tmp).run(Map.of("REGISTRY_AUTH_FILE", file.toString()),
        "inspect", "--raw", "--tls-verify=false", "docker://" + registry.host() + "/team/os:v1");
    assertArrayEquals(image.manifest, raw.stdoutBytes());
    RegistryClient c = client(CredentialResolver.builder().authFile(file).build());
    assertArrayEquals(raw.stdoutBytes(), c.getManifest("team/os", "v1").bytes());
  }

  @Test
  void credentialHelperFromDockerConfig() throws Exception {
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path helper = bin.resolve("docker-credential-ci");
    Files.writeString(helper, "#!/bin/sh\nread server\n"
        + "echo '{\"ServerURL\":\"'\"$server\"'\",\"Username\":\"" + USER + "\",\"Secret\":\""
        + PASSWORD + "\"}'\n");
    Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path home = Files.createDirectories(tmp.resolve("home"));
    Files.createDirectories(home.resolve(".docker"));
    Files.writeString(home.resolve(".docker/config.json"),
        "{\"credHelpers\":{\"" + registry.host() + "\":\"ci\"}}");
    RegistryClient c = client(CredentialResolver.builder().environment(env(tmp, "XDG_RUNTIME_DIR", "run"))
        .home(home).build());
    assertEquals(image.manifestDigest(), c.getManifest("team/os", "v1").digest());

    Files.writeString(home.resolve(".docker/config.json"),
        "{\"auths\":{\"" + registry.host() + "\":{}},\"credsStore\":\"ci\"}");
    RegistryClient store = client(CredentialResolver.builder()
        .environment(env(tmp, "XDG_RUNTIME_DIR", "run")).home(home).build());
    assertEquals(image.manifestDigest(), store.getManifest("team/os", "v1").digest());
  }

  @Test
  void skopeoCopyWithCredentialsThenOurDigest() throws Exception {
    TestImage img = new TestImage("auth-copy");
    Path layout = tmp.resolve("layout");
    img.writeLayout(layout, "v1");
    Path digestFile = tmp.resolve("digest");
    new Skopeo(tmp).run("copy", "--dest-tls-verify=false", "--dest-creds", USER + ":" + PASSWORD,
        "--digestfile", digestFile.toString(), "oci:" + layout + ":v1",
        "docker://" + registry.host() + "/team/copied:v1");
    Digest expected = Digest.parse(Files.readString(digestFile).strip());
    RegistryClient c = client(CredentialResolver.of(Credentials.of(USER, PASSWORD)));
    assertEquals(expected, c.getManifest("team/copied", "v1").digest());
  }

  @Test
  void mountWithBasicAuth() throws Exception {
    RegistryClient c = client(CredentialResolver.of(Credentials.of(USER, PASSWORD)));
    assertTrue(c.pushBlob("team/mounted", image.layerDigest(), image.layer.length,
        () -> new ByteArrayInputStream(image.layer), "team/os", null));
    assertTrue(registry.awaitLogLine(
        l -> l.contains("POST /v2/team/mounted/blobs/uploads/?mount=" + image.layerDigest()
            + "&from=team/os HTTP/1.1\" 201 "), Duration.ofSeconds(10)),
        () -> String.join("\n", registry.logLines()));
  }
}
