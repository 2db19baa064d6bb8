package io.github.ostree4j.oci;

/** Media types of OCI and Docker schema 2 documents and layers. */
public final class MediaTypes {
  /** OCI image manifest. */
  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  /** OCI image index. */
  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  /** OCI image config. */
  public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
  /** OCI uncompressed layer. */
  public static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar";
  /** OCI gzip layer. */
  public static final String OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
  /** OCI zstd layer. */
  public static final String OCI_LAYER_ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";
  /** Docker schema 2 manifest. */
  public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
  /** Docker schema 2 manifest list. */
  public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
  /** Docker image config. */
  public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
  /** Docker gzip layer. */
  public static final String DOCKER_LAYER_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip";
  /** Docker uncompressed layer. */
  public static final String DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar";
  /** Docker zstd layer (as written by recent podman). */
  public static final String DOCKER_LAYER_ZSTD = "application/vnd.docker.image.rootfs.diff.tar.zstd";

  private MediaTypes() {}

  /** Whether the type is a single-image manifest (OCI or Docker). */
  public static boolean isManifest(String t) {
    return OCI_MANIFEST.equals(t) || DOCKER_MANIFEST.equals(t);
  }

  /** Whether the type is an index or manifest list. */
  public static boolean isIndex(String t) {
    return OCI_INDEX.equals(t) || DOCKER_MANIFEST_LIST.equals(t);
  }

  /** Whether the type is a layer of any compression. */
  public static boolean isLayer(String t) {
    return t != null && (t.startsWith("application/vnd.oci.image.layer.")
        || t.startsWith("application/vnd.docker.image.rootfs.")
        || t.startsWith("application/vnd.oci.image.layer.nondistributable."));
  }
}
