package io.github.ostree4j.cli;

import io.github.ostree4j.transport.ImageReference;
import io.github.ostree4j.transport.InvalidReferenceException;
import io.github.ostree4j.transport.OstreeImageReference;
import io.github.ostree4j.transport.SignatureSource;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --sysroot} and {@code --os}, as ostree spells them, for the node commands. */
final class NodeOptions {

  @Option(names = "--sysroot", paramLabel = "DIR", defaultValue = "/",
      description = "The sysroot (default /).")
  Path sysroot;

  @Option(names = "--os", paramLabel = "STATEROOT",
      description = "The stateroot (default: the booted or default deployment's, else the first).")
  String os;

  /**
   * An image argument: {@code ostree-unverified-registry:NAME}, {@code
   * ostree-unverified-image:TRANSPORT:NAME}, {@code ostree-image-signed:TRANSPORT:NAME}, {@code
   * ostree-remote-image:REMOTE:TRANSPORT:NAME} or a plain {@code docker://}, {@code oci:}, {@code
   * oci-archive:} reference (taken as unverified, as bootc switch takes a plain image).
   */
  static OstreeImageReference image(String text) throws InvalidReferenceException {
    if (text.startsWith("ostree-")) {
      return OstreeImageReference.parse(text);
    }
    return OstreeImageReference.of(SignatureSource.CONTAINER_POLICY_ALLOW_INSECURE, null,
        ImageReference.parse(text));
  }
}
