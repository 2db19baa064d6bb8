package io.github.ostree4j.ostree;

import io.github.ostree4j.ostree.internal.PgpFiles;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.gpg.SExprParser;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.operator.PBEProtectionRemoverFactory;
import org.bouncycastle.openpgp.operator.bc.BcPBESecretKeyDecryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;
import org.bouncycastle.openpgp.operator.jcajce.JcePBEProtectionRemoverFactory;

/**
 * A private OpenPGP key that makes detached binary signatures, as {@code gpg --detach-sign} and
 * {@code ostree gpg-sign} do (SHA-256, with creation time and issuer fingerprint).
 *
 * <p>Where secret keys come from:
 *
 * <ul>
 *   <li>{@link #fromKeyFile}: a file written by {@code gpg --export-secret-keys} (armored or
 *       binary); works for every key type;
 *   <li>{@link #fromHomedir}: a GnuPG home directory ({@code --gpg-homedir}); the public key comes
 *       from {@code pubring.kbx} or {@code pubring.gpg}, the secret from GnuPG 1's {@code
 *       secring.gpg} or from GnuPG 2's {@code private-keys-v1.d}. The latter is read for the key
 *       types BouncyCastle can parse there (RSA, ECDSA; unprotected, or protected with the
 *       passphrase given); for others (such as Ed25519) the error says to export the key and use
 *       a key file instead. No gpg-agent is involved.
 * </ul>
 */
public final class GpgSigningKey {

  private final PGPPublicKey publicKey;
  private final PGPPrivateKey privateKey;

  private GpgSigningKey(PGPPublicKey publicKey, PGPPrivateKey privateKey) {
    this.publicKey = publicKey;
    this.privateKey = privateKey;
  }

  /**
   * A key from an exported secret key file.
   *
   * @param file the file ({@code gpg --export-secret-keys KEYID > key.gpg}, armored or not)
   * @param spec which key: fingerprint, key ID or user ID text; null for the first key in the file
   * @param passphrase the passphrase, or null for an unprotected key
   * @return the key
   * @throws GpgException when the file has no such key, it cannot sign, or the passphrase is wrong
   * @throws IOException when the file cannot be read
   */
  public static GpgSigningKey fromKeyFile(Path file, String spec, char[] passphrase)
      throws IOException {
    String what = "reading the secret key " + (spec == null ? "" : spec + " ") + "from " + file;
    List<PGPSecretKeyRing> rings = PgpFiles.secretRings(file);
    if (rings.isEmpty()) {
      throw new GpgException(what + ": the file holds no secret keys (export them with gpg"
          + " --export-secret-keys)");
    }
    List<PGPPublicKeyRing> pub = new ArrayList<>();
    rings.forEach(r -> pub.add(r.toCertificate()));
    GpgKeyring.Found f = find(pub, spec, what);
    for (PGPSecretKeyRing r : rings) {
      PGPSecretKey sk = r.getSecretKey(f.key().getKeyID());
      if (sk != null) {
        return new GpgSigningKey(f.key(), extract(sk, passphrase, what));
      }
    }
    throw new GpgException(what + ": the file has the public part of the key only");
  }

