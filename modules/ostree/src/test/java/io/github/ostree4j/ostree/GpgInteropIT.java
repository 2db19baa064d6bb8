package io.github.ostree4j.ostree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ostree4j.testing.Cmd;
import io.github.ostree4j.testing.CmdResult;
import io.github.ostree4j.testing.OstreeCli;
import io.github.ostree4j.testing.Peers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commit signatures against the real tools: keys made by GnuPG in a throwaway home, signatures
 * made by {@code ostree gpg-sign} checked by us, ours checked by {@code ostree show
 * --gpg-verify-remote} and {@code gpg --verify}, and remote keyrings written by {@code ostree
 * remote gpg-import}.
 */
class GpgInteropIT {

  @TempDir static Path keys;
  static Path home;
  static String rsaFpr;
  static String edFpr;

  @TempDir Path tmp;
  Path repoDir;
  String commit;

  static CmdResult gpg(String... args) {
    List<String> cmd = new java.util.ArrayList<>(List.of(Peers.require("gpg").toString(),
        "--homedir", home.toString(), "--batch", "--no-tty"));
    cmd.addAll(List.of(args));
    return Cmd.run(cmd);
  }

  static String fingerprint(String uid) {
    String colons = gpg("--with-colons", "--list-keys", uid).checkSuccess().stdout();
    Matcher m = Pattern.compile("(?m)^fpr:+([0-9A-F]{40}):").matcher(colons);
    assertTrue(m.find(), colons);
    return m.group(1);
  }

