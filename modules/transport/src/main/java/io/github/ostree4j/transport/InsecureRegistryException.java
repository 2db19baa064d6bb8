package io.github.ostree4j.transport;

/**
 * The registry does not speak TLS with a certificate this JVM trusts (plain HTTP, self-signed
 * certificate, wrong host name) while TLS verification is on.
 */
public class InsecureRegistryException extends RegistryException {
  private static final long serialVersionUID = 1L;

  private final String registry;

  /**
   * Creates the exception.
   *
   * @param registry {@code HOST[:PORT]}
   * @param cause the TLS failure
   */
  public InsecureRegistryException(String registry, Throwable cause) {
    super("connecting to " + registry + ": no verifiable TLS (plain HTTP or untrusted certificate);"
        + " use --tls-verify=false to allow it", cause);
    this.registry = registry;
  }

  /**
   * The registry that failed TLS verification.
   *
   * @return {@code HOST[:PORT]}
   */
  public String registry() {
    return registry;
  }
}
