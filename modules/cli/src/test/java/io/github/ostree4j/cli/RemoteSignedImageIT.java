package io.github.ostree4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ostree4j.testing.Cmd;
import io.github.ostree4j.testing.CmdResult;
import io.github.ostree4j.testing.LocalRegistry;
import io.github.ostree4j.testing.OstreeCli;
import io.github.ostree4j.testing.Peers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ostree commit signatures end to end, with a throwaway GnuPG home and the real ostree CLI:
 * {@code commit --gpg-sign} and {@code gpg-sign} are accepted by {@code ostree show
 * --gpg-verify-remote}; {@code ostree gpg-sign} signatures are accepted by ours; and {@code
 * ostree-remote-image:REMOTE:} pulls check the commit layer's signatures against the remote's
 * keyring before anything is imported.
 */
class RemoteSignedImageIT {

  static LocalRegistry registry;
  static Path work;
  static Path home;
  static String rsaFpr;
  static String edFpr;
  static Path rsaPub;
  static Path edSecret;
  static NodeImages images;

  static CmdResult gpg(String... args) {
    List<String> cmd = new ArrayList<>(List.of(Peers.require("gpg").toString(), "--homedir",
        home.toString(), "--batch", "--no-tty"));
    cmd.addAll(List.of(args));
    return Cmd.run(cmd).checkSuccess();
  }

  static String fingerprint(String uid) {
    Matcher m = Pattern.compile("(?m)^fpr:+([0-9A-F]{40}):")
        .matcher(gpg("--with-colons", "--list-keys", uid).stdout());
    assertTrue(m.find());
    return m.group(1);
  }

