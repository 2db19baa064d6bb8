package io.github.ostree4j.ostree;

/** The kinds of ostree objects, with their type numbers and file extensions. */
public enum ObjectType {
  /** Content: a regular file or symlink with its metadata. */
  FILE(1, "file"),
  /** A directory's listing. */
  DIR_TREE(2, "dirtree"),
  /** A directory's ownership, mode and xattrs. */
  DIR_META(3, "dirmeta"),
  /** A commit. */
  COMMIT(4, "commit"),
  /** Marks a deleted commit. */
  TOMBSTONE_COMMIT(5, "tombstone-commit"),
  /** Detached commit metadata, named after its commit. */
  COMMIT_META(6, "commitmeta"),
  /** Link from a payload checksum to a content object. */
  PAYLOAD_LINK(7, "payload-link"),
  /** Extended attributes of files in bare-split-xattrs repos. */
  FILE_XATTRS(8, "file-xattrs"),
  /** Link from a content object to its xattrs object. */
  FILE_XATTRS_LINK(9, "file-xattrs-link");

  private final int number;
  private final String extension;

  ObjectType(int number, String extension) {
    this.number = number;
    this.extension = extension;
  }

  /** The type number used in {@code ostree.sizes} and static deltas. */
  public int number() {
    return number;
  }

  /** The file extension without the dot ({@code file} even for archive {@code .filez}). */
  public String extension() {
    return extension;
  }

  /** Whether this is a metadata object (dirtree, dirmeta, commit, tombstone, commitmeta). */
  public boolean isMetadata() {
    return number >= 2 && number <= 6;
  }

  /** The type with the given extension ({@code filez} maps to FILE), or null. */
  public static ObjectType fromExtension(String ext) {
    if (ext.equals("filez")) {
      return FILE;
    }
    for (ObjectType t : values()) {
      if (t.extension.equals(ext)) {
        return t;
      }
    }
    return null;
  }

  /** The type with the given number. */
  public static ObjectType fromNumber(int n) {
    for (ObjectType t : values()) {
      if (t.number == n) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown object type number " + n);
  }
}
