package io.github.ostree4j.transport.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.api.client.http.HttpTransport;
import com.google.api.client.http.apache.v2.ApacheHttpTransport;
import com.google.api.client.util.SslUtils;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.http.FailoverHttpClient;
import com.google.cloud.tools.jib.http.ResponseException;
import io.github.ostree4j.oci.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.net.ProxySelector;
import org.apache.http.conn.ssl.NoopHostnameVerifier;
import org.apache.http.impl.client.HttpClientBuilder;
import org.apache.http.impl.conn.SystemDefaultRoutePlanner;
import org.apache.http.conn.ssl.SSLConnectionSocketFactory;

/** Small helpers around jib's HTTP layer. */
public final class HttpSupport {

  private static final System.Logger LOG = System.getLogger("io.github.ostree4j.transport");

  private HttpSupport() {}

  /**
   * Creates jib's HTTP client for one registry.
   *
   * <p>With {@code tlsVerify} it only speaks verified HTTPS. Without, it falls back to HTTPS
   * without certificate checks and then to plain HTTP (remembering per host:port what worked), and
   * it sends credentials over plain HTTP: this is jib's per-client form of the {@code
   * sendCredentialsOverHttp} system property, so no global setting changes.
   *
   * <p>Two things differ from jib's public constructor, through its package-private one (when the
   * running jib has it):
   *
   * <ul>
   *   <li>jib's own retry of I/O errors (up to 10 exponential back-off rounds, about 45 s for a
   *       refused connection) is off, because {@link Retrier} retries a bounded number of times;
   *   <li>all requests share one pooled Apache HTTP client per TLS mode, instead of a new one per
   *       request, each of which keeps its kept-alive connection open until the client is shut
   *       down (one open socket per request made). Pooled connections idle for more than 2 s are
   *       checked before reuse, and closed after 30 s.
   * </ul>
   *
   * With a jib without that constructor, the public one is used, with jib's behaviour.
   *
   * @param tlsVerify whether TLS must be verified
   * @return the client
   */
  public static FailoverHttpClient newHttpClient(boolean tlsVerify) {
    Consumer<LogEvent> logger = HttpSupport::log;
    try {
      Constructor<FailoverHttpClient> c = FailoverHttpClient.class.getDeclaredConstructor(
          boolean.class, boolean.class, Consumer.class, Supplier.class, Supplier.class,
          boolean.class);
      c.setAccessible(true);
      Supplier<HttpTransport> insecure = memoize(HttpSupport::insecureTransport);
      // Without verification the certificate-checking attempt cannot change the outcome (the
      // unchecked one follows it): skip it, and with it the set-up of the system trust store.
      Supplier<HttpTransport> secure = tlsVerify ? memoize(HttpSupport::secureTransport) : insecure;
      return c.newInstance(!tlsVerify, !tlsVerify, logger, secure, insecure, false);
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.log(System.Logger.Level.DEBUG, "jib FailoverHttpClient without transport suppliers;"
          + " using its public constructor", e);
      return new FailoverHttpClient(!tlsVerify, !tlsVerify, logger);
    }
  }

  /**
   * Tells a client made by {@link #newHttpClient(boolean) newHttpClient(false)} that an endpoint
   * speaks plain HTTP, so that its requests go there directly instead of failing over from HTTPS
   * first. jib keeps what it learnt per {@code host:port} in a private map; this fills that map in
   * advance. When the running jib has no such map, nothing changes: the client still finds out by
   * itself.
   *
   * @param client the client
   * @param host the host as it appears in request URLs
   * @param port the port as it appears in request URLs
   * @return whether the client now goes to plain HTTP directly
   */
  public static boolean preferPlainHttp(FailoverHttpClient client, String host, int port) {
    try {
      java.lang.reflect.Field f = FailoverHttpClient.class.getDeclaredField("failoverHistory");
      f.setAccessible(true);
      @SuppressWarnings("unchecked")
      java.util.Map<String, Object> history = (java.util.Map<String, Object>) f.get(client);
      Class<?> failover = Class.forName(FailoverHttpClient.class.getName() + "$Failover");
      Object http = null;
      for (Object constant : failover.getEnumConstants()) {
        if (((Enum<?>) constant).name().equals("HTTP")) {
          http = constant;
        }
      }
      if (http == null) {
        return false;
      }
      history.put(host + ":" + port, http);
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.log(System.Logger.Level.DEBUG, "cannot preset plain HTTP for " + host + ":" + port, e);
      return false;
    }
  }

