package io.github.ostree4j.transport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach one side of a copy: credentials and TLS for registries, retries, and where
 * temporary files go (extracted {@code oci-archive:} files, archives being written, recompressed
 * layers). Immutable.
 */
public final class TransportOptions {

  private final CredentialResolver credentials;
  private final boolean tlsVerify;
  private final Path tempDir;
  private final int attempts;
  private final Duration retryDelay;
  private final Path signaturePolicy;
  private final Path registriesDirectory;

  private TransportOptions(Builder b) {
    this.credentials = b.credentials == null ? CredentialResolver.forUser() : b.credentials;
    this.tlsVerify = b.tlsVerify;
    this.tempDir = b.tempDir;
    this.attempts = b.attempts;
    this.retryDelay = b.retryDelay;
    this.signaturePolicy = b.signaturePolicy;
    this.registriesDirectory = b.registriesDirectory;
  }

  /**
   * The defaults: the user's auth files, TLS verified, the system temporary directory, 3 attempts
   * per registry request starting with a 500 ms pause.
   *
   * @return default options
   */
  public static TransportOptions defaults() {
    return builder().build();
  }

  /**
   * Starts from the defaults.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Where registry credentials come from.
   *
   * @return the resolver
   */
  public CredentialResolver credentials() {
    return credentials;
  }

  /**
   * Whether registry TLS is verified.
   *
   * @return false when plain HTTP and unverified HTTPS are allowed
   */
  public boolean tlsVerify() {
    return tlsVerify;
  }

  /**
   * The directory for temporary files.
   *
   * @return the directory, or null for the system default
   */
  public Path tempDir() {
    return tempDir;
  }

  /**
   * Attempts per registry request.
   *
   * @return at least 1
   */
  public int attempts() {
    return attempts;
  }

  /**
   * The pause before the second attempt; it grows fourfold per attempt.
   *
   * @return the first pause
   */
  public Duration retryDelay() {
    return retryDelay;
  }

  /**
   * The containers-policy.json images read with these options are checked against ({@code
   * --policy}).
   *
   * @return the file, or empty for {@link SignaturePolicy#defaultPath()}
   */
  public java.util.Optional<Path> signaturePolicy() {
    return java.util.Optional.ofNullable(signaturePolicy);
  }

  /**
   * The registries.d directory that says where signatures are read from ({@code
   * --registries.d}).
   *
   * @return the directory, or empty for {@link RegistriesConfig#defaultDirectory()}
   */
  public java.util.Optional<Path> registriesDirectory() {
    return java.util.Optional.ofNullable(registriesDirectory);
  }

  /** Configures {@link TransportOptions}. */
  public static final class Builder {
    private CredentialResolver credentials;
    private boolean tlsVerify = true;
    private Path tempDir;
    private int attempts = 3;
    private Duration retryDelay = Duration.ofMillis(500);
    private Path signaturePolicy;
    private Path registriesDirectory;

    private Builder() {}

    /**
     * The containers-policy.json to check images against; default {@link
     * SignaturePolicy#defaultPath()}. A file named here must exist.
     *
     * @param file the policy file, or null for the default
     * @return this
     */
    public Builder signaturePolicy(Path file) {
      this.signaturePolicy = file;
      return this;
    }

    /**
     * The registries.d directory; default {@link RegistriesConfig#defaultDirectory()}.
     *
     * @param dir the directory, or null for the default
     * @return this
     */
    public Builder registriesDirectory(Path dir) {
      this.registriesDirectory = dir;
      return this;
    }

    /**
     * Where credentials come from; default {@link CredentialResolver#forUser()}.
     *
     * @param resolver the resolver
     * @return this
     */
    public Builder credentials(CredentialResolver resolver) {
      this.credentials = Objects.requireNonNull(resolver, "resolver");
      return this;
    }

    /**
     * Whether registry TLS must be verified; default true.
     *
     * @param verify false for {@code --tls-verify=false}
     * @return this
     */
    public Builder tlsVerify(boolean verify) {
      this.tlsVerify = verify;
      return this;
    }

    /**
     * The directory for temporary files; default the system one.
     *
     * @param dir the directory, or null
     * @return this
     */
    public Builder tempDir(Path dir) {
      this.tempDir = dir;
      return this;
    }

    /**
     * The retry policy of registry requests (see {@link RegistryClient.Builder#retries}).
     *
     * @param attempts attempts per request, at least 1
     * @param firstDelay the first pause
     * @return this
     */
    public Builder retries(int attempts, Duration firstDelay) {
      if (attempts < 1) {
        throw new IllegalArgumentException("attempts must be at least 1");
      }
      this.attempts = attempts;
      this.retryDelay = Objects.requireNonNull(firstDelay, "firstDelay");
      return this;
    }

    /**
     * Builds the options.
     *
     * @return the options
     */
    public TransportOptions build() {
      return new TransportOptions(this);
    }
  }
}
