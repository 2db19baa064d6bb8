package io.github.ostree4j.ostree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ostree4j.ostree.gvariant.Variant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Commit signing and verification with keys made in the test (interop: GpgInteropIT). */
class CommitSignaturesTest {

  static PGPSecretKeyRing alice;
  static PGPSecretKeyRing bob;
  static PGPSecretKeyRing carol;

  @TempDir Path tmp;
  OstreeRepo repo;
  Checksum commit;

  @BeforeAll
  static void keys() throws Exception {
    alice = TestPgpKeys.rsa("Alice <alice@example.com>", null);
    bob = TestPgpKeys.rsa("Bob <bob@example.com>", null);
    carol = TestPgpKeys.rsa("Carol <carol@example.com>", "s3cret".toCharArray());
  }

  @BeforeEach
  void commit() throws Exception {
    repo = OstreeRepo.init(tmp.resolve("repo"), RepoMode.ARCHIVE);
    Path tree = Files.createDirectories(tmp.resolve("tree"));
    Files.writeString(tree.resolve("file"), "content\n");
    commit = new Committer(repo).commitDirectory(tree, CommitOptions.builder()
        .branch("b").subject("s").timestamp(Instant.parse("2020-01-01T00:00:00Z").getEpochSecond())
        .addDetachedMetadataString("other.key", "kept").build());
  }

  GpgSigningKey key(PGPSecretKeyRing ring, String name, char[] pass) throws Exception {
    return GpgSigningKey.fromKeyFile(TestPgpKeys.writeSecret(ring, tmp.resolve(name + ".asc")),
        null, pass);
  }

  GpgKeyring keyring(PGPSecretKeyRing... rings) throws Exception {
    List<Path> files = new java.util.ArrayList<>();
    int i = 0;
    for (PGPSecretKeyRing r : rings) {
      files.add(TestPgpKeys.writePublic(r, tmp.resolve("pub" + i++ + ".gpg")));
    }
    return GpgKeyring.load(files);
  }

  @Test
  void signedCommitVerifiesWithTheSignersKey() throws Exception {
    GpgSigningKey a = key(alice, "alice", null);
    CommitSignatures.sign(repo, commit, a);
    GpgVerifyResult r = CommitSignatures.verify(repo, commit, keyring(alice));
    assertTrue(r.isValid(), r.summary());
    assertEquals(1, r.signatures().size());
    assertEquals(a.keyId(), r.signatures().get(0).keyId());
    assertEquals("1 signature, 1 good: good signature from key " + a.keyId()
        + " (Alice <alice@example.com>)", r.summary());
    Map<String, Variant> meta = repo.readCommitMeta(commit).orElseThrow().asVardict();
    assertEquals("kept", meta.get("other.key").asString(), "other detached metadata is kept");
  }

  @Test
  void otherKeyringDoesNotVerify() throws Exception {
    GpgSigningKey a = key(alice, "alice", null);
    CommitSignatures.sign(repo, commit, a);
    GpgVerifyResult r = CommitSignatures.verify(repo, commit, keyring(bob));
    assertFalse(r.isValid());
    assertEquals(GpgVerifyResult.Status.KEY_MISSING, r.signatures().get(0).status());
    assertEquals("1 signature, none good: key " + a.keyId() + " is not in the keyring", r.summary());
  }

  @Test
  void signatureOverOtherBytesIsBad() throws Exception {
    CommitSignatures.sign(repo, commit, key(alice, "alice", null));
    byte[] other = repo.readMetadataBytes(commit, ObjectType.COMMIT).clone();
    other[other.length - 1] ^= 1;
    GpgVerifyResult r = CommitSignatures.verify(other, repo.readCommitMeta(commit).orElseThrow(),
        keyring(alice));
    assertEquals(GpgVerifyResult.Status.BAD, r.signatures().get(0).status());
    assertFalse(r.isValid());
  }

  @Test
  void unsignedCommitHasNoSignatures() throws Exception {
    GpgVerifyResult r = CommitSignatures.verify(repo, commit, keyring(alice));
    assertFalse(r.isValid());
    assertEquals("the commit has no GPG signatures", r.summary());
  }

