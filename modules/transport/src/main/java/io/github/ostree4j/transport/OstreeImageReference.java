package io.github.ostree4j.transport;

import java.util.Objects;
import java.util.Optional;

/**
 * An image reference combined with a signature verification method, in the syntax of ostree-ext
 * (rpm-ostree, bootc): an immutable value, parsed only by {@link #parse(String)}.
 *
 * <table>
 *   <caption>Accepted forms</caption>
 *   <tr><th>form</th><th>verification</th><th>image</th></tr>
 *   <tr><td>{@code ostree-unverified-registry:NAME}</td>
 *       <td>{@link SignatureSource#CONTAINER_POLICY_ALLOW_INSECURE}</td><td>{@code docker://NAME}</td></tr>
 *   <tr><td>{@code ostree-unverified-image:TRANSPORT:DETAILS}</td>
 *       <td>{@link SignatureSource#CONTAINER_POLICY_ALLOW_INSECURE}</td><td>{@code TRANSPORT:DETAILS}</td></tr>
 *   <tr><td>{@code ostree-image-signed:TRANSPORT:DETAILS}</td>
 *       <td>{@link SignatureSource#CONTAINER_POLICY}</td><td>{@code TRANSPORT:DETAILS}</td></tr>
 *   <tr><td>{@code ostree-remote-image:REMOTE:TRANSPORT:DETAILS}</td>
 *       <td>{@link SignatureSource#OSTREE_REMOTE} with {@code REMOTE}</td><td>{@code TRANSPORT:DETAILS}</td></tr>
 *   <tr><td>{@code ostree-remote-registry:REMOTE:NAME}</td>
 *       <td>{@link SignatureSource#OSTREE_REMOTE} with {@code REMOTE}</td><td>{@code docker://NAME}</td></tr>
 * </table>
 *
 * <p>{@code TRANSPORT:DETAILS} is any {@link ImageReference} ({@code registry:NAME} is a synonym
 * of {@code docker://NAME}). The remote name ends at the first {@code :} and may not be empty.
 *
 * <p>{@link #toString()} prints the canonical form ostree-ext prints, which parses back to an equal
 * value: {@code ostree-unverified-registry:NAME} for unverified registry images, otherwise {@code
 * ostree-image-signed:}, {@code ostree-unverified-image:} or {@code ostree-remote-image:REMOTE:}
 * followed by the image with its canonical transport prefix ({@code docker://} for registries).
 * So {@code ostree-remote-registry:fedora:quay.io/fedora/fedora-coreos:stable} prints as {@code
 * ostree-remote-image:fedora:docker://quay.io/fedora/fedora-coreos:stable}.
 */
public final class OstreeImageReference {

  private static final String EXAMPLE = "ostree-unverified-registry:quay.io/fedora/fedora-coreos:stable";

  private final SignatureSource signatureSource;
  private final String remote;
  private final ImageReference image;

  private OstreeImageReference(SignatureSource signatureSource, String remote, ImageReference image) {
    this.signatureSource = signatureSource;
    this.remote = remote;
    this.image = image;
  }