  /**
   * A key from a GnuPG home directory.
   *
   * @param homedir the directory
   * @param spec which key: fingerprint, key ID or user ID text
   * @param passphrase the passphrase, or null for an unprotected key
   * @return the key
   * @throws GpgException when the key is not there, cannot be read, or the passphrase is wrong
   * @throws IOException when files cannot be read
   */
  public static GpgSigningKey fromHomedir(Path homedir, String spec, char[] passphrase)
      throws IOException {
    String what = "reading the secret key " + spec + " from the GnuPG home " + homedir;
    GpgKeyring keys = GpgKeyring.fromHomedir(homedir);
    GpgKeyring.Found f = find(keys.rings(), spec, what);
    Path secring = homedir.resolve("secring.gpg");
    if (Files.isRegularFile(secring)) {
      for (PGPSecretKeyRing r : PgpFiles.secretRings(secring)) {
        PGPSecretKey sk = r.getSecretKey(f.key().getKeyID());
        if (sk != null) {
          return new GpgSigningKey(f.key(), extract(sk, passphrase, what));
        }
      }
    }
    Path dir = homedir.resolve("private-keys-v1.d");
    List<Path> candidates = new ArrayList<>();
    if (Files.isDirectory(dir)) {
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.key")) {
        ds.forEach(candidates::add);
      }
    }
    candidates.sort(null);
    boolean protectedSeen = false;
    for (Path c : candidates) {
      Optional<PGPPrivateKey> k;
      try {
        k = tryAgentKey(c, f.key(), passphrase);
      } catch (ProtectedKeyException e) {
        protectedSeen = true;
        continue;
      }
      if (k.isPresent()) {
        return new GpgSigningKey(f.key(), k.get());
      }
    }
    String id = String.format("%016X", f.key().getKeyID());
    throw new GpgException(what + ": no secret key for " + id + " that can be read from "
        + dir + (protectedSeen && passphrase == null ? " (the key is passphrase-protected: give"
            + " the passphrase)" : "")
        + "; export it with 'gpg --homedir " + homedir + " --export-secret-keys " + id
        + " > key.gpg' and use the key file instead");
  }

  private static final class ProtectedKeyException extends Exception {
    private static final long serialVersionUID = 1L;
  }

  /** The private key in a GnuPG 2 agent key file, if that file is the secret of {@code pub}. */
  private static Optional<PGPPrivateKey> tryAgentKey(Path file, PGPPublicKey pub, char[] passphrase)
      throws IOException, ProtectedKeyException {
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(4096);
    }
    String text = new String(head, StandardCharsets.ISO_8859_1);
    boolean isProtected = text.contains("protected-private-key");
    if (isProtected && passphrase == null) {
      throw new ProtectedKeyException();
    }
    PBEProtectionRemoverFactory remover = passphrase == null ? null
        : new JcePBEProtectionRemoverFactory(passphrase);
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
      PGPSecretKey sk = new SExprParser(new BcPGPDigestCalculatorProvider())
          .parseSecretKey(in, remover, pub);
      if (sk == null) {
        return Optional.empty();
      }
      PGPPrivateKey priv = sk.extractPrivateKey(null);
      return matches(pub, priv) ? Optional.of(priv) : Optional.empty();
    } catch (PGPException | RuntimeException | IOException e) {
      return Optional.empty();
    }
  }

  /** Whether a private key belongs to a public key: it makes a signature the public key checks. */
  private static boolean matches(PGPPublicKey pub, PGPPrivateKey priv) {
    try {
      byte[] probe = "ostree4j key probe".getBytes(StandardCharsets.US_ASCII);
      PGPSignatureGenerator g = new PGPSignatureGenerator(
          new BcPGPContentSignerBuilder(pub.getAlgorithm(), HashAlgorithmTags.SHA256), pub);
      g.init(PGPSignature.BINARY_DOCUMENT, priv);
      g.update(probe);
      PGPSignature s = g.generate();
      s.init(new BcPGPContentVerifierBuilderProvider(), pub);
      s.update(probe);
      return s.verify();
    } catch (PGPException | RuntimeException e) {
      return false;
    }
  }

  private static GpgKeyring.Found find(List<PGPPublicKeyRing> rings, String spec, String what)
      throws GpgException {
    if (spec == null) {
      PGPPublicKeyRing r = rings.get(0);
      return new GpgKeyring.Found(r, r.getPublicKey());
    }
    return GpgKeyring.of(rings).findSigningKey(spec)
        .orElseThrow(() -> new GpgException(what + ": no such key"));
  }

  private static PGPPrivateKey extract(PGPSecretKey sk, char[] passphrase, String what)
      throws GpgException {
    try {
      return sk.extractPrivateKey(sk.getKeyEncryptionAlgorithm() == 0 ? null
          : new BcPBESecretKeyDecryptorBuilder(new BcPGPDigestCalculatorProvider())
              .build(passphrase == null ? new char[0] : passphrase));
    } catch (PGPException e) {
      throw new GpgException(what + ": " + (passphrase == null
          ? "the key is passphrase-protected: give the passphrase"
          : "wrong passphrase (" + PgpFiles.reason(e) + ")"), e);
    }
  }

  /**
   * The 64-bit key ID, as 16 uppercase hex digits (what {@code ostree show} prints).
   *
   * @return e.g. {@code 2F8689E299B976AB}
   */
  public String keyId() {
    return String.format(Locale.ROOT, "%016X", publicKey.getKeyID());
  }

  /**
   * The public key.
   *
   * @return the key
   */
  public PGPPublicKey publicKey() {
    return publicKey;
  }

  /**
   * Makes a detached binary signature.
   *
   * @param data the signed bytes
   * @param created the signature time
   * @return the signature packet
   * @throws GpgException when the key cannot sign
   */
  public byte[] sign(byte[] data, Date created) throws GpgException {
    try {
      PGPSignatureGenerator g = new PGPSignatureGenerator(
          new BcPGPContentSignerBuilder(publicKey.getAlgorithm(), HashAlgorithmTags.SHA256),
          publicKey);
      g.init(PGPSignature.BINARY_DOCUMENT, privateKey);
      PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
      hashed.setSignatureCreationTime(false, created);
      hashed.setIssuerFingerprint(false, publicKey);
      g.setHashedSubpackets(hashed.generate());
      PGPSignatureSubpacketGenerator unhashed = new PGPSignatureSubpacketGenerator();
      unhashed.setIssuerKeyID(false, publicKey.getKeyID());
      g.setUnhashedSubpackets(unhashed.generate());
      g.update(data);
      return g.generate().getEncoded();
    } catch (PGPException | IOException e) {
      throw new GpgException("signing with GPG key " + keyId() + ": " + PgpFiles.reason(e), e);
    }
  }
}
