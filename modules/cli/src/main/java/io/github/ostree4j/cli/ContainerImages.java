package io.github.ostree4j.cli;

import io.github.ostree4j.container.ContainerStore;
import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.transport.ImageReference;
import io.github.ostree4j.transport.InvalidReferenceException;
import io.github.ostree4j.transport.OstreeImageReference;
import io.github.ostree4j.transport.TransportOptions;
import java.io.IOException;

/** Image arguments of the {@code container} verbs: plain references or the ostree-ext forms. */
final class ContainerImages {

  private ContainerImages() {}

  /**
   * An image argument and how its signatures are checked: a plain reference follows the
   * containers-policy.json; the ostree-ext forms say themselves ({@code ostree-image-signed:},
   * {@code ostree-remote-image:}, {@code ostree-unverified-*:}).
   *
   * @param image the image
   * @param ostree the ostree-ext form, or null for a plain reference
   */
  record Target(ImageReference image, OstreeImageReference ostree) {

    ContainerStore.PullResult pull(ContainerStore store, TransportOptions options)
        throws IOException {
      return ostree == null ? store.pull(image, options) : store.pull(ostree, options);
    }

    Checksum unencapsulate(ContainerStore store, TransportOptions options) throws IOException {
      return ostree == null ? store.unencapsulate(image, options)
          : store.unencapsulate(ostree, options);
    }

    @Override
    public String toString() {
      return ostree == null ? image.toString() : ostree.toString();
    }
  }

  /**
   * Parses {@code docker://…}, {@code oci:…} and the other transports, or the ostree-ext forms.
   */
  static Target target(String text) throws InvalidReferenceException {
    if (text.startsWith("ostree-")) {
      OstreeImageReference o = OstreeImageReference.parse(text);
      return new Target(o.imageReference(), o);
    }
    return new Target(ImageReference.parse(text), null);
  }

  /** The image of an argument in any of the accepted forms (for images only read as a base). */
  static ImageReference parse(String text) throws InvalidReferenceException {
    return target(text).image();
  }
}
