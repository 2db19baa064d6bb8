package io.github.ostree4j.transport;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The registry auth files to consult, in order: the places podman, skopeo and docker (for users
 * and CI) or ostree, rpm-ostree and bootc (for nodes) read.
 *
 * <p>Files use the containers-auth.json format, which is also that of {@code
 * ~/.docker/config.json}: {@code {"auths": {"KEY": {"auth": "base64(user:password)"}}}} with
 * optional {@code username}/{@code password} or {@code identitytoken} fields, plus {@code
 * credHelpers} and {@code credsStore}; {@code ~/.dockercfg} uses the older format without the
 * {@code auths} level. See {@link CredentialResolver} for how entries are matched.
 */
public final class AuthFiles {

  /** The format of one file. */
  public enum Format {
    /** containers-auth.json / docker config.json, with an {@code auths} object. */
    AUTH_JSON,
    /** The legacy {@code ~/.dockercfg}: registry keys at the top level. */
    LEGACY_DOCKERCFG
  }

  /**
   * One file to consult.
   *
   * @param path where it is
   * @param format how it is written
   */
  public record AuthFile(Path path, Format format) {
    /**
     * Checks the arguments.
     *
     * @param path where it is
     * @param format how it is written
     */
    public AuthFile {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(format, "format");
    }
  }

  private final List<AuthFile> files;
  private final boolean firstExistingOnly;
  private final boolean required;
  private final Path root;

  private AuthFiles(List<AuthFile> files, boolean firstExistingOnly, boolean required, Path root) {
    this.files = List.copyOf(files);
    this.firstExistingOnly = firstExistingOnly;
    this.required = required;
    this.root = root;
  }

  /**
   * No files at all: anonymous access.
   *
   * @return an empty list
   */
  public static AuthFiles none() {
    return new AuthFiles(List.of(), false, false, null);
  }

  /**
   * Exactly one file, given by the user ({@code --authfile FILE}); it must exist.
   *
   * @param file the auth file
   * @return a list with only that file
   */
  public static AuthFiles of(Path file) {
    return new AuthFiles(List.of(new AuthFile(file, Format.AUTH_JSON)), false, true, null);
  }

  /**
   * The files skopeo and podman consult for the current user, from this process's environment.
   *
   * @return the list for {@link #forUser(Map, Path, OptionalLong)} with {@code System.getenv()},
   *     {@code user.home} and the current user id
   */
  public static AuthFiles forUser() {
    return forUser(System.getenv(), Path.of(System.getProperty("user.home")), currentUid());
  }

  /**
   * The files skopeo and podman consult (containers-auth.json(5)), each read in turn until one has
   * credentials for the registry:
   *
   * <ol>
   *   <li>{@code $REGISTRY_AUTH_FILE} — when set, it is the only file and must exist, as with
   *       {@code --authfile};
   *   <li>{@code $XDG_RUNTIME_DIR/containers/auth.json}, or {@code /run/containers/UID/auth.json}
   *       when {@code XDG_RUNTIME_DIR} is not set;
   *   <li>{@code $XDG_CONFIG_HOME/containers/auth.json} ({@code XDG_CONFIG_HOME} defaults to
   *       {@code HOME/.config});
   *   <li>{@code $DOCKER_CONFIG/config.json} when {@code DOCKER_CONFIG} is set, else {@code
   *       HOME/.docker/config.json};
   *   <li>{@code HOME/.dockercfg} (legacy format).
   * </ol>
   *
   * @param env the environment variables to use
   * @param home the home directory
   * @param uid the user id for the {@code /run/containers/UID} fallback, if known
   * @return the ordered list
   */
  public static AuthFiles forUser(Map<String, String> env, Path home, OptionalLong uid) {
    String authFile = nonEmpty(env.get("REGISTRY_AUTH_FILE"));
    if (authFile != null) {
      return new AuthFiles(List.of(new AuthFile(Path.of(authFile), Format.AUTH_JSON)), false,
          true, null);
    }
    List<AuthFile> list = new ArrayList<>();
    String runtime = nonEmpty(env.get("XDG_RUNTIME_DIR"));
    if (runtime != null) {
      list.add(json(Path.of(runtime, "containers", "auth.json")));
    } else if (uid.isPresent()) {
      list.add(json(Path.of("/run/containers", Long.toString(uid.getAsLong()), "auth.json")));
    }
    String configHome = nonEmpty(env.get("XDG_CONFIG_HOME"));
    Path config = configHome != null ? Path.of(configHome) : home.resolve(".config");
    list.add(json(config.resolve("containers").resolve("auth.json")));
    String dockerConfig = nonEmpty(env.get("DOCKER_CONFIG"));
    list.add(json(dockerConfig != null
        ? Path.of(dockerConfig, "config.json")
        : home.resolve(".docker").resolve("config.json")));
    list.add(new AuthFile(home.resolve(".dockercfg"), Format.LEGACY_DOCKERCFG));
    return new AuthFiles(list, false, false, null);
  }

