package io.github.ostree4j.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialResolverTest {

  @TempDir Path tmp;
  Path home;
  Map<String, String> env;

  @BeforeEach
  void setUp() throws IOException {
    home = Files.createDirectories(tmp.resolve("home"));
    env = new HashMap<>();
    env.put("PATH", Files.createDirectories(tmp.resolve("bin")).toString());
  }

  static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  static String authJson(String key, String user, String password) {
    return "{\"auths\":{\"" + key + "\":{\"auth\":\"" + b64(user + ":" + password) + "\"}}}";
  }

  Path write(Path p, String content) throws IOException {
    Files.createDirectories(p.getParent());
    return Files.writeString(p, content);
  }

  CredentialResolver user() {
    return CredentialResolver.builder().environment(env).home(home).build();
  }

  Optional<Credentials> find(CredentialResolver r, String registry, String repo) throws IOException {
    return r.find(registry, repo);
  }

  @Test
  void userFileOrderFollowsContainersAuthJson() throws IOException {
    env.put("XDG_RUNTIME_DIR", tmp.resolve("run").toString());
    List<Path> paths = user().files().files().stream().map(AuthFiles.AuthFile::path).toList();
    assertEquals(List.of(
        tmp.resolve("run/containers/auth.json"),
        home.resolve(".config/containers/auth.json"),
        home.resolve(".docker/config.json"),
        home.resolve(".dockercfg")), paths);

    env.put("XDG_CONFIG_HOME", tmp.resolve("cfg").toString());
    env.put("DOCKER_CONFIG", tmp.resolve("dockercfg").toString());
    paths = user().files().files().stream().map(AuthFiles.AuthFile::path).toList();
    assertEquals(List.of(
        tmp.resolve("run/containers/auth.json"),
        tmp.resolve("cfg/containers/auth.json"),
        tmp.resolve("dockercfg/config.json"),
        home.resolve(".dockercfg")), paths);

    env.remove("XDG_RUNTIME_DIR");
    AuthFiles noRuntime = AuthFiles.forUser(env, home, OptionalLong.of(1000));
    assertEquals(Path.of("/run/containers/1000/auth.json"), noRuntime.files().get(0).path());

    env.put("REGISTRY_AUTH_FILE", tmp.resolve("only.json").toString());
    AuthFiles only = user().files();
    assertEquals(1, only.files().size());
    assertTrue(only.required());
  }

  @Test
  void eachUserLocationIsReadAndEarlierOnesWin() throws IOException {
    env.put("XDG_RUNTIME_DIR", tmp.resolve("run").toString());
    String reg = "registry.example.com";
    assertEquals(Optional.empty(), find(user(), reg, "os"));

    write(home.resolve(".dockercfg"), "{\"" + reg + "\":{\"auth\":\"" + b64("legacy:pw0") + "\",\"email\":\"x\"}}");
    assertEquals(Optional.of(Credentials.of("legacy", "pw0")), find(user(), reg, "os"));

    write(home.resolve(".docker/config.json"), authJson(reg, "docker", "pw1"));
    assertEquals(Optional.of(Credentials.of("docker", "pw1")), find(user(), reg, "os"));

    write(home.resolve(".config/containers/auth.json"), authJson(reg, "config", "pw2"));
    assertEquals(Optional.of(Credentials.of("config", "pw2")), find(user(), reg, "os"));

    write(tmp.resolve("run/containers/auth.json"), authJson(reg, "runtime", "pw3"));
    assertEquals(Optional.of(Credentials.of("runtime", "pw3")), find(user(), reg, "os"));

    // REGISTRY_AUTH_FILE replaces all of them
    Path envFile = write(tmp.resolve("env.json"), authJson(reg, "envfile", "pw4"));
    env.put("REGISTRY_AUTH_FILE", envFile.toString());
    assertEquals(Optional.of(Credentials.of("envfile", "pw4")), find(user(), reg, "os"));

    // --authfile beats REGISTRY_AUTH_FILE
    Path flag = write(tmp.resolve("flag.json"), authJson(reg, "flag", "pw5"));
    CredentialResolver withFlag =
        CredentialResolver.builder().environment(env).home(home).authFile(flag).build();
    assertEquals(Optional.of(Credentials.of("flag", "pw5")), find(withFlag, reg, "os"));

    // --creds beats everything
    CredentialResolver withCreds = CredentialResolver.builder().environment(env).home(home)
        .authFile(flag).credentials(Credentials.parse("cli:pw:with:colons")).build();
    assertEquals(Optional.of(Credentials.of("cli", "pw:with:colons")), find(withCreds, reg, "os"));
  }

  @Test
  void laterFilesAreReadWhenEarlierOnesHaveNoEntryForTheRegistry() throws IOException {
    env.put("XDG_RUNTIME_DIR", tmp.resolve("run").toString());
    write(tmp.resolve("run/containers/auth.json"), authJson("other.example.com", "a", "b"));
    write(home.resolve(".docker/config.json"), authJson("quay.io", "docker", "pw"));
    assertEquals(Optional.of(Credentials.of("docker", "pw")), find(user(), "quay.io", "a/b"));
  }

  @Test
  void dockerConfigEnvironmentVariable() throws IOException {
    Path dc = tmp.resolve("dc");
    env.put("DOCKER_CONFIG", dc.toString());
    write(home.resolve(".docker/config.json"), authJson("quay.io", "ignored", "x"));
    write(dc.resolve("config.json"), authJson("quay.io", "fromenv", "y"));
    assertEquals(Optional.of(Credentials.of("fromenv", "y")), find(user(), "quay.io", "a"));
  }

  @Test
  void mostSpecificKeyWins() throws IOException {
    Path f = write(tmp.resolve("auth.json"), "{\"auths\":{"
        + "\"quay.io\":{\"auth\":\"" + b64("host:1") + "\"},"
        + "\"quay.io/org\":{\"auth\":\"" + b64("org:2") + "\"},"
        + "\"quay.io/org/team/os\":{\"auth\":\"" + b64("repo:3") + "\"}}}");
    CredentialResolver r = CredentialResolver.builder().authFile(f).build();
    assertEquals("repo", find(r, "quay.io", "org/team/os").orElseThrow().username());
    assertEquals("org", find(r, "quay.io", "org/team/other").orElseThrow().username());
    assertEquals("org", find(r, "quay.io", "org/x").orElseThrow().username());
    assertEquals("host", find(r, "quay.io", "another/x").orElseThrow().username());
    assertEquals("host", find(r, "quay.io", null).orElseThrow().username());
    assertEquals(Optional.empty(), find(r, "quay.io:8443", "org/x"));
    // a key is a prefix of whole path components only
    assertEquals("host", find(r, "quay.io", "organisation/x").orElseThrow().username());
  }

  @Test
  void legacyUrlKeysMatchTheirHost() throws IOException {
    Path f = write(tmp.resolve("auth.json"), "{\"auths\":{"
        + "\"https://index.docker.io/v1/\":{\"auth\":\"" + b64("hub:1") + "\"},"
        + "\"http://old.example.com/v1/\":{\"auth\":\"" + b64("old:2") + "\"},"
        + "\"https://new.example.com\":{\"auth\":\"" + b64("new:3") + "\"}}}");
    CredentialResolver r = CredentialResolver.builder().authFile(f).build();
    assertEquals("hub", find(r, "docker.io", "library/fedora").orElseThrow().username());
    assertEquals("old", find(r, "old.example.com", "x").orElseThrow().username());
    assertEquals("new", find(r, "new.example.com", "x").orElseThrow().username());
    assertEquals(Optional.empty(), find(r, "example.com", "x"));
  }

  @Test
  void entryFormats() throws IOException {
    Path f = write(tmp.resolve("auth.json"), "{\"auths\":{"
        + "\"a.example\":{\"username\":\"u\",\"password\":\"p\"},"
        + "\"b.example\":{\"auth\":\"" + b64("u:") + "\",\"identitytoken\":\"idsecret123\"},"
        + "\"c.example\":{},"
        + "\"d.example\":{\"auth\":\"" + b64("colon:in:password") + "\"}}}");
    CredentialResolver r = CredentialResolver.builder().authFile(f).build();
    assertEquals(Optional.of(Credentials.of("u", "p")), find(r, "a.example", "x"));
    Credentials tok = find(r, "b.example", "x").orElseThrow();
    assertEquals(Optional.of("idsecret123"), tok.identityToken());
    assertEquals("u", tok.username());
    assertEquals(Optional.empty(), find(r, "c.example", "x"), "an empty entry has no credentials");
    assertEquals("in:password", find(r, "d.example", "x").orElseThrow().password());
    assertFalse(tok.toString().contains("idsecret123"), "toString hides the secret");
    assertFalse(Credentials.of("u", "sekrit").toString().contains("sekrit"));
  }

  @Test
  void brokenFilesGiveOneLineErrors() throws IOException {
    Path missing = tmp.resolve("missing.json");
    CredentialException e = assertThrows(CredentialException.class,
        () -> find(CredentialResolver.builder().authFile(missing).build(), "quay.io", "x"));
    assertEquals("reading credentials from " + missing + ": file does not exist", e.getMessage());

    Path bad = write(tmp.resolve("bad.json"), "{\"auths\": [");
    e = assertThrows(CredentialException.class,
        () -> find(CredentialResolver.builder().authFile(bad).build(), "quay.io", "x"));
    assertTrue(e.getMessage().startsWith("reading credentials from " + bad + ": not valid JSON"),
        e.getMessage());
    assertFalse(e.getMessage().contains("\n"));

    Path badAuth = write(tmp.resolve("badauth.json"), "{\"auths\":{\"quay.io\":{\"auth\":\"%%%\"}}}");
    e = assertThrows(CredentialException.class,
        () -> find(CredentialResolver.builder().authFile(badAuth).build(), "quay.io", "x"));
    assertEquals("reading credentials from " + badAuth + ": entry 'quay.io': 'auth' is not base64",
        e.getMessage());

    Path noColon = write(tmp.resolve("nocolon.json"),
        "{\"auths\":{\"quay.io\":{\"auth\":\"" + b64("nocolon") + "\"}}}");
    e = assertThrows(CredentialException.class,
        () -> find(CredentialResolver.builder().authFile(noColon).build(), "quay.io", "x"));
    assertTrue(e.getMessage().endsWith("'auth' does not decode to USER:PASSWORD"));

    // an empty file is an empty configuration, as podman writes it
    Path empty = write(tmp.resolve("empty.json"), "");
    assertEquals(Optional.empty(),
        find(CredentialResolver.builder().authFile(empty).build(), "quay.io", "x"));
  }

  private void helper(String name, String script) throws IOException {
    Path p = write(Path.of(env.get("PATH")).resolve("docker-credential-" + name),
        "#!/bin/sh\n" + script);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @Test
  void credentialHelpers() throws IOException {
    // the helper echoes the server it was asked about as the user name
    helper("test", "read server\n"
        + "case \"$1\" in get) ;; *) exit 3 ;; esac\n"
        + "case \"$server\" in\n"
        + "  unknown.example) echo 'credentials not found in native keychain'; exit 1 ;;\n"
        + "  broken.example) echo 'helper exploded' >&2; exit 2 ;;\n"
        + "  token.example) echo '{\"ServerURL\":\"'$server'\",\"Username\":\"<token>\",\"Secret\":\"idtok\"}' ;;\n"
        + "  *) echo '{\"ServerURL\":\"'$server'\",\"Username\":\"'$server'\",\"Secret\":\"s3\"}' ;;\n"
        + "esac\n");
    Path f = write(home.resolve(".docker/config.json"), "{"
        + "\"auths\":{\"quay.io\":{},\"plain.example\":{\"auth\":\"" + b64("plain:pw") + "\"}},"
        + "\"credHelpers\":{\"helped.example\":\"test\",\"unknown.example\":\"test\","
        + "\"broken.example\":\"test\",\"token.example\":\"test\",\"missing.example\":\"nosuch\"},"
        + "\"credsStore\":\"test\"}");
    CredentialResolver r = user();
    assertEquals(Optional.of(Credentials.of("helped.example", "s3")), find(r, "helped.example", "x"));
    // credsStore for registries without a credHelpers entry; Docker Hub by its historical URL
    assertEquals(Optional.of(Credentials.of("quay.io", "s3")), find(r, "quay.io", "x"));
    assertEquals(Optional.of(Credentials.of("https://index.docker.io/v1/", "s3")),
        find(r, "docker.io", "library/fedora"));
    // an auths entry with credentials is used before the store
    assertEquals(Optional.of(Credentials.of("plain", "pw")), find(r, "plain.example", "x"));
    assertEquals(Optional.of("idtok"), find(r, "token.example", "x").orElseThrow().identityToken());

    CredentialException e =
        assertThrows(CredentialException.class, () -> find(r, "broken.example", "x"));
    assertEquals("running docker-credential-test for broken.example: exit status 2: helper exploded",
        e.getMessage());
    e = assertThrows(CredentialException.class, () -> find(r, "missing.example", "x"));
    assertEquals("running docker-credential-nosuch for missing.example: program not found on PATH",
        e.getMessage());
    // "not found" from a credHelpers entry falls back to the store, which does not know it either
    assertEquals(Optional.empty(), find(r, "unknown.example", "x"));
    assertTrue(Files.exists(f));
  }

  @Test
  void missingCredsStoreProgramMeansNoCredentials() throws IOException {
    write(home.resolve(".docker/config.json"), "{\"auths\":{\"quay.io\":{}},\"credsStore\":\"desktop\"}");
    assertEquals(Optional.empty(), find(user(), "quay.io", "x"));
  }

  @Test
  void nodeFilesAsRoot() throws IOException {
    Path root = Files.createDirectories(tmp.resolve("root"));
    AuthFiles files = AuthFiles.forNode(root, true, env, home);
    assertTrue(files.firstExistingOnly());
    assertEquals(List.of(root.resolve("run/ostree/auth.json"), root.resolve("etc/ostree/auth.json"),
        root.resolve("usr/lib/ostree/auth.json")),
        files.files().stream().map(AuthFiles.AuthFile::path).toList());
    CredentialResolver r = CredentialResolver.builder().files(files).build();
    assertEquals(Optional.empty(), find(r, "quay.io", "x"));

    write(root.resolve("usr/lib/ostree/auth.json"), authJson("quay.io", "usrlib", "1"));
    assertEquals("usrlib", find(r, "quay.io", "x").orElseThrow().username());
    write(root.resolve("etc/ostree/auth.json"), authJson("quay.io", "etc", "2"));
    assertEquals("etc", find(r, "quay.io", "x").orElseThrow().username());
    write(root.resolve("run/ostree/auth.json"), authJson("quay.io", "run", "3"));
    assertEquals("run", find(r, "quay.io", "x").orElseThrow().username());

    // only the first existing file counts: an entry-less /run file hides /etc
    write(root.resolve("run/ostree/auth.json"), "{}");
    assertEquals(Optional.empty(), find(r, "quay.io", "x"));
    Files.delete(root.resolve("run/ostree/auth.json"));

    // symbolic links, relative and absolute, stay inside the root
    write(root.resolve("etc/containers/auth.json"), authJson("quay.io", "linked", "4"));
    Files.delete(root.resolve("etc/ostree/auth.json"));
    Files.createSymbolicLink(root.resolve("etc/ostree/auth.json"), Path.of("../containers/auth.json"));
    assertEquals("linked", find(r, "quay.io", "x").orElseThrow().username());
    Files.delete(root.resolve("etc/ostree/auth.json"));
    Files.createSymbolicLink(root.resolve("etc/ostree/auth.json"), Path.of("/etc/containers/auth.json"));
    assertEquals("linked", find(r, "quay.io", "x").orElseThrow().username());
  }

  @Test
  void nodeFilesAsUser() throws IOException {
    Path root = Files.createDirectories(tmp.resolve("root"));
    env.put("XDG_RUNTIME_DIR", "/run/user/1000");
    AuthFiles files = AuthFiles.forNode(root, false, env, Path.of("/home/core"));
    assertEquals(List.of(root.resolve("run/user/1000/ostree/auth.json"),
        root.resolve("home/core/.config/ostree/auth.json")),
        files.files().stream().map(AuthFiles.AuthFile::path).toList());
    CredentialResolver r = CredentialResolver.builder().files(files).build();
    write(root.resolve("home/core/.config/ostree/auth.json"), authJson("quay.io", "cfg", "1"));
    assertEquals("cfg", find(r, "quay.io", "x").orElseThrow().username());
    write(root.resolve("run/user/1000/ostree/auth.json"), authJson("quay.io", "rt", "2"));
    assertEquals("rt", find(r, "quay.io", "x").orElseThrow().username());
  }

  @Test
  void nodeFilesIgnorePodmanFiles() throws IOException {
    Path root = Files.createDirectories(tmp.resolve("root"));
    write(home.resolve(".docker/config.json"), authJson("quay.io", "docker", "1"));
    write(root.resolve("etc/containers/auth.json"), authJson("quay.io", "podman", "1"));
    CredentialResolver r = CredentialResolver.builder()
        .files(AuthFiles.forNode(root, true, env, home)).environment(env).home(home).build();
    assertEquals(Optional.empty(), find(r, "quay.io", "x"));
  }

  @Test
  void credsParsing() {
    assertEquals(Credentials.of("u", ""), Credentials.parse("u"));
    assertEquals(Credentials.of("u", "p:q"), Credentials.parse("u:p:q"));
    assertThrows(IllegalArgumentException.class, () -> Credentials.parse(":p"));
    assertThrows(IllegalArgumentException.class, () -> Credentials.parse(""));
  }
}
