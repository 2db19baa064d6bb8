package io.github.ostree4j.cli;

import io.github.ostree4j.transport.ImageReference;
import io.github.ostree4j.transport.InvalidReferenceException;
import io.github.ostree4j.transport.OstreeImageReference;
import io.github.ostree4j.transport.SignatureSource;

/** Image arguments of the {@code container} verbs: plain references or the ostree-ext forms. */
final class ContainerImages {

  private ContainerImages() {}

  /**
   * Parses {@code docker://…}, {@code oci:…} and the other transports, or {@code
   * ostree-unverified-registry:…} / {@code ostree-unverified-image:…}. The signed forms are
   * refused until signature verification is available, rather than pulled unverified.
   */
  static ImageReference parse(String text) throws InvalidReferenceException {
    if (text.startsWith("ostree-")) {
      OstreeImageReference o = OstreeImageReference.parse(text);
      if (o.signatureSource() != SignatureSource.CONTAINER_POLICY_ALLOW_INSECURE) {
        throw new InvalidReferenceException(text, "signature verification is not supported yet",
            "ostree-unverified-registry:quay.io/fedora/fedora-coreos:stable");
      }
      return o.imageReference();
    }
    return ImageReference.parse(text);
  }
}