  /**
   * The settings of {@code ApacheHttpTransport.newDefaultHttpClientBuilder()}, except that no TLS
   * socket factory is made: that one builds the default TLS context right away.
   */
  private static HttpClientBuilder httpClientBuilder() {
    return HttpClientBuilder.create()
        .useSystemProperties()
        .setMaxConnTotal(200)
        .setMaxConnPerRoute(20)
        .setConnectionTimeToLive(-1, TimeUnit.MILLISECONDS)
        .setRoutePlanner(new SystemDefaultRoutePlanner(ProxySelector.getDefault()))
        .disableRedirectHandling()
        .disableAutomaticRetries();
  }

  private static HttpTransport secureTransport() {
    return new ApacheHttpTransport(httpClientBuilder()
        // the system socket factory honours javax.net.ssl.* (client certificates, trust stores)
        .setSSLSocketFactory(new LazyTlsSocketFactory(SSLConnectionSocketFactory::getSystemSocketFactory))
        .evictIdleConnections(30, TimeUnit.SECONDS)
        .evictExpiredConnections()
        .build());
  }

  private static HttpTransport insecureTransport() {
    return new ApacheHttpTransport(httpClientBuilder()
        .setSSLSocketFactory(new LazyTlsSocketFactory(() -> {
          try {
            return new SSLConnectionSocketFactory(SslUtils.trustAllSSLContext(),
                NoopHostnameVerifier.INSTANCE);
          } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is not available", e);
          }
        }))
        .evictIdleConnections(30, TimeUnit.SECONDS)
        .evictExpiredConnections()
        .build());
  }

  private static <T> Supplier<T> memoize(Supplier<T> s) {
    return new Supplier<>() {
      private T value;

      @Override
      public synchronized T get() {
        if (value == null) {
          value = s.get();
        }
        return value;
      }
    };
  }

  /**
   * Sends a jib log event to the JDK platform logger.
   *
   * @param e the event
   */
  public static void log(LogEvent e) {
    System.Logger.Level level;
    switch (e.getLevel()) {
      case ERROR:
      case WARN:
        level = System.Logger.Level.DEBUG; // jib's warnings are handled and reported by callers
        break;
      default:
        level = System.Logger.Level.TRACE;
    }
    LOG.log(level, e.getMessage());
  }

  /**
   * Reads a stream fully, failing when it is longer than a bound.
   *
   * @param in the stream
   * @param max the largest accepted length
   * @param what what is read, for the message
   * @return the bytes
   * @throws IOException when reading fails or the stream is too long
   */
  public static byte[] readBounded(InputStream in, int max, String what) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    byte[] chunk = new byte[16384];
    int n;
    while ((n = in.read(chunk)) >= 0) {
      if (buf.size() + n > max) {
        throw new IOException(what + ": larger than " + max + " bytes");
      }
      buf.write(chunk, 0, n);
    }
    return buf.toByteArray();
  }

  /**
   * The first value of a response header of a failed request.
   *
   * @param e the failure
   * @param name the header name
   * @return the value, or null
   */
  public static String header(ResponseException e, String name) {
    return e.getHeaders() == null ? null : e.getHeaders().getFirstHeaderStringValue(name);
  }

  /**
   * The distribution API error codes and messages of a failed request, e.g. {@code
   * MANIFEST_UNKNOWN: manifest unknown}.
   *
   * @param e the failure
   * @return a short summary, or empty when the body has none
   */
  public static String errorSummary(ResponseException e) {
    String content = e.getContent();
    if (content == null || content.isBlank()) {
      return "";
    }
    try {
      JsonNode n = Json.MAPPER.readTree(content);
      List<String> parts = new ArrayList<>();
      for (JsonNode err : n.path("errors")) {
        String code = err.path("code").asText("");
        String msg = err.path("message").asText("");
        parts.add(code.isEmpty() ? msg : msg.isEmpty() ? code : code + ": " + msg);
      }
      return String.join("; ", parts);
    } catch (IOException | RuntimeException ex) {
      String oneLine = content.strip().replaceAll("\\s+", " ");
      return oneLine.length() > 200 ? oneLine.substring(0, 200) + "…" : oneLine;
    }
  }

  /**
   * Whether a failed request's body names one of the given distribution API error codes.
   *
   * @param e the failure
   * @param codes codes such as {@code MANIFEST_UNKNOWN}
   * @return true when one of them is present
   */
  public static boolean hasErrorCode(ResponseException e, String... codes) {
    String content = e.getContent();
    if (content == null) {
      return false;
    }
    try {
      for (JsonNode err : Json.MAPPER.readTree(content).path("errors")) {
        String code = err.path("code").asText("");
        for (String c : codes) {
          if (c.equals(code)) {
            return true;
          }
        }
      }
    } catch (IOException | RuntimeException ex) {
      return false;
    }
    return false;
  }
}
