package io.github.ostree4j.container.internal;

/** The {@code ostree.importer.version} commit metadata that layer and merge commits carry. */
public final class ImporterVersion {

  /** The metadata key. */
  public static final String KEY = "ostree.importer.version";
  /**
   * The value: this importer's version, semver-shaped like ostree-ext's (a bare crate version),
   * with build metadata naming the implementation.
   */
  public static final String VALUE = "0.1.0+ostree4j";

  private ImporterVersion() {}
}
