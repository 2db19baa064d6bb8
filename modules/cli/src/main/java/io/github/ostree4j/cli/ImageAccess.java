package io.github.ostree4j.cli;

import io.github.ostree4j.transport.CredentialResolver;
import io.github.ostree4j.transport.Credentials;
import io.github.ostree4j.transport.ImageReference;
import io.github.ostree4j.transport.InvalidReferenceException;
import io.github.ostree4j.transport.TransportOptions;
import java.nio.file.Path;

/** Builds {@link TransportOptions} from skopeo-style flags. */
final class ImageAccess {

  private ImageAccess() {}

  static ImageReference parse(String text) throws InvalidReferenceException {
    return ImageReference.parse(text);
  }

  /**
   * Options for one side of a copy.
   *
   * @param authFile {@code --authfile} (or the side's own flag), or null for the default files
   *     ({@code REGISTRY_AUTH_FILE}, then the podman/docker ones)
   * @param creds {@code --creds USER[:PASSWORD]}, or null
   * @param tlsVerify {@code --tls-verify}
   */
  static TransportOptions options(Path authFile, String creds, boolean tlsVerify) {
    CredentialResolver.Builder b = CredentialResolver.builder();
    if (creds != null) {
      b.credentials(Credentials.parse(creds));
    } else if (authFile != null) {
      b.authFile(authFile);
    }
    return TransportOptions.builder().credentials(b.build()).tlsVerify(tlsVerify).build();
  }
}