  @BeforeAll
  static void gnupgHome() throws Exception {
    Peers.require("gpg");
    home = Files.createDirectory(keys.resolve("gnupg"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    gpg("--passphrase", "", "--quick-gen-key", "RSA Signer <rsa@example.com>", "rsa2048", "sign",
        "never").checkSuccess();
    gpg("--passphrase", "", "--quick-gen-key", "Ed Signer <ed@example.com>", "ed25519", "sign",
        "never").checkSuccess();
    rsaFpr = fingerprint("rsa@example.com");
    edFpr = fingerprint("ed@example.com");
  }

  @AfterAll
  static void stopAgent() {
    if (home != null) {
      Peers.find("gpgconf").ifPresent(g -> Cmd.run(List.of(g.toString(), "--homedir",
          home.toString(), "--kill", "gpg-agent")));
    }
  }

  @BeforeEach
  void repoWithCommit() throws Exception {
    OstreeCli.executable();
    repoDir = tmp.resolve("repo");
    OstreeCli.init(repoDir, "archive");
    Path tree = Files.createDirectories(tmp.resolve("tree"));
    Files.writeString(tree.resolve("file"), "hello\n");
    commit = OstreeCli.commit(repoDir, List.of("--branch=test", "--subject=signed",
        "--timestamp=2020-01-01T00:00:00Z"), tree);
  }

  /** The real ostree's verdict through a remote that trusts {@code pubKeyFile}. */
  String ostreeShowVerify(Path pubKeyFile) {
    OstreeCli.run("remote", "add", "--repo=" + repoDir, "--gpg-import=" + pubKeyFile, "origin",
        "file:///nonexistent");
    return OstreeCli.run("show", "--repo=" + repoDir, "--gpg-verify-remote=origin", commit).stdout();
  }

  Path exportPublic(String fpr) throws Exception {
    Path f = tmp.resolve(fpr + ".asc");
    Files.writeString(f, gpg("--armor", "--export", fpr).checkSuccess().stdout());
    return f;
  }

  @Test
  void ostreeGpgSignVerifiesInOurs() throws Exception {
    OstreeCli.run("gpg-sign", "--repo=" + repoDir, "--gpg-homedir=" + home, commit, rsaFpr);
    OstreeRepo repo = OstreeRepo.open(repoDir);
    GpgVerifyResult r = CommitSignatures.verify(repo, Checksum.parse(commit),
        GpgKeyring.fromHomedir(home));
    assertTrue(r.isValid(), r.summary());
    assertEquals(rsaFpr.substring(24), r.signatures().get(0).keyId());
    assertEquals("RSA Signer <rsa@example.com>", r.signatures().get(0).userId().orElseThrow());
  }

  @Test
  void oursVerifyInOstreeShowAndGpg() throws Exception {
    OstreeRepo repo = OstreeRepo.open(repoDir);
    GpgSigningKey k = GpgSigningKey.fromHomedir(home, "rsa@example.com", null);
    CommitSignatures.sign(repo, Checksum.parse(commit), k);
    String out = ostreeShowVerify(exportPublic(rsaFpr));
    assertTrue(out.contains("Found 1 signature"), out);
    assertTrue(out.contains("using RSA key ID " + rsaFpr.substring(24)), out);
    assertTrue(out.contains("Good signature from \"RSA Signer <rsa@example.com>\""), out);

    // the same signature checked by gpg itself, over the .commit object
    byte[] sig = CommitSignatures.signatures(
        repo.readCommitMeta(Checksum.parse(commit)).orElseThrow().asVardict()).get(0);
    Path sigFile = Files.write(tmp.resolve("commit.sig"), sig);
    Path data = repo.objectPath(Checksum.parse(commit), ObjectType.COMMIT);
    CmdResult v = gpg("--verify", sigFile.toString(), data.toString());
    assertEquals(0, v.exitCode(), v.stderr());
    assertTrue(v.stderr().contains("Good signature from \"RSA Signer <rsa@example.com>\""),
        v.stderr());
  }

  @Test
  void ed25519KeysSignThroughAnExportedKeyFile() throws Exception {
    Path secret = tmp.resolve("ed.asc");
    Files.writeString(secret, gpg("--armor", "--export-secret-keys", edFpr).checkSuccess().stdout());
    GpgSigningKey k = GpgSigningKey.fromKeyFile(secret, edFpr, null);
    CommitSignatures.sign(OstreeRepo.open(repoDir), Checksum.parse(commit), k);
    String out = ostreeShowVerify(exportPublic(edFpr));
    assertTrue(out.contains("Good signature from \"Ed Signer <ed@example.com>\""), out);
  }

  @Test
  void ourSignatureFromAKeyTheRemoteDoesNotTrustIsNotGood() throws Exception {
    CommitSignatures.sign(OstreeRepo.open(repoDir), Checksum.parse(commit),
        GpgSigningKey.fromHomedir(home, rsaFpr, null));
    String out = ostreeShowVerify(exportPublic(edFpr));
    assertTrue(out.contains("Can't check signature: public key not found"), out);
    assertFalse(out.contains("Good signature"), out);
  }

  @Test
  void remoteKeyringWrittenByOstreeIsRead() throws Exception {
    OstreeCli.run("remote", "add", "--repo=" + repoDir, "--gpg-import=" + exportPublic(rsaFpr),
        "origin", "file:///nonexistent");
    assertTrue(Files.exists(repoDir.resolve("origin.trustedkeys.gpg")));
    OstreeCli.run("gpg-sign", "--repo=" + repoDir, "--gpg-homedir=" + home, commit, rsaFpr);
    OstreeRepo repo = OstreeRepo.open(repoDir);
    GpgKeyring remote = GpgKeyring.forRemote(repo, "origin");
    assertEquals(List.of(repoDir.resolve("origin.trustedkeys.gpg")), remote.sources());
    assertTrue(CommitSignatures.verify(repo, Checksum.parse(commit), remote).isValid());
    // a second signature by another key: ostree lists both, we find one good and one missing
    CommitSignatures.sign(repo, Checksum.parse(commit), GpgSigningKey.fromKeyFile(
        writeSecret(edFpr), null, null));
    GpgVerifyResult r = CommitSignatures.verify(repo, Checksum.parse(commit), remote);
    assertEquals(2, r.signatures().size());
    assertEquals(GpgVerifyResult.Status.GOOD, r.signatures().get(0).status());
    assertEquals(GpgVerifyResult.Status.KEY_MISSING, r.signatures().get(1).status());
    String out = OstreeCli.run("show", "--repo=" + repoDir, "--gpg-verify-remote=origin", commit)
        .stdout();
    assertTrue(out.contains("Found 2 signatures"), out);
  }

  @Test
  void deletingOurSignatureLeavesWhatOstreeSees() throws Exception {
    OstreeRepo repo = OstreeRepo.open(repoDir);
    CommitSignatures.sign(repo, Checksum.parse(commit), GpgSigningKey.fromHomedir(home, rsaFpr, null));
    assertEquals(1, CommitSignatures.delete(repo, Checksum.parse(commit), List.of(rsaFpr)));
    String out = OstreeCli.run("show", "--repo=" + repoDir, commit).stdout();
    assertFalse(out.contains("signature"), out);
  }

  Path writeSecret(String fpr) throws Exception {
    Path f = tmp.resolve(fpr + ".secret.asc");
    Files.writeString(f, gpg("--armor", "--export-secret-keys", fpr).checkSuccess().stdout());
    return f;
  }
}
