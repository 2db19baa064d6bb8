package io.github.ostree4j.ostree;

/** How a repository stores content objects. */
public enum RepoMode {
  /** Files with real ownership, mode and xattrs (needs root). */
  BARE("bare"),
  /** Regular files owned by the user; metadata in the {@code user.ostreemeta} xattr. */
  BARE_USER("bare-user"),
  /** Like bare-user, but ownership and xattrs are canonicalized away at commit time. */
  BARE_USER_ONLY("bare-user-only"),
  /** Compressed {@code .filez} objects, suitable for serving over HTTP. */
  ARCHIVE("archive-z2"),
  /** Bare objects with xattrs split into separate objects (used inside container images). */
  BARE_SPLIT_XATTRS("bare-split-xattrs");

  private final String configName;

  RepoMode(String configName) {
    this.configName = configName;
  }

  /** The value written to {@code core.mode} in the repo config. */
  public String configName() {
    return configName;
  }

  /** Whether content objects are stored as {@code .filez}. */
  public boolean isArchive() {
    return this == ARCHIVE;
  }

  /**
   * Parses a mode as {@code ostree init --mode=} and the repo config accept it.
   *
   * @throws IllegalArgumentException for an unknown mode, listing the valid ones
   */
  public static RepoMode parse(String s) {
    switch (s) {
      case "bare":
        return BARE;
      case "bare-user":
        return BARE_USER;
      case "bare-user-only":
        return BARE_USER_ONLY;
      case "archive":
      case "archive-z2":
        return ARCHIVE;
      case "bare-split-xattrs":
        return BARE_SPLIT_XATTRS;
      default:
        throw new IllegalArgumentException(
            "invalid repo mode '" + s
                + "' (expected bare, bare-user, bare-user-only, archive or bare-split-xattrs)");
    }
  }
}
