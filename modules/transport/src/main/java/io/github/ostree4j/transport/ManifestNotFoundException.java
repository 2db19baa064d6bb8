package io.github.ostree4j.transport;

/** The registry has no manifest under the requested tag or digest (or no such repository). */
public class ManifestNotFoundException extends RegistryException {
  private static final long serialVersionUID = 1L;

  private final String image;

  /**
   * Creates the exception.
   *
   * @param image the image that was asked for, {@code HOST/REPO:TAG} or {@code HOST/REPO@DIGEST}
   */
  public ManifestNotFoundException(String image) {
    super("fetching manifest " + image + ": manifest unknown to the registry");
    this.image = image;
  }

  /**
   * The image that was asked for.
   *
   * @return {@code HOST/REPO:TAG} or {@code HOST/REPO@DIGEST}
   */
  public String image() {
    return image;
  }
}
