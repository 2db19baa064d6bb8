package io.github.ostree4j.ostree;

import io.github.ostree4j.ostree.gvariant.Variant;
import io.github.ostree4j.ostree.gvariant.VariantType;
import io.github.ostree4j.ostree.internal.PgpFiles;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;

/**
 * OpenPGP signatures of commits, kept as libostree keeps them: in the commit's detached metadata
 * ({@code objects/XX/YYY.commitmeta}, an {@code a{sv}}) under {@value #GPGSIGS_KEY}, an {@code aay}
 * of binary detached signatures over the bytes of the {@code .commit} object. Signing appends to
 * what is there, as {@code ostree gpg-sign} does; other detached metadata stays unchanged.
 */
public final class CommitSignatures {

  /** The detached metadata key of the signatures. */
  public static final String GPGSIGS_KEY = "ostree.gpgsigs";

  private static final VariantType AAY = VariantType.of("aay");

  private CommitSignatures() {}

  /**
   * Signs a commit and stores the signature with the others.
   *
   * @param repo the repository
   * @param commit the commit
   * @param key the signing key
   * @throws GpgException when the commit is already signed by the key
   * @throws IOException when the commit cannot be read or the metadata written
   */
  public static void sign(OstreeRepo repo, Checksum commit, GpgSigningKey key)
      throws IOException {
    byte[] data = repo.readMetadataBytes(commit, ObjectType.COMMIT);
    Map<String, Variant> meta = new LinkedHashMap<>(
        repo.readCommitMeta(commit).map(Variant::asVardict).orElse(Map.of()));
    List<byte[]> sigs = signatures(meta);
    for (byte[] s : sigs) {
      if (issuer(s).map(id -> id == key.publicKey().getKeyID()).orElse(false)) {
        throw new GpgException("signing commit " + commit + ": it is already signed with GPG key "
            + key.keyId());
      }
    }
    sigs.add(key.sign(data, new Date()));
    meta.put(GPGSIGS_KEY, aay(sigs));
    repo.writeCommitMeta(commit, Variant.vardict(meta));
  }

  /**
   * Removes the signatures a key made.
   *
   * @param repo the repository
   * @param commit the commit
   * @param keyIds key IDs (16 or 8 hex digits) or fingerprints
   * @return how many signatures were removed
   * @throws IOException when the metadata cannot be read or written
   */
  public static int delete(OstreeRepo repo, Checksum commit, List<String> keyIds)
      throws IOException {
    Optional<Variant> current = repo.readCommitMeta(commit);
    if (current.isEmpty()) {
      return 0;
    }
    Map<String, Variant> meta = new LinkedHashMap<>(current.get().asVardict());
    List<byte[]> kept = new ArrayList<>();
    int removed = 0;
    for (byte[] s : signatures(meta)) {
      Optional<Long> id = issuer(s);
      if (id.isPresent() && keyIds.stream().anyMatch(k -> matchesId(k, id.get()))) {
        removed++;
      } else {
        kept.add(s);
      }
    }
    if (removed > 0) {
      if (kept.isEmpty()) {
        meta.remove(GPGSIGS_KEY);
      } else {
        meta.put(GPGSIGS_KEY, aay(kept));
      }
      repo.writeCommitMeta(commit, Variant.vardict(meta));
    }
    return removed;
  }

  private static boolean matchesId(String spec, long id) {
    String h = spec.strip().toLowerCase(Locale.ROOT).replaceFirst("^0x", "");
    String full = String.format("%016x", id);
    return h.length() == 40 ? h.endsWith(full) : !h.isEmpty() && full.endsWith(h);
  }

  /**
   * Checks the signatures of a commit in a repository.
   *
   * @param repo the repository
   * @param commit the commit
   * @param keyring the trusted keys
   * @return one entry per signature (none when the commit has no signatures)
   * @throws IOException when the commit or its metadata cannot be read
   */
  public static GpgVerifyResult verify(OstreeRepo repo, Checksum commit, GpgKeyring keyring)
      throws IOException {
    return verify(repo.readMetadataBytes(commit, ObjectType.COMMIT),
        repo.readCommitMeta(commit).orElse(null), keyring);
  }

