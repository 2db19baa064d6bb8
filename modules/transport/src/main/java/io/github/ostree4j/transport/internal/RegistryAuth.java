package io.github.ostree4j.transport.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.tools.jib.blob.Blobs;
import com.google.cloud.tools.jib.http.Authorization;
import com.google.cloud.tools.jib.http.BlobHttpContent;
import com.google.cloud.tools.jib.http.FailoverHttpClient;
import com.google.cloud.tools.jib.http.Request;
import com.google.cloud.tools.jib.http.Response;
import com.google.cloud.tools.jib.http.ResponseException;
import io.github.ostree4j.oci.Json;
import io.github.ostree4j.transport.AuthenticationFailedException;
import io.github.ostree4j.transport.CredentialResolver;
import io.github.ostree4j.transport.Credentials;
import io.github.ostree4j.transport.RegistryException;
import java.io.IOException;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The authentication state for one registry, for the requests this library sends itself.
 *
 * <p>The registry's challenge is learned once from {@code GET /v2/}: none (200), HTTP Basic, or a
 * Bearer token service. Basic credentials are checked once against {@code /v2/}, so a wrong
 * password fails early and clearly. Bearer tokens follow the distribution token protocol: {@code
 * GET REALM?service=…&scope=repository:REPO:pull[,push]} with Basic credentials (or anonymous),
 * or, for identity tokens, an OAuth2 {@code POST} with {@code grant_type=refresh_token}. Tokens
 * are cached per scope until shortly before they expire.
 */
public final class RegistryAuth {

  /** How the registry wants to be authenticated to. */
  public enum Scheme {
    /** No authentication. */
    NONE,
    /** HTTP Basic with the user's credentials. */
    BASIC,
    /** Bearer tokens from a token service. */
    BEARER
  }

  /** What a request needs to do. */
  public enum Access {
    /** Read. */
    PULL,
    /** Read and write. */
    PUSH
  }

  private static final int MAX_TOKEN_RESPONSE = 1 << 20;
  private static final Duration MIN_TOKEN_LIFETIME = Duration.ofSeconds(60);

  private final FailoverHttpClient http;
  private final String registry;
  private final String apiHost;
  private final CredentialResolver resolver;
  private final String userAgent;
  private final Integer timeoutMillis;

  private volatile Challenge challenge;
  private final Map<String, Optional<Credentials>> credentials = new ConcurrentHashMap<>();
  private final Map<String, Token> tokens = new ConcurrentHashMap<>();
  private final Map<Credentials, Boolean> verifiedBasic = new ConcurrentHashMap<>();

  record Challenge(Scheme scheme, String realm, String service) {}

  private record Token(Authorization authorization, Instant expires) {}

  /**
   * Creates the state for one registry.
   *
   * @param http the registry's HTTP client
   * @param registry {@code HOST[:PORT]} as in image names (credentials are looked up for it)
   * @param apiHost the host serving the API (differs for Docker Hub)
   * @param resolver where credentials come from
   * @param userAgent the User-Agent header
   * @param timeoutMillis connect and read timeout
   */
  public RegistryAuth(FailoverHttpClient http, String registry, String apiHost,
      CredentialResolver resolver, String userAgent, int timeoutMillis) {
    this.http = http;
    this.registry = registry;
    this.apiHost = apiHost;
    this.resolver = resolver;
    this.userAgent = userAgent;
    this.timeoutMillis = timeoutMillis;
  }

  /**
   * The credentials for a repository, looked up once per repository.
   *
   * @param repository the repository path
   * @return the credentials, or empty for anonymous access
   * @throws IOException when the credential files or helpers fail
   */
  public Optional<Credentials> credentials(String repository) throws IOException {
    Optional<Credentials> c = credentials.get(repository);
    if (c == null) {
      c = resolver.find(registry, repository);
      credentials.put(repository, c);
    }
    return c;
  }

  /**
   * The authentication scheme the registry announced on {@code /v2/}.
   *
   * @return the scheme
   * @throws IOException when the registry cannot be asked
   */
  public Scheme scheme() throws IOException {
    return challenge().scheme();
  }

  /**
   * The Bearer challenge as a {@code WWW-Authenticate} header value, for handing to jib.
   *
   * @return the header value, or null when the registry does not use tokens
   * @throws IOException when the registry cannot be asked
   */
  public String bearerChallenge() throws IOException {
    Challenge c = challenge();
    if (c.scheme() != Scheme.BEARER) {
      return null;
    }
    return "Bearer realm=\"" + c.realm() + "\""
        + (c.service() == null ? "" : ",service=\"" + c.service() + "\"");
  }

