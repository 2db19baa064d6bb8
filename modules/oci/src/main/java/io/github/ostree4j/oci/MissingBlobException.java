package io.github.ostree4j.oci;

import java.io.IOException;

/** A blob that was asked for by digest is not there. */
public class MissingBlobException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Digest digest;

  /**
   * Creates the exception.
   *
   * @param digest the missing blob
   * @param where where it was looked for, e.g. {@code "OCI layout img"}
   */
  public MissingBlobException(Digest digest, String where) {
    super("blob " + digest + " not found in " + where);
    this.digest = digest;
  }

  /** The digest of the missing blob. */
  public Digest digest() {
    return digest;
  }
}
