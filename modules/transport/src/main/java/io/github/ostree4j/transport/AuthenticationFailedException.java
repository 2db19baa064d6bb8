package io.github.ostree4j.transport;

/**
 * The registry rejected the credentials, or wants credentials and none were found. The message is
 * exactly {@code authentication failed for HOST[:PORT]}.
 */
public class AuthenticationFailedException extends RegistryException {
  private static final long serialVersionUID = 1L;

  private final String registry;

  /**
   * Creates the exception.
   *
   * @param registry the registry as the user named it, {@code HOST[:PORT]}
   */
  public AuthenticationFailedException(String registry) {
    super("authentication failed for " + registry);
    this.registry = registry;
  }

  /**
   * Creates the exception with a cause.
   *
   * @param registry the registry as the user named it, {@code HOST[:PORT]}
   * @param cause the underlying failure
   */
  public AuthenticationFailedException(String registry, Throwable cause) {
    super("authentication failed for " + registry, cause);
    this.registry = registry;
  }

  /**
   * The registry that refused.
   *
   * @return {@code HOST[:PORT]}
   */
  public String registry() {
    return registry;
  }
}