  /**
   * The Authorization to send for a request.
   *
   * @param repository the repository of the request
   * @param access what the request does
   * @param mountFrom another repository a blob is mounted from (needs pull access), or null
   * @return the header value, or null for none
   * @throws IOException when authentication fails ({@link AuthenticationFailedException}) or the
   *     registry cannot be reached
   */
  public Authorization authorization(String repository, Access access, String mountFrom)
      throws IOException {
    Challenge c = challenge();
    switch (c.scheme()) {
      case NONE:
        return null;
      case BASIC: {
        Optional<Credentials> cr = credentials(repository);
        if (cr.isEmpty()) {
          return null;
        }
        if (cr.get().identityToken().isPresent()) {
          throw new RegistryException("authenticating to " + registry
              + ": an identity token needs a registry with a token service, this one asks for"
              + " Basic authentication");
        }
        Authorization a =
            Authorization.fromBasicCredentials(cr.get().username(), cr.get().password());
        verifyBasic(cr.get(), a);
        return a;
      }
      default: {
        String scope = "repository:" + repository + ":" + (access == Access.PUSH ? "pull,push" : "pull");
        if (mountFrom != null && !mountFrom.equals(repository)) {
          scope += " repository:" + mountFrom + ":pull";
        }
        Token t = tokens.get(scope);
        if (t == null || Instant.now().isAfter(t.expires())) {
          t = fetchToken(c, repository, scope);
          tokens.put(scope, t);
        }
        return t.authorization();
      }
    }
  }

  /**
   * Reacts to a 401 answer: forgets cached tokens so the next {@link #authorization} asks the token
   * service again, and adopts the answer's challenge when it names one (a registry that let {@code
   * /v2/} through anonymously may still want authentication for a repository).
   *
   * @param wwwAuthenticate the {@code WWW-Authenticate} header of the 401 answer, or null
   * @return whether asking again can help; false when the registry's Basic authentication (or
   *     anonymous access) was already refused
   */
  public boolean invalidate(String wwwAuthenticate) {
    Challenge c = challenge;
    if (c == null) {
      return false;
    }
    Challenge fresh = parseChallenge(wwwAuthenticate);
    switch (c.scheme()) {
      case NONE:
        if (fresh == null) {
          return false;
        }
        challenge = fresh;
        return true;
      case BEARER:
        tokens.clear();
        if (fresh != null && fresh.scheme() == Scheme.BEARER) {
          challenge = fresh;
        }
        return true;
      default:
        return false;
    }
  }

  private Challenge challenge() throws IOException {
    Challenge c = challenge;
    if (c != null) {
      return c;
    }
    synchronized (this) {
      if (challenge != null) {
        return challenge;
      }
      URL url = new URL("https://" + apiHost + "/v2/");
      try {
        http.get(url, request(null)).close();
        c = new Challenge(Scheme.NONE, null, null);
      } catch (ResponseException e) {
        if (e.getStatusCode() != 401) {
          throw e;
        }
        c = parseChallenge(HttpSupport.header(e, "WWW-Authenticate"));
        if (c == null) {
          throw new RegistryException("connecting to " + registry
              + ": the registry wants authentication but names no method it supports"
              + " (WWW-Authenticate: " + HttpSupport.header(e, "WWW-Authenticate") + ")");
        }
      }
      challenge = c;
      return c;
    }
  }

  private void verifyBasic(Credentials cr, Authorization a) throws IOException {
    if (Boolean.TRUE.equals(verifiedBasic.get(cr))) {
      return;
    }
    URL url = new URL("https://" + apiHost + "/v2/");
    try {
      http.get(url, request(a)).close();
      verifiedBasic.put(cr, Boolean.TRUE);
    } catch (ResponseException e) {
      if (e.getStatusCode() == 401 || e.getStatusCode() == 403) {
        throw new AuthenticationFailedException(registry, e);
      }
      throw e;
    }
  }