  @Test
  void signaturesAccumulateOncePerKeyAndCanBeDeleted() throws Exception {
    GpgSigningKey a = key(alice, "alice", null);
    GpgSigningKey b = key(bob, "bob", null);
    CommitSignatures.sign(repo, commit, a);
    CommitSignatures.sign(repo, commit, b);
    GpgException e = assertThrows(GpgException.class, () -> CommitSignatures.sign(repo, commit, a));
    assertEquals("signing commit " + commit + ": it is already signed with GPG key " + a.keyId(),
        e.getMessage());
    GpgVerifyResult r = CommitSignatures.verify(repo, commit, keyring(alice, bob));
    assertEquals(2, r.signatures().size());
    assertTrue(r.signatures().stream().allMatch(s -> s.status() == GpgVerifyResult.Status.GOOD));
    assertEquals(1, CommitSignatures.delete(repo, commit, List.of(a.keyId())));
    GpgVerifyResult after = CommitSignatures.verify(repo, commit, keyring(alice, bob));
    assertEquals(1, after.signatures().size());
    assertEquals(b.keyId(), after.signatures().get(0).keyId());
    assertEquals(1, CommitSignatures.delete(repo, commit, List.of(b.keyId().substring(8))));
    assertTrue(CommitSignatures.signatures(repo.readCommitMeta(commit).orElseThrow().asVardict())
        .isEmpty());
  }

  @Test
  void protectedKeyNeedsItsPassphrase() throws Exception {
    Path f = TestPgpKeys.writeSecret(carol, tmp.resolve("carol.asc"));
    GpgException none = assertThrows(GpgException.class,
        () -> GpgSigningKey.fromKeyFile(f, "carol@example.com", null));
    assertTrue(none.getMessage().endsWith("the key is passphrase-protected: give the passphrase"),
        none.getMessage());
    GpgException wrong = assertThrows(GpgException.class,
        () -> GpgSigningKey.fromKeyFile(f, "carol@example.com", "nope".toCharArray()));
    assertTrue(wrong.getMessage().contains("wrong passphrase"), wrong.getMessage());
    GpgSigningKey c = GpgSigningKey.fromKeyFile(f, "carol@example.com", "s3cret".toCharArray());
    CommitSignatures.sign(repo, commit, c);
    assertTrue(CommitSignatures.verify(repo, commit, keyring(carol)).isValid());
  }

  @Test
  void keysAreFoundByFingerprintKeyIdOrUserId() throws Exception {
    GpgKeyring k = keyring(alice, bob);
    long id = bob.getPublicKey().getKeyID();
    String fp = java.util.HexFormat.of().formatHex(bob.getPublicKey().getFingerprint());
    assertEquals(id, k.findSigningKey(fp.toUpperCase()).orElseThrow().key().getKeyID());
    assertEquals(id, k.findSigningKey(String.format("%016X", id)).orElseThrow().key().getKeyID());
    assertEquals(id, k.findSigningKey(String.format("0x%08x", id & 0xffffffffL)).orElseThrow()
        .key().getKeyID());
    assertEquals(id, k.findSigningKey("BOB@example.com").orElseThrow().key().getKeyID());
    assertTrue(k.findSigningKey("mallory").isEmpty());
    GpgException e = assertThrows(GpgException.class, () -> GpgSigningKey.fromKeyFile(
        TestPgpKeys.writeSecret(alice, tmp.resolve("a.asc")), "bob@example.com", null));
    assertTrue(e.getMessage().endsWith(": no such key"), e.getMessage());
  }

  @Test
  void remoteKeyringFollowsOstreesRules() throws Exception {
    Path pub = TestPgpKeys.writePublic(alice, tmp.resolve("alice.gpg"));
    GpgException missing = assertThrows(GpgException.class, () -> GpgKeyring.forRemote(repo, "origin"));
    assertTrue(missing.getMessage().contains("the remote is not configured"), missing.getMessage());
    repo.config().set("remote \"origin\"", "url", "https://example.com/repo")
        .set("remote \"origin\"", "gpgkeypath", pub.toString());
    repo.saveConfig();
    GpgKeyring k = GpgKeyring.forRemote(OstreeRepo.open(repo.path()), "origin");
    assertEquals(List.of(pub), k.sources());
    CommitSignatures.sign(repo, commit, key(alice, "alice", null));
    assertTrue(CommitSignatures.verify(repo, commit, k).isValid());
    // the remote's own keyring file is read as well
    Files.copy(TestPgpKeys.writePublic(bob, tmp.resolve("bob.gpg")),
        repo.path().resolve("origin.trustedkeys.gpg"));
    assertEquals(2, GpgKeyring.forRemote(OstreeRepo.open(repo.path()), "origin").sources().size());
    repo.config().set("remote \"origin\"", "gpg-verify", "false");
    repo.saveConfig();
    GpgException off = assertThrows(GpgException.class,
        () -> GpgKeyring.forRemote(OstreeRepo.open(repo.path()), "origin"));
    assertTrue(off.getMessage().contains("gpg-verify=false"), off.getMessage());
  }
}