  /**
   * Checks signatures over commit bytes, e.g. from an image layer before anything is imported.
   *
   * @param commitBytes the {@code .commit} object
   * @param commitMeta its detached metadata {@code a{sv}}, or null when there is none
   * @param keyring the trusted keys
   * @return one entry per signature
   */
  public static GpgVerifyResult verify(byte[] commitBytes, Variant commitMeta, GpgKeyring keyring) {
    List<GpgVerifyResult.Signature> out = new ArrayList<>();
    if (commitMeta == null) {
      return new GpgVerifyResult(out);
    }
    for (byte[] raw : signatures(commitMeta.asVardict())) {
      out.add(check(raw, commitBytes, keyring));
    }
    return new GpgVerifyResult(out);
  }

  private static GpgVerifyResult.Signature check(byte[] raw, byte[] data, GpgKeyring keyring) {
    PGPSignature sig;
    try {
      sig = parse(raw);
    } catch (GpgException e) {
      return new GpgVerifyResult.Signature("", Optional.empty(), GpgVerifyResult.Status.MALFORMED,
          Optional.empty());
    }
    String keyId = String.format(Locale.ROOT, "%016X", sig.getKeyID());
    Optional<Instant> created = Optional.ofNullable(sig.getCreationTime()).map(Date::toInstant);
    Optional<GpgKeyring.Found> f = keyring.find(sig.getKeyID());
    if (f.isEmpty()) {
      return new GpgVerifyResult.Signature(keyId, created, GpgVerifyResult.Status.KEY_MISSING,
          Optional.empty());
    }
    PGPPublicKey k = f.get().key();
    PGPPublicKey primary = f.get().ring().getPublicKey();
    Optional<String> uid = GpgKeyring.userIds(primary).stream().findFirst();
    GpgVerifyResult.Status status;
    if (k.hasRevocation() || primary.hasRevocation()) {
      status = GpgVerifyResult.Status.KEY_REVOKED;
    } else if (expiredAt(k, sig.getCreationTime()) || expiredAt(primary, sig.getCreationTime())) {
      status = GpgVerifyResult.Status.KEY_EXPIRED;
    } else {
      boolean ok;
      try {
        sig.init(new BcPGPContentVerifierBuilderProvider(), k);
        sig.update(data);
        ok = sig.getSignatureType() == PGPSignature.BINARY_DOCUMENT && sig.verify();
      } catch (PGPException | RuntimeException e) {
        ok = false;
      }
      status = ok ? GpgVerifyResult.Status.GOOD : GpgVerifyResult.Status.BAD;
    }
    return new GpgVerifyResult.Signature(keyId, created, status, uid);
  }

  private static boolean expiredAt(PGPPublicKey k, Date when) {
    long valid = k.getValidSeconds();
    return valid > 0 && when != null
        && when.getTime() > k.getCreationTime().getTime() + valid * 1000;
  }

  private static PGPSignature parse(byte[] raw) throws GpgException {
    for (Object o : PgpFiles.objects(raw, "reading a commit signature")) {
      if (o instanceof PGPSignatureList && !((PGPSignatureList) o).isEmpty()) {
        return ((PGPSignatureList) o).get(0);
      }
    }
    throw new GpgException("reading a commit signature: no signature packet");
  }

  private static Optional<Long> issuer(byte[] raw) {
    try {
      return Optional.of(parse(raw).getKeyID());
    } catch (GpgException e) {
      return Optional.empty();
    }
  }

  /**
   * The signatures stored in detached metadata.
   *
   * @param meta the entries of the {@code a{sv}}
   * @return the binary signatures, in stored order (a new, modifiable list)
   */
  public static List<byte[]> signatures(Map<String, Variant> meta) {
    List<byte[]> out = new ArrayList<>();
    Variant v = meta.get(GPGSIGS_KEY);
    if (v != null && v.type().equals(VariantType.VARIANT)) {
      v = v.unboxed();
    }
    if (v != null && v.type().equals(AAY)) {
      for (Object o : v.asList()) {
        out.add((byte[]) o);
      }
    }
    return out;
  }

  private static Variant aay(List<byte[]> sigs) {
    return Variant.of(AAY, new ArrayList<Object>(sigs));
  }
}