  private Token fetchToken(Challenge c, String repository, String scope) throws IOException {
    Optional<Credentials> cr = credentials(repository);
    Response response;
    try {
      if (cr.isPresent() && cr.get().identityToken().isPresent()) {
        String form = "grant_type=refresh_token"
            + "&service=" + enc(c.service())
            + "&scope=" + enc(scope)
            + "&client_id=ostree4j"
            + "&refresh_token=" + enc(cr.get().identityToken().get());
        Request req = Request.builder()
            .setUserAgent(userAgent)
            .setHttpTimeout(timeoutMillis)
            .setBody(new BlobHttpContent(Blobs.from(form), "application/x-www-form-urlencoded"))
            .build();
        response = http.post(new URL(c.realm()), req);
      } else {
        StringBuilder q = new StringBuilder(c.realm());
        q.append(c.realm().indexOf('?') >= 0 ? '&' : '?');
        q.append("service=").append(enc(c.service()));
        for (String s : scope.split(" ")) {
          q.append("&scope=").append(enc(s));
        }
        Authorization basic = cr.isPresent()
            ? Authorization.fromBasicCredentials(cr.get().username(), cr.get().password())
            : null;
        if (cr.isPresent()) {
          q.append("&account=").append(enc(cr.get().username()));
        }
        response = http.get(new URL(q.toString()), request(basic));
      }
    } catch (ResponseException e) {
      if (e.getStatusCode() == 401 || e.getStatusCode() == 403) {
        throw new AuthenticationFailedException(registry, e);
      }
      throw e;
    }
    try (Response r = response) {
      byte[] body = HttpSupport.readBounded(r.getBody(), MAX_TOKEN_RESPONSE, "token response");
      JsonNode n = Json.MAPPER.readTree(body);
      String token = n.path("token").asText("");
      if (token.isEmpty()) {
        token = n.path("access_token").asText("");
      }
      if (token.isEmpty()) {
        throw new RegistryException("authenticating to " + registry
            + ": the token service answered without a token");
      }
      long expiresIn = n.path("expires_in").asLong(0);
      Duration life = Duration.ofSeconds(expiresIn);
      if (life.compareTo(MIN_TOKEN_LIFETIME) < 0) {
        life = MIN_TOKEN_LIFETIME;
      }
      // renew a little early, so that a token does not expire between check and use
      Instant expires = Instant.now().plus(life).minusSeconds(10);
      return new Token(Authorization.fromBearerToken(token), expires);
    } catch (RegistryException e) {
      throw e;
    } catch (IOException e) {
      throw new RegistryException("authenticating to " + registry
          + ": unreadable token response: " + e.getMessage(), e);
    }
  }

  private Request request(Authorization a) {
    return Request.builder()
        .setUserAgent(userAgent)
        .setHttpTimeout(timeoutMillis)
        .setAuthorization(a)
        .setAccept(List.of("application/json"))
        .build();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8);
  }

  /**
   * Parses a {@code WWW-Authenticate} header.
   *
   * @param header the header value
   * @return the challenge, or null when it names neither Basic nor Bearer
   */
  static Challenge parseChallenge(String header) {
    if (header == null) {
      return null;
    }
    String h = header.strip();
    String lower = h.toLowerCase(java.util.Locale.ROOT);
    if (lower.startsWith("basic")) {
      return new Challenge(Scheme.BASIC, null, null);
    }
    if (!lower.startsWith("bearer ")) {
      return null;
    }
    Map<String, String> params = parseParams(h.substring("bearer ".length()));
    String realm = params.get("realm");
    if (realm == null || realm.isEmpty()) {
      return null;
    }
    return new Challenge(Scheme.BEARER, realm, params.get("service"));
  }

  /** Parses {@code k="v", k2=v2} auth parameters (quoted strings may contain commas). */
  static Map<String, String> parseParams(String s) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    int i = 0;
    int n = s.length();
    while (i < n) {
      while (i < n && (s.charAt(i) == ',' || Character.isWhitespace(s.charAt(i)))) {
        i++;
      }
      int eq = s.indexOf('=', i);
      if (eq < 0) {
        break;
      }
      String key = s.substring(i, eq).strip().toLowerCase(java.util.Locale.ROOT);
      i = eq + 1;
      StringBuilder v = new StringBuilder();
      if (i < n && s.charAt(i) == '"') {
        i++;
        while (i < n && s.charAt(i) != '"') {
          if (s.charAt(i) == '\\' && i + 1 < n) {
            i++;
          }
          v.append(s.charAt(i));
          i++;
        }
        i++; // closing quote
      } else {
        while (i < n && s.charAt(i) != ',') {
          v.append(s.charAt(i));
          i++;
        }
      }
      out.put(key, v.toString().strip());
    }
    return out;
  }
}
