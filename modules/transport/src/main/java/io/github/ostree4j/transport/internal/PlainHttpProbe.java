package io.github.ostree4j.transport.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Finds out, with one plain-text request, whether a registry endpoint speaks plain HTTP.
 *
 * <p>With TLS verification off, the HTTP client tries HTTPS first and falls back to plain HTTP
 * after the TLS handshake fails. Setting up TLS and failing the handshake costs a JVM a sizeable
 * part of a second (the TLS classes are loaded and initialised only for this), which dominates
 * short copies from local registries. This probe sends {@code GET /v2/} as plain HTTP on a raw
 * socket instead: only a distribution API answer ({@code 200} or {@code 401}, the two answers the
 * API defines for that request) counts as plain HTTP. An HTTPS endpoint answers plain text with
 * a TLS alert, a {@code 400} or by closing the connection; any such answer, a timeout or an
 * error leaves the decision to the usual HTTPS-first sequence.
 */
public final class PlainHttpProbe {

  private static final Pattern REGISTRY_ANSWER = Pattern.compile("HTTP/1\\.[01] (200|401)( .*)?");

  private PlainHttpProbe() {}

  /**
   * Whether {@code host:port} answers a plain-HTTP {@code GET /v2/} like a registry.
   *
   * @param host the host name or address (IPv6 literals with or without brackets)
   * @param port the port
   * @param timeoutMillis bound for connecting and for the answer
   * @return true only for a plain-HTTP registry answer
   */
  public static boolean speaksPlainHttp(String host, int port, int timeoutMillis) {
    String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(bare, port), timeoutMillis);
      s.setSoTimeout(timeoutMillis);
      OutputStream out = s.getOutputStream();
      out.write(("GET /v2/ HTTP/1.1\r\nHost: " + host + ":" + port
          + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return REGISTRY_ANSWER.matcher(statusLine(s.getInputStream())).matches();
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** The first line of the answer (at most 128 bytes), without the line end. */
  private static String statusLine(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    int c;
    while (sb.length() < 128 && (c = in.read()) >= 0 && c != '\n') {
      if (c != '\r') {
        sb.append((char) c);
      }
    }
    return sb.toString();
  }
}
