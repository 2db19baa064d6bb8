package io.github.ostree4j.deploy.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * A FleetLock client (the protocol of Zincati, airlock and poseidon/fleetlock): {@code POST
 * BASE/v1/pre-reboot} takes a reboot slot (a recursive lock owned by the node), {@code POST
 * BASE/v1/steady-state} gives it back (unlock if held). Both carry the header {@code
 * fleet-lock-protocol: true} and the body {@code {"client_params":{"id":ID,"group":GROUP}}}. Any
 * 2xx answer is a success; anything else a refusal, whose JSON body {@code {"kind","value"}} is
 * reported. Redirects are not followed.
 *
 * <p>Unlike Zincati, a base URL without a trailing {@code /} is taken as a directory: {@code
 * http://h/lock} and {@code http://h/lock/} both lead to {@code http://h/lock/v1/pre-reboot}.
 */
public final class FleetLockClient {

  /** The lock endpoint, relative to the base URL. */
  public static final String PRE_REBOOT = "v1/pre-reboot";
  /** The unlock endpoint, relative to the base URL. */
  public static final String STEADY_STATE = "v1/steady-state";
  /** The protocol header. */
  public static final String PROTOCOL_HEADER = "fleet-lock-protocol";

  private static final ObjectMapper JSON = new ObjectMapper();
  /** Bytes of an answer read: the protocol's error documents are small. */
  private static final int MAX_ANSWER = 64 * 1024;
  /** One HTTP client for all requests: it owns a selector thread. */
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(30))
      .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1).build();

  private final URI base;
  private final String body;
  private final Duration timeout;

  /**
   * The answer of the server.
   *
   * @param endpoint the URL called
   * @param status the HTTP status
   * @param kind the error kind of a refusal ({@code generic_http_NNN} when the body has none)
   * @param value the error text of a refusal
   */
  public record Answer(URI endpoint, int status, String kind, String value) {

    /** Whether the server granted the request (2xx). */
    public boolean ok() {
      return status >= 200 && status < 300;
    }
  }

  /**
   * A client.
   *
   * @param baseUrl the base URL, http or https
   * @param id the node id
   * @param group the reboot group
   * @param timeout the request timeout (connecting times out after 30 s)
   * @throws IllegalArgumentException when the URL is not an absolute http(s) URL
   */
  public FleetLockClient(String baseUrl, String id, String group, Duration timeout) {
    this.base = directory(baseUrl);
    ObjectNode root = JSON.createObjectNode();
    root.putObject("client_params").put("id", Objects.requireNonNull(id, "id"))
        .put("group", Objects.requireNonNull(group, "group"));
    this.body = root.toString();
    this.timeout = timeout;
  }

  /**
   * Checks a base URL and makes its path end with {@code /}.
   *
   * @param baseUrl the URL
   * @return the URL as a directory
   * @throws IllegalArgumentException when it is not an absolute http(s) URL with a host
   */
  public static URI directory(String baseUrl) {
    URI u;
    try {
      u = new URI(baseUrl);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a URL: " + e.getMessage(), e);
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(java.util.Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || u.getHost() == null) {
      throw new IllegalArgumentException("not an http or https URL: " + baseUrl);
    }
    if (u.getRawQuery() != null || u.getRawFragment() != null) {
      throw new IllegalArgumentException("a base URL has no query or fragment: " + baseUrl);
    }
    String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
    if (!path.endsWith("/")) {
      path += "/";
    }
    return URI.create(scheme + "://" + u.getRawAuthority() + path);
  }

  /** The base URL, ending with {@code /}. */
  public URI base() {
    return base;
  }

  /** The request body sent to both endpoints. */
  public String body() {
    return body;
  }

  /**
   * Asks for a reboot slot.
   *
   * @return the answer
   * @throws IOException when the server cannot be reached or does not answer
   */
  public Answer preReboot() throws IOException {
    return post(PRE_REBOOT);
  }

  /**
   * Gives the reboot slot back.
   *
   * @return the answer
   * @throws IOException when the server cannot be reached or does not answer
   */
  public Answer steadyState() throws IOException {
    return post(STEADY_STATE);
  }

  private Answer post(String endpoint) throws IOException {
    URI url = base.resolve(endpoint);
    HttpRequest req = HttpRequest.newBuilder(url).timeout(timeout)
        .header(PROTOCOL_HEADER, "true")
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
        .build();
    HttpResponse<InputStream> resp;
    try {
      resp = HTTP.send(req, HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("POST " + url + ": interrupted");
    } catch (HttpConnectTimeoutException e) {
      throw new IOException("POST " + url + ": connection timed out after " + timeout.toSeconds() + " s", e);
    } catch (HttpTimeoutException e) {
      throw new IOException("POST " + url + ": no answer within " + timeout.toSeconds() + " s", e);
    } catch (ConnectException e) {
      throw new IOException("POST " + url + ": connection refused", e);
    } catch (IOException e) {
      throw new IOException("POST " + url + ": " + (e.getMessage() == null
          ? e.getClass().getSimpleName() : e.getMessage()), e);
    }
    int status = resp.statusCode();
    byte[] answer;
    try (InputStream in = resp.body()) {
      answer = in.readNBytes(MAX_ANSWER);
    } catch (IOException e) {
      answer = new byte[0];
    }
    if (status >= 200 && status < 300) {
      return new Answer(url, status, "", "");
    }
    String kind = "generic_http_" + status;
    String value = "(unknown server error)";
    try {
      JsonNode n = JSON.readTree(answer);
      if (n != null && n.path("kind").isTextual()) {
        kind = n.get("kind").asText();
        value = n.path("value").asText(value);
      }
    } catch (IOException e) {
      // not the protocol's error document: keep the generic kind
    }
    return new Answer(url, status, kind, value);
  }
}