  /**
   * Parses an ostree image reference.
   *
   * @param text e.g. {@code ostree-unverified-registry:quay.io/fedora/fedora-coreos:stable}
   * @return the reference
   * @throws InvalidReferenceException when the text is not one of the accepted forms or the image
   *     part is not a valid image reference
   */
  public static OstreeImageReference parse(String text) throws InvalidReferenceException {
    Objects.requireNonNull(text, "text");
    int colon = text.indexOf(':');
    if (colon < 0) {
      throw new InvalidReferenceException(text,
          text.isEmpty() ? "empty reference" : "missing ':' after the verification scheme", EXAMPLE);
    }
    String scheme = text.substring(0, colon);
    String rest = text.substring(colon + 1);
    switch (scheme) {
      case "ostree-image-signed":
        return new OstreeImageReference(SignatureSource.CONTAINER_POLICY, null, image(text, rest));
      case "ostree-unverified-image":
        return new OstreeImageReference(SignatureSource.CONTAINER_POLICY_ALLOW_INSECURE, null,
            image(text, rest));
      case "ostree-unverified-registry":
        return new OstreeImageReference(SignatureSource.CONTAINER_POLICY_ALLOW_INSECURE, null,
            image(text, "docker://" + rest));
      case "ostree-remote-image":
      case "ostree-remote-registry": {
        int c = rest.indexOf(':');
        if (c < 0) {
          throw new InvalidReferenceException(text, "missing ':' after the remote name",
              "ostree-remote-registry:fedora:quay.io/fedora/fedora-coreos:stable");
        }
        String r = rest.substring(0, c);
        if (r.isEmpty()) {
          throw new InvalidReferenceException(text, "empty remote name",
              "ostree-remote-registry:fedora:quay.io/fedora/fedora-coreos:stable");
        }
        String img = rest.substring(c + 1);
        if (scheme.equals("ostree-remote-registry")) {
          img = "docker://" + img;
        }
        return new OstreeImageReference(SignatureSource.OSTREE_REMOTE, r, image(text, img));
      }
      default:
        throw new InvalidReferenceException(text, "unknown scheme '" + scheme + "' (expected"
            + " ostree-unverified-registry, ostree-unverified-image, ostree-image-signed,"
            + " ostree-remote-image or ostree-remote-registry)", EXAMPLE);
    }
  }

  private static ImageReference image(String text, String img) throws InvalidReferenceException {
    try {
      return ImageReference.parse(img);
    } catch (InvalidReferenceException e) {
      // Report the whole text, with the reason found in the image part.
      throw new InvalidReferenceException(text, e.reason(), EXAMPLE, e);
    }
  }

  /**
   * A reference from its parts.
   *
   * @param source how to verify
   * @param remote the ostree remote for {@link SignatureSource#OSTREE_REMOTE}, else null
   * @param image the image
   * @return the reference
   * @throws IllegalArgumentException when a remote is given for another source, or missing or
   *     invalid for {@link SignatureSource#OSTREE_REMOTE}
   */
  public static OstreeImageReference of(SignatureSource source, String remote, ImageReference image) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(image, "image");
    if ((source == SignatureSource.OSTREE_REMOTE) != (remote != null)) {
      throw new IllegalArgumentException("a remote is required for OSTREE_REMOTE and only for it");
    }
    if (remote != null && (remote.isEmpty() || remote.indexOf(':') >= 0)) {
      throw new IllegalArgumentException("invalid ostree remote name '" + remote + "'");
    }
    return new OstreeImageReference(source, remote, image);
  }

  /**
   * How signatures are verified.
   *
   * @return the signature source
   */
  public SignatureSource signatureSource() {
    return signatureSource;
  }

  /**
   * The ostree remote whose keys verify the commit.
   *
   * @return the remote name for {@link SignatureSource#OSTREE_REMOTE}, else empty
   */
  public Optional<String> remote() {
    return Optional.ofNullable(remote);
  }

  /**
   * The image. For the {@code -registry} short forms its {@code toString()} is {@code
   * docker://NAME}.
   *
   * @return the image reference
   */
  public ImageReference imageReference() {
    return image;
  }

  /**
   * Equal when the signature source, the remote and the images ({@link ImageReference#equals})
   * are equal.
   */
  @Override
  public boolean equals(Object o) {
    if (!(o instanceof OstreeImageReference)) {
      return false;
    }
    OstreeImageReference r = (OstreeImageReference) o;
    return r.signatureSource == signatureSource && Objects.equals(r.remote, remote)
        && r.image.equals(image);
  }

  @Override
  public int hashCode() {
    return Objects.hash(signatureSource, remote, image);
  }

  /**
   * The canonical form, as ostree-ext prints it (see the class documentation).
   *
   * @return e.g. {@code ostree-unverified-registry:quay.io/fedora/fedora-coreos:stable}
   */
  @Override
  public String toString() {
    String img = image.transport().prefix() + image.name();
    switch (signatureSource) {
      case CONTAINER_POLICY_ALLOW_INSECURE:
        return image.isRegistry()
            ? "ostree-unverified-registry:" + image.name()
            : "ostree-unverified-image:" + img;
      case CONTAINER_POLICY:
        return "ostree-image-signed:" + img;
      default:
        return "ostree-remote-image:" + remote + ":" + img;
    }
  }
}
