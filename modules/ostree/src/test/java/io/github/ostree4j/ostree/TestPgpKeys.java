package io.github.ostree4j.ostree;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Date;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.crypto.generators.RSAKeyPairGenerator;
import org.bouncycastle.crypto.params.RSAKeyGenerationParameters;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPKeyRingGenerator;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.operator.PGPDigestCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPBESecretKeyEncryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;
import org.bouncycastle.openpgp.operator.bc.BcPGPKeyPair;

/** Throwaway OpenPGP keys for unit tests (the interop tests use keys made by real GnuPG). */
final class TestPgpKeys {

  private TestPgpKeys() {}

  /** An RSA 2048 signing key; protected with {@code passphrase} unless it is null. */
  static PGPSecretKeyRing rsa(String uid, char[] passphrase) throws Exception {
    RSAKeyPairGenerator g = new RSAKeyPairGenerator();
    g.init(new RSAKeyGenerationParameters(BigInteger.valueOf(0x10001), new SecureRandom(), 2048, 80));
    PGPKeyPair kp = new BcPGPKeyPair(PublicKeyAlgorithmTags.RSA_GENERAL, g.generateKeyPair(),
        new Date(System.currentTimeMillis() - 60_000));
    PGPDigestCalculator sha1 = new BcPGPDigestCalculatorProvider().get(HashAlgorithmTags.SHA1);
    PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
    hashed.setKeyFlags(false, KeyFlags.SIGN_DATA | KeyFlags.CERTIFY_OTHER);
    PGPKeyRingGenerator krg = new PGPKeyRingGenerator(PGPSignature.POSITIVE_CERTIFICATION, kp, uid,
        sha1, hashed.generate(), null,
        new BcPGPContentSignerBuilder(PublicKeyAlgorithmTags.RSA_GENERAL, HashAlgorithmTags.SHA256),
        passphrase == null ? null
            : new BcPBESecretKeyEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256, sha1)
                .build(passphrase));
    return krg.generateSecretKeyRing();
  }

  /** Writes the secret ring armored, as {@code gpg --export-secret-keys -a}. */
  static Path writeSecret(PGPSecretKeyRing ring, Path file) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = new ArmoredOutputStream(bytes)) {
      ring.encode(out);
    }
    return Files.write(file, bytes.toByteArray());
  }

  /** Writes the public ring in binary, as {@code gpg --export}. */
  static Path writePublic(PGPSecretKeyRing ring, Path file) throws IOException {
    return Files.write(file, ring.toCertificate().getEncoded());
  }
}
