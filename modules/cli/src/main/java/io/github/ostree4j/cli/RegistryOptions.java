package io.github.ostree4j.cli;

import io.github.ostree4j.transport.AuthFiles;
import io.github.ostree4j.transport.CredentialResolver;
import io.github.ostree4j.transport.Credentials;
import io.github.ostree4j.transport.TransportOptions;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --authfile}, {@code --creds}, {@code --tls-verify}, and where signatures are checked
 * ({@code --policy}, {@code --registries.d}) for commands that read or write one image.
 */
final class RegistryOptions {

  @Option(names = "--authfile", paramLabel = "FILE", description = "Credentials file (default: the containers and docker ones, and on nodes /run/ostree/auth.json, /etc/ostree/auth.json, /usr/lib/ostree/auth.json).")
  Path authFile;

  @Option(names = "--creds", paramLabel = "USER[:PASS]", description = "Registry credentials.")
  String creds;

  @Option(names = "--tls-verify", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
      description = "Require HTTPS and verify certificates (default true).")
  boolean tlsVerify = true;

  @Option(names = "--policy", paramLabel = "FILE",
      description = "containers-policy.json that images are checked against (default: ~/.config/containers/policy.json, then /etc/containers/policy.json).")
  Path policy;

  @Option(names = "--registries.d", paramLabel = "DIR",
      description = "registries.d directory saying where signatures are read (use-sigstore-attachments; default: ~/.config/containers/registries.d, then /etc/containers/registries.d).")
  Path registriesDir;

  /** Options for a user's command: the user's auth files, then the node's. */
  TransportOptions options() {
    CredentialResolver.Builder b = CredentialResolver.builder();
    if (creds != null) {
      b.credentials(Credentials.parse(creds));
    } else if (authFile != null) {
      b.authFile(authFile);
    }
    return TransportOptions.builder().credentials(b.build()).tlsVerify(tlsVerify)
        .signaturePolicy(policy).registriesDirectory(registriesDir).build();
  }

  /** Options for a node's command: the ostree auth files ({@code /run/ostree/auth.json}, ...). */
  TransportOptions nodeOptions() {
    if (creds != null || authFile != null) {
      return options();
    }
    return TransportOptions.builder()
        .credentials(CredentialResolver.builder().files(AuthFiles.forNode()).build())
        .tlsVerify(tlsVerify).signaturePolicy(policy).registriesDirectory(registriesDir).build();
  }
}
