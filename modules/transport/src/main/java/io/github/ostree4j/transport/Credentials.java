package io.github.ostree4j.transport;

import java.util.Objects;
import java.util.Optional;

/**
 * Credentials for one registry: a user name and a password, or an identity token (an OAuth2
 * refresh token, as {@code docker login} stores for some registries). {@link #toString()} never
 * shows the secret.
 */
public final class Credentials {

  private final String username;
  private final String password;
  private final String identityToken;

  private Credentials(String username, String password, String identityToken) {
    this.username = username;
    this.password = password;
    this.identityToken = identityToken;
  }

  /**
   * User name and password.
   *
   * @param username the user name (not empty)
   * @param password the password (may be empty)
   * @return the credentials
   */
  public static Credentials of(String username, String password) {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    if (username.isEmpty()) {
      throw new IllegalArgumentException("empty user name");
    }
    return new Credentials(username, password, null);
  }

  /**
   * An identity token, exchanged for access tokens at the registry's token service.
   *
   * @param username the user name stored with the token (may be empty)
   * @param token the identity token (not empty)
   * @return the credentials
   */
  public static Credentials identityToken(String username, String token) {
    Objects.requireNonNull(token, "token");
    if (token.isEmpty()) {
      throw new IllegalArgumentException("empty identity token");
    }
    return new Credentials(username == null ? "" : username, "", token);
  }

  /**
   * Parses the {@code --creds USER[:PASSWORD]} syntax of skopeo; the password is everything after
   * the first {@code :} and is empty when there is none.
   *
   * @param text {@code USER[:PASSWORD]}
   * @return the credentials
   * @throws IllegalArgumentException when the user name is empty
   */
  public static Credentials parse(String text) {
    int colon = text.indexOf(':');
    String user = colon < 0 ? text : text.substring(0, colon);
    if (user.isEmpty()) {
      throw new IllegalArgumentException("credentials must be USER[:PASSWORD] with a user name");
    }
    return of(user, colon < 0 ? "" : text.substring(colon + 1));
  }

  /**
   * The user name.
   *
   * @return the user name; may be empty for an identity token
   */
  public String username() {
    return username;
  }

  /**
   * The password.
   *
   * @return the password; empty for an identity token
   */
  public String password() {
    return password;
  }

  /**
   * The identity token, when these credentials are one.
   *
   * @return the token, or empty for user name and password
   */
  public Optional<String> identityToken() {
    return Optional.ofNullable(identityToken);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Credentials)) {
      return false;
    }
    Credentials c = (Credentials) o;
    return c.username.equals(username) && c.password.equals(password)
        && Objects.equals(c.identityToken, identityToken);
  }

  @Override
  public int hashCode() {
    return Objects.hash(username, password, identityToken);
  }

  /**
   * The user name and the kind of secret, never the secret itself.
   *
   * @return e.g. {@code Credentials[alice, password]}
   */
  @Override
  public String toString() {
    return "Credentials[" + username + ", " + (identityToken != null ? "identity token" : "password")
        + "]";
  }
}
