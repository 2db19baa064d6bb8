package io.github.ostree4j.transport;

import io.github.ostree4j.transport.internal.AuthFileReader;
import io.github.ostree4j.transport.internal.CredentialHelpers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds the credentials for a registry the way users expect from skopeo and podman (or, on nodes,
 * from rpm-ostree and bootc).
 *
 * <p>Precedence:
 *
 * <ol>
 *   <li>explicit credentials ({@code --creds USER[:PASSWORD]}) win for every registry;
 *   <li>an explicit auth file ({@code --authfile FILE}) is then the only file read;
 *   <li>otherwise the {@link AuthFiles} list: by default {@link AuthFiles#forUser(Map, Path,
 *       java.util.OptionalLong)}, where {@code REGISTRY_AUTH_FILE} in turn replaces all other
 *       files.
 * </ol>
 *
 * <p>Within a file, {@code credHelpers[REGISTRY]} comes first; then {@code auths} entries whose
 * key matches exactly, the most specific first ({@code HOST/NS/REPO}, {@code HOST/NS}, {@code
 * HOST}); then entries whose key matches once normalized ({@code https://HOST}, legacy {@code
 * http://HOST/v1/} and {@code https://index.docker.io/v1/} keys); then {@code credsStore}. Entry
 * values are {@code auth} (base64 of {@code USER:PASSWORD}), or {@code username} and {@code
 * password}, optionally with an {@code identitytoken}. Helpers are the {@code
 * docker-credential-NAME} programs on the {@code PATH} of the configured environment.
 *
 * <p>Instances are immutable and thread-safe; files are read at each lookup, so a {@code podman
 * login} between two lookups is seen.
 */
public final class CredentialResolver {

  private final Credentials explicit;
  private final AuthFiles files;
  private final CredentialHelpers helpers;

  private CredentialResolver(Credentials explicit, AuthFiles files, Map<String, String> env) {
    this.explicit = explicit;
    this.files = files;
    this.helpers = new CredentialHelpers(env);
  }

  /**
   * No credentials for any registry.
   *
   * @return an anonymous resolver
   */
  public static CredentialResolver anonymous() {
    return new CredentialResolver(null, AuthFiles.none(), Map.of());
  }

  /**
   * The same credentials for every registry ({@code --creds}).
   *
   * @param credentials the credentials
   * @return a resolver that always answers them
   */
  public static CredentialResolver of(Credentials credentials) {
    return new CredentialResolver(Objects.requireNonNull(credentials), AuthFiles.none(), Map.of());
  }

  /**
   * The podman/skopeo files of the current user ({@link AuthFiles#forUser()}).
   *
   * @return a resolver reading the user's auth files
   */
  public static CredentialResolver forUser() {
    return builder().build();
  }

  /**
   * The ostree files of a node ({@link AuthFiles#forNode()}).
   *
   * @return a resolver reading the node's auth file
   */
  public static CredentialResolver forNode() {
    return builder().files(AuthFiles.forNode()).build();
  }

  /**
   * Starts a resolver with the defaults: no explicit credentials, no explicit file, the current
   * environment and home directory.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Finds credentials for a registry and repository.
   *
   * @param registry the registry as in image names, {@code HOST[:PORT]} ({@code docker.io} for
   *     Docker Hub)
   * @param repository the repository path, e.g. {@code fedora/fedora-coreos}, or null to match
   *     registry-wide entries only
   * @return the credentials, or empty for anonymous access
   * @throws CredentialException when an auth file or helper fails; a file named with {@code
   *     --authfile} that does not exist is such a failure
   */
  public Optional<Credentials> find(String registry, String repository) throws CredentialException {
    if (explicit != null) {
      return Optional.of(explicit);
    }
    for (AuthFiles.AuthFile f : files.files()) {
      Path real = resolveInRoot(f.path(), files.root());
      Optional<AuthFileReader> reader =
          AuthFileReader.read(real, f.path(), f.format() == AuthFiles.Format.LEGACY_DOCKERCFG);
      if (reader.isEmpty()) {
        if (files.required()) {
          throw new CredentialException("reading credentials from " + f.path()
              + ": file does not exist");
        }
        continue;
      }
      Optional<Credentials> c = reader.get().find(registry, repository, helpers);
      if (c.isPresent() || files.firstExistingOnly()) {
        return c;
      }
    }
    return Optional.empty();
  }

  /**
   * The files this resolver reads (empty when explicit credentials are set).
   *
   * @return the auth file list
   */
  public AuthFiles files() {
    return files;
  }

  @Override
  public String toString() {
    return explicit != null ? "CredentialResolver[" + explicit + "]" : "CredentialResolver" + files;
  }

  /** Follows symbolic links of {@code p}, resolving absolute targets inside {@code root}. */
  private static Path resolveInRoot(Path p, Path root) throws CredentialException {
    if (root == null) {
      return p;
    }
    Path cur = p;
    for (int hops = 0; hops < 32; hops++) {
      if (!Files.isSymbolicLink(cur)) {
        return cur;
      }
      Path target;
      try {
        target = Files.readSymbolicLink(cur);
      } catch (IOException e) {
        throw new CredentialException("reading credentials from " + p + ": " + e, e);
      }
      if (target.isAbsolute()) {
        cur = root.resolve(target.toString().replaceFirst("^/+", ""));
      } else {
        cur = cur.resolveSibling(target).normalize();
      }
    }
    throw new CredentialException("reading credentials from " + p
        + ": too many levels of symbolic links");
  }

  /** Configures a {@link CredentialResolver}. */
  public static final class Builder {
    private Credentials credentials;
    private Path authFile;
    private AuthFiles files;
    private Map<String, String> env = System.getenv();
    private Path home = Path.of(System.getProperty("user.home"));

    private Builder() {}

    /**
     * Explicit credentials ({@code --creds}); they win over every file.
     *
     * @param c the credentials, or null for none
     * @return this
     */
    public Builder credentials(Credentials c) {
      this.credentials = c;
      return this;
    }

    /**
     * An explicit auth file ({@code --authfile}); it becomes the only file read and must exist.
     *
     * @param file the file, or null for none
     * @return this
     */
    public Builder authFile(Path file) {
      this.authFile = file;
      return this;
    }

    /**
     * The files to read when neither explicit credentials nor an explicit file are set; by default
     * {@link AuthFiles#forUser(Map, Path, java.util.OptionalLong)} of the configured environment
     * and home directory.
     *
     * @param f the list
     * @return this
     */
    public Builder files(AuthFiles f) {
      this.files = f;
      return this;
    }

    /**
     * The environment variables used for the default file list ({@code REGISTRY_AUTH_FILE},
     * {@code XDG_RUNTIME_DIR}, {@code XDG_CONFIG_HOME}, {@code DOCKER_CONFIG}) and for running
     * credential helpers ({@code PATH}); by default {@code System.getenv()}.
     *
     * @param environment the variables
     * @return this
     */
    public Builder environment(Map<String, String> environment) {
      this.env = Map.copyOf(environment);
      return this;
    }

    /**
     * The home directory for the default file list; by default {@code user.home}.
     *
     * @param dir the home directory
     * @return this
     */
    public Builder home(Path dir) {
      this.home = Objects.requireNonNull(dir);
      return this;
    }

    /**
     * Builds the resolver.
     *
     * @return the resolver
     */
    public CredentialResolver build() {
      AuthFiles f;
      if (credentials != null) {
        f = AuthFiles.none();
      } else if (authFile != null) {
        f = AuthFiles.of(authFile);
      } else if (files != null) {
        f = files;
      } else {
        f = AuthFiles.forUser(env, home, AuthFiles.currentUid());
      }
      return new CredentialResolver(credentials, f, env);
    }
  }
}
