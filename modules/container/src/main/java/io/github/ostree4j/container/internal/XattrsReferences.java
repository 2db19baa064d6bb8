package io.github.ostree4j.container.internal;

import io.github.ostree4j.container.InvalidOstreeTarException;
import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.ostree.Xattrs;
import io.github.ostree4j.ostree.gvariant.GVariantCodec;
import io.github.ostree4j.ostree.gvariant.GVariantFormatException;
import java.util.HashMap;
import java.util.Map;

/**
 * Links the xattrs entries of an ostree-ext stream to the content objects they belong to.
 *
 * <p>Shared xattrs content ({@code objects/xx/<sha256>.file-xattrs}, or {@code xattrs/<sha256>}
 * in the 2021 form) is remembered by its SHA-256. A reference ({@code <object>.file-xattrs-link}
 * as a regular file or as a hard link to shared content, or {@code <object>.file.xattrs}) is held
 * pending until the next {@code .file} entry, which must be the object it names. A {@code .file}
 * without a pending reference, a second reference while one is pending, and a reference for
 * another object are errors.
 */
public final class XattrsReferences {

  /** Largest xattrs value accepted, as the reference importer: 1 MiB. */
  public static final int MAX_XATTRS_SIZE = 1 << 20;

  /** Bound on the shared xattrs content remembered from one stream. */
  static final long MAX_REMEMBERED_BYTES = 64L << 20;

  private final Map<Checksum, Xattrs> shared = new HashMap<>();
  private long rememberedBytes;
  private Pending pending;

  /** A reference waiting for its {@code .file} entry. */
  private record Pending(String entry, Checksum object, Xattrs xattrs) {}

  /**
   * Parses serialized xattrs ({@code a(ayay)} in normal form).
   *
   * @throws InvalidOstreeTarException if they are malformed
   */
  public static Xattrs parse(String entry, byte[] bytes) throws InvalidOstreeTarException {
    if (bytes.length == 0) {
      return Xattrs.EMPTY;
    }
    try {
      return Xattrs.fromVariant(GVariantCodec.deserializeNormal(Xattrs.TYPE, bytes));
    } catch (GVariantFormatException | IllegalArgumentException e) {
      throw new InvalidOstreeTarException(entry, "xattrs are not a valid a(ayay): " + e.getMessage(), e);
    }
  }

  /**
   * Remembers shared xattrs content under its checksum.
   *
   * @throws InvalidOstreeTarException if the content is malformed or the stream holds too much
   */
  public void addShared(String entry, Checksum checksum, byte[] bytes) throws InvalidOstreeTarException {
    Xattrs x = parse(entry, bytes);
    if (shared.containsKey(checksum)) {
      return;
    }
    rememberedBytes += bytes.length;
    if (rememberedBytes > MAX_REMEMBERED_BYTES) {
      throw new InvalidOstreeTarException(entry, "the stream holds more than "
          + (MAX_REMEMBERED_BYTES >> 20) + " MiB of distinct xattrs");
    }
    shared.put(checksum, x);
  }

  /**
   * The shared xattrs with the given checksum.
   *
   * @throws InvalidOstreeTarException if no earlier entry had them
   */
  public Xattrs shared(String entry, Checksum checksum, String target) throws InvalidOstreeTarException {
    Xattrs x = shared.get(checksum);
    if (x == null) {
      throw new InvalidOstreeTarException(entry, "links to xattrs '" + target
          + "', which are not in an earlier entry of the stream");
    }
    return x;
  }

  /**
   * Records a reference from {@code object} to its xattrs, to be used by the next {@code .file}.
   *
   * @throws InvalidOstreeTarException if a previous reference is still pending
   */
  public void reference(String entry, Checksum object, Xattrs xattrs) throws InvalidOstreeTarException {
    if (pending != null) {
      throw new InvalidOstreeTarException(entry, "found previous dangling xattrs reference '"
          + pending.entry + "' that no content object used");
    }
    pending = new Pending(entry, object, xattrs);
  }

  /**
   * The xattrs of the content object {@code object}, taken from the pending reference.
   *
   * @throws InvalidOstreeTarException if there is none, or it names another object
   */
  public Xattrs consume(String entry, Checksum object) throws InvalidOstreeTarException {
    Pending p = pending;
    if (p == null) {
      throw new InvalidOstreeTarException(entry,
          "missing xattrs reference: no .file-xattrs-link entry precedes this content object");
    }
    pending = null;
    if (!p.object.equals(object)) {
      throw new InvalidOstreeTarException(entry, "object mismatch: the preceding xattrs reference '"
          + p.entry + "' is for object " + p.object);
    }
    return p.xattrs;
  }

  /**
   * Checks that no reference is left without its object at the end of the stream.
   *
   * @throws InvalidOstreeTarException if one is
   */
  public void requireNonePending() throws InvalidOstreeTarException {
    if (pending != null) {
      throw new InvalidOstreeTarException(pending.entry,
          "dangling xattrs reference: the stream ends without its content object");
    }
  }
}