  @BeforeAll
  static void setUp() throws Exception {
    Peers.require("ostree");
    Peers.require("gpg");
    registry = LocalRegistry.start();
    work = ItFixtures.newDir("remote-signed");
    // a short path: gpg-agent's socket lives in the home and socket paths are limited
    home = Files.createTempDirectory("gnupg",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    gpg("--passphrase", "", "--quick-gen-key", "OS Builder <builder@example.com>", "rsa2048",
        "sign", "never");
    gpg("--passphrase", "", "--quick-gen-key", "Mallory <mallory@example.com>", "ed25519",
        "sign", "never");
    rsaFpr = fingerprint("builder@example.com");
    edFpr = fingerprint("mallory@example.com");
    rsaPub = Files.writeString(work.resolve("builder.asc"), gpg("--armor", "--export", rsaFpr).stdout());
    edSecret = Files.writeString(work.resolve("mallory.asc"),
        gpg("--armor", "--export-secret-keys", edFpr).stdout());
    images = new NodeImages(work);
  }

  @AfterAll
  static void tearDown() {
    if (registry != null) {
      registry.close();
    }
    if (home != null) {
      Peers.find("gpgconf").ifPresent(g -> Cmd.run(List.of(g.toString(), "--homedir",
          home.toString(), "--kill", "gpg-agent")));
      ItFixtures.deleteQuietly(home);
    }
  }

  /** Commits a new tree to the build repository, with extra commit options; returns it. */
  static String commit(String version, String... extra) {
    List<String> opts = new ArrayList<>(List.of("-b", "os", "--timestamp=2024-01-01T00:00:00Z",
        "--owner-uid=0", "--owner-gid=0", "--bootable", "--add-metadata-string=version=" + version));
    opts.addAll(List.of(extra));
    return Ostree4j.commit(images.repo(), opts, images.tree(version, true, 4096));
  }

  static String push(String repo) {
    return images.encapsulate("docker://" + registry.host() + "/" + repo + ":stable",
        "--tls-verify=false");
  }

  /** A repository whose remote "origin" trusts the builder key, set up by the real ostree. */
  static Path targetRepo(String name) {
    Path repo = work.resolve(name);
    OstreeCli.init(repo, "archive");
    OstreeCli.run("remote", "add", "--repo=" + repo, "--gpg-import=" + rsaPub, "origin",
        "https://example.invalid/repo");
    return repo;
  }

  static String ostreeShow(Path repo, String commit) {
    return OstreeCli.run("show", "--repo=" + repo, "--gpg-verify-remote=origin", commit).stdout();
  }

  static String ref(String repo) {
    return "ostree-remote-image:origin:docker://" + registry.host() + "/" + repo + ":stable";
  }

  static String refused(Path repo, String ref) {
    Map<String, String> before = ItFixtures.snapshot(repo, "tmp");
    Ostree4j.Result r = Ostree4j.run("container", "image", "pull", "--repo=" + repo,
        "--tls-verify=false", ref);
    assertEquals(1, r.exitCode(), r::toString);
    assertEquals(1, r.stderrLines().size(), r::toString);
    assertEquals(before, ItFixtures.snapshot(repo, "tmp"), "nothing imported: " + r);
    return r.stderrLines().get(0);
  }

  @Test
  void commitSignedByOurCommitIsPulledThroughTheRemote() throws Exception {
    String c = commit("1", "--gpg-sign=" + rsaFpr, "--gpg-homedir=" + home);
    // the real ostree accepts our signature in the build repository
    OstreeCli.run("remote", "add", "--repo=" + images.repo(), "--gpg-import=" + rsaPub, "origin",
        "https://example.invalid/repo");
    String show = ostreeShow(images.repo(), c);
    assertTrue(show.contains("Good signature from \"OS Builder <builder@example.com>\""), show);
    push("gpg/ours");
    Path repo = targetRepo("target-ours");
    Ostree4j.Result r = Ostree4j.ok("container", "image", "pull", "--repo=" + repo,
        "--tls-verify=false", ref("gpg/ours"));
    assertTrue(r.stdout().contains("Verified commit " + c + " of " + ref("gpg/ours")
        + ": good signature from GPG key " + rsaFpr.substring(24)
        + " (OS Builder <builder@example.com>) trusted by remote origin"), r.stdout());
    assertTrue(r.stdout().contains("Base commit: " + c), r.stdout());
    // the signature came along: the real ostree verifies the imported commit
    String imported = ostreeShow(repo, c);
    assertTrue(imported.contains("Good signature from \"OS Builder <builder@example.com>\""), imported);
    // and unencapsulate checks the same way
    Path other = targetRepo("target-unencap");
    assertEquals(c, Ostree4j.ok("container", "unencapsulate", "-q", "--repo=" + other,
        "--tls-verify=false", ref("gpg/ours")).stdout().strip());
  }

  @Test
  void commitSignedByOstreeGpgSignIsAccepted() throws Exception {
    String c = commit("2");
    OstreeCli.run("gpg-sign", "--repo=" + images.repo(), "--gpg-homedir=" + home, c, rsaFpr);
    push("gpg/ostree");
    Path repo = targetRepo("target-ostree");
    Ostree4j.Result r = Ostree4j.ok("container", "image", "pull", "--repo=" + repo,
        "--tls-verify=false", ref("gpg/ostree"));
    assertTrue(r.stdout().contains("Verified commit " + c), r.stdout());
  }

  @Test
  void unsignedCommitIsRefused() throws Exception {
    String c = commit("3");
    push("gpg/unsigned");
    String e = refused(targetRepo("target-unsigned"), ref("gpg/unsigned"));
    assertTrue(e.startsWith("error: pulling " + ref("gpg/unsigned") + ": verifying signatures of "
        + ref("gpg/unsigned") + ": ostree remote \"origin\": commit " + c + " in layer sha256:"), e);
    assertTrue(e.endsWith("carries no signatures (expected a commitmeta object after the commit)"), e);
  }

  @Test
  void commitSignedByAnUntrustedKeyIsRefused() throws Exception {
    String c = commit("4", "--gpg-sign=" + edFpr, "--gpg-key-file=" + edSecret);
    push("gpg/mallory");
    Path repo = targetRepo("target-mallory");
    String e = refused(repo, ref("gpg/mallory"));
    assertEquals("error: pulling " + ref("gpg/mallory") + ": verifying signatures of "
        + ref("gpg/mallory") + ": ostree remote \"origin\": commit " + c + ": 1 signature, none"
        + " good: key " + edFpr.substring(24) + " is not in the keyring (keys from "
        + repo.resolve("origin.trustedkeys.gpg") + ")", e);
  }

  @Test
  void unknownRemoteIsRefused() throws Exception {
    commit("5", "--gpg-sign=" + rsaFpr, "--gpg-homedir=" + home);
    push("gpg/noremote");
    Path repo = work.resolve("target-noremote");
    OstreeCli.init(repo, "archive");
    String e = refused(repo, ref("gpg/noremote"));
    assertTrue(e.contains(": ostree remote \"origin\": reading the keys of ostree remote origin:"
        + " the remote is not configured in " + repo), e);
  }

  @Test
  void gpgSignVerbSignsAndDeletes() throws Exception {
    Path repo = work.resolve("gpgsign-repo");
    Ostree4j.init(repo, "archive");
    Path tree = Files.createDirectories(work.resolve("gpgsign-tree"));
    Files.writeString(tree.resolve("f"), "x\n");
    String c = Ostree4j.commit(repo, List.of("-b", "main"), tree);
    Ostree4j.ok("gpg-sign", "--repo=" + repo, "--gpg-homedir=" + home, c, "builder@example.com");
    OstreeCli.run("remote", "add", "--repo=" + repo, "--gpg-import=" + rsaPub, "origin",
        "https://example.invalid/repo");
    assertTrue(ostreeShow(repo, c).contains("Good signature from \"OS Builder"), ostreeShow(repo, c));
    Ostree4j.Result again = Ostree4j.run("gpg-sign", "--repo=" + repo, "--gpg-homedir=" + home, c,
        rsaFpr);
    assertEquals(1, again.exitCode());
    assertEquals("error: signing commit " + c + ": it is already signed with GPG key "
        + rsaFpr.substring(24), again.stderrLines().get(0));
    assertEquals("Signatures deleted: 1", Ostree4j.ok("gpg-sign", "--repo=" + repo, "--delete", c,
        rsaFpr.substring(24)).stdout().strip());
    assertFalse(ostreeShow(repo, c).contains("signature"), ostreeShow(repo, c));
  }

  @Test
  void ed25519FromTheGnupgHomeAsksForAnExportedKey() throws Exception {
    Path repo = work.resolve("ed-repo");
    Ostree4j.init(repo, "archive");
    Path tree = Files.createDirectories(work.resolve("ed-tree"));
    Files.writeString(tree.resolve("f"), "y\n");
    Ostree4j.Result r = Ostree4j.run("commit", "--repo=" + repo, "-b", "main",
        "--gpg-sign=" + edFpr, "--gpg-homedir=" + home, tree.toString());
    assertEquals(1, r.exitCode(), r::toString);
    assertTrue(r.stderr().contains("export it with 'gpg --homedir " + home
        + " --export-secret-keys"), r.stderr());
    assertTrue(Files.notExists(repo.resolve("refs/heads/main")), "no commit without its signature");
  }
}
