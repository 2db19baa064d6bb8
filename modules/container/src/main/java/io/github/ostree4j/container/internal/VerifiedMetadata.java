package io.github.ostree4j.container.internal;

import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.ostree.CorruptObjectException;
import io.github.ostree4j.ostree.ObjectType;
import io.github.ostree4j.ostree.OstreeRepo;
import io.github.ostree4j.ostree.gvariant.GVariantCodec;
import io.github.ostree4j.ostree.gvariant.VariantType;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Reads metadata objects from a repository and checks them before they are used or exported. */
public final class VerifiedMetadata {

  private VerifiedMetadata() {}

  /**
   * The bytes of a content-addressed metadata object (commit, dirtree, dirmeta), checked to hash
   * to the object's name.
   *
   * @throws CorruptObjectException if they do not
   */
  public static byte[] read(OstreeRepo repo, Checksum checksum, ObjectType type) throws IOException {
    byte[] bytes = repo.readMetadataBytes(checksum, type);
    Checksum actual = Checksum.fromBytes(sha256().digest(bytes));
    if (!actual.equals(checksum)) {
      throw new CorruptObjectException(type.extension() + " object " + checksum
          + ": checksum mismatch, content has " + actual);
    }
    return bytes;
  }

  /**
   * The detached metadata of a commit, checked to be a normal-form {@code a{sv}}.
   *
   * @throws CorruptObjectException if it is not
   */
  public static byte[] readCommitMeta(OstreeRepo repo, Checksum commit) throws IOException {
    byte[] bytes = repo.readMetadataBytes(commit, ObjectType.COMMIT_META);
    if (!GVariantCodec.isNormalForm(VariantType.VARDICT, bytes)) {
      throw new CorruptObjectException("commitmeta object " + commit + ": not a normal-form a{sv}");
    }
    return bytes;
  }

  /** A new SHA-256 digest. */
  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }
}