  /**
   * The files ostree, rpm-ostree and bootc consult on a node, for this process's user.
   *
   * @return {@link #forNode(Path, boolean, Map, Path)} for the root directory {@code /}
   */
  public static AuthFiles forNode() {
    OptionalLong uid = currentUid();
    return forNode(Path.of("/"), uid.isPresent() && uid.getAsLong() == 0, System.getenv(),
        Path.of(System.getProperty("user.home")));
  }

  /**
   * The files ostree, rpm-ostree and bootc consult on a node. Only the first file that exists is
   * read, so an empty {@code {}} file hides the ones after it.
   *
   * <ul>
   *   <li>as root: {@code /run/ostree/auth.json}, {@code /etc/ostree/auth.json}, {@code
   *       /usr/lib/ostree/auth.json};
   *   <li>as another user: {@code $XDG_RUNTIME_DIR/ostree/auth.json}, {@code
   *       $XDG_CONFIG_HOME/ostree/auth.json} ({@code HOME/.config} by default).
   * </ul>
   *
   * These are deliberately not the podman files: the ostree stack does not read {@code
   * ~/.docker/config.json} or {@code containers/auth.json}.
   *
   * @param root the directory the paths are under ({@code /} on a running node; a deployment or a
   *     test directory otherwise); absolute symbolic links are resolved inside it
   * @param asRoot whether to use the root (system) list
   * @param env environment variables for the non-root list
   * @param home the home directory for the non-root list
   * @return the ordered list
   */
  public static AuthFiles forNode(Path root, boolean asRoot, Map<String, String> env, Path home) {
    List<AuthFile> list = new ArrayList<>();
    if (asRoot) {
      list.add(json(under(root, "/run/ostree/auth.json")));
      list.add(json(under(root, "/etc/ostree/auth.json")));
      list.add(json(under(root, "/usr/lib/ostree/auth.json")));
    } else {
      String runtime = nonEmpty(env.get("XDG_RUNTIME_DIR"));
      if (runtime != null) {
        list.add(json(under(root, runtime + "/ostree/auth.json")));
      }
      String configHome = nonEmpty(env.get("XDG_CONFIG_HOME"));
      String config = configHome != null ? configHome : home.resolve(".config").toString();
      list.add(json(under(root, config + "/ostree/auth.json")));
    }
    return new AuthFiles(list, true, false, root);
  }

  /**
   * The files, in the order they are consulted.
   *
   * @return an unmodifiable list
   */
  public List<AuthFile> files() {
    return files;
  }

  /**
   * Whether only the first existing file is read (the node rule) rather than each file in turn
   * until one has an entry for the registry (the podman rule).
   *
   * @return true for {@link #forNode} lists
   */
  public boolean firstExistingOnly() {
    return firstExistingOnly;
  }

  /**
   * Whether a missing file is an error (a file named with {@code --authfile} or {@code
   * REGISTRY_AUTH_FILE}).
   *
   * @return true for {@link #of(Path)} and a {@code REGISTRY_AUTH_FILE} list
   */
  public boolean required() {
    return required;
  }

  /**
   * The directory absolute symbolic links are resolved in, for node lists.
   *
   * @return the root directory, or null to follow links normally
   */
  public Path root() {
    return root;
  }

  @Override
  public String toString() {
    List<String> s = new ArrayList<>();
    for (AuthFile f : files) {
      s.add(f.path().toString());
    }
    return "AuthFiles" + s + (firstExistingOnly ? " (first existing only)" : "");
  }

  private static AuthFile json(Path p) {
    return new AuthFile(p, Format.AUTH_JSON);
  }

  private static Path under(Path root, String absolute) {
    String rel = absolute;
    while (rel.startsWith("/")) {
      rel = rel.substring(1);
    }
    return root.resolve(rel);
  }

  private static String nonEmpty(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  static OptionalLong currentUid() {
    try {
      return OptionalLong.of(new com.sun.security.auth.module.UnixSystem().getUid());
    } catch (RuntimeException | LinkageError e) {
      return OptionalLong.empty();
    }
  }
}
