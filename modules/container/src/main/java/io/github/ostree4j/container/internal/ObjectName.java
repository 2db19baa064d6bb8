package io.github.ostree4j.container.internal;

import io.github.ostree4j.container.InvalidOstreeTarException;
import io.github.ostree4j.ostree.Checksum;
import java.util.List;

/**
 * The name of an object entry below {@code sysroot/ostree/repo/objects/}: {@code <2 hex>/<62
 * hex>.<suffix>}, the two parts making a 64-digit lowercase checksum.
 *
 * @param checksum the object's checksum
 * @param kind what the suffix says the entry is
 */
public record ObjectName(Checksum checksum, Kind kind) {

  /** The suffixes an object entry may have. */
  public enum Kind {
    /** {@code .commit}: a commit object. */
    COMMIT("commit", true),
    /** {@code .commitmeta}: detached commit metadata. */
    COMMIT_META("commitmeta", true),
    /** {@code .dirtree}: a directory listing. */
    DIR_TREE("dirtree", true),
    /** {@code .dirmeta}: directory metadata. */
    DIR_META("dirmeta", true),
    /** {@code .file}: a content object (regular file or symlink). */
    FILE("file", false),
    /** {@code .file-xattrs}: xattrs named by their own SHA-256 (2022 to 2025 form). */
    FILE_XATTRS("file-xattrs", false),
    /** {@code .file-xattrs-link}: the xattrs of the next {@code .file} (a file, or a link to them). */
    FILE_XATTRS_LINK("file-xattrs-link", false),
    /** {@code .file.xattrs}: a link to {@code xattrs/<sha256>} (2021 "v0" form). */
    XATTRS_LINK_V0("xattrs", false);

    private final String suffix;
    private final boolean metadata;

    Kind(String suffix, boolean metadata) {
      this.suffix = suffix;
      this.metadata = metadata;
    }

    /** The suffix after the last dot. */
    public String suffix() {
      return suffix;
    }

    /** Whether this is a metadata object (commit, commitmeta, dirtree, dirmeta). */
    public boolean isMetadata() {
      return metadata;
    }

    static Kind fromSuffix(String s) {
      for (Kind k : values()) {
        if (k.suffix.equals(s)) {
          return k;
        }
      }
      return null;
    }
  }

  /**
   * Parses the part of an entry's path below {@code objects/}.
   *
   * @param entryName the entry name, for error messages
   * @param parts the path components below {@code objects/}
   * @throws InvalidOstreeTarException if the name is not a valid object name
   */
  public static ObjectName parse(String entryName, List<String> parts) throws InvalidOstreeTarException {
    if (parts.size() != 2) {
      throw new InvalidOstreeTarException(entryName,
          "not an object path (expected objects/<2 hex digits>/<62 hex digits>.<type>)");
    }
    String dir = parts.get(0);
    String file = parts.get(1);
    if (dir.length() != 2) {
      throw new InvalidOstreeTarException(entryName,
          "object directory '" + dir + "' is not two characters");
    }
    int dot = file.lastIndexOf('.');
    if (dot < 0) {
      throw new InvalidOstreeTarException(entryName, "object name has no type suffix");
    }
    String suffix = file.substring(dot + 1);
    Kind kind = Kind.fromSuffix(suffix);
    if (kind == null) {
      throw new InvalidOstreeTarException(entryName, "unknown object type suffix '." + suffix + "'");
    }
    String stem = file.substring(0, dot);
    if (kind == Kind.XATTRS_LINK_V0 && stem.endsWith(".file")) {
      stem = stem.substring(0, stem.length() - ".file".length());
    }
    if (stem.length() != 62) {
      throw new InvalidOstreeTarException(entryName, "object name '" + stem + "' is not 62 characters");
    }
    String hex = dir + stem;
    if (!Checksum.isValid(hex)) {
      throw new InvalidOstreeTarException(entryName,
          "object checksum '" + hex + "' is not 64 lowercase hex digits");
    }
    return new ObjectName(Checksum.parse(hex), kind);
  }
}
