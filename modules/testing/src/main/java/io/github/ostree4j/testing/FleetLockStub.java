package io.github.ostree4j.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A FleetLock server stub on {@code 127.0.0.1} (JDK HTTP server, free port) for agent tests: it
 * records every request (method, path, headers, body) and answers {@code POST .../v1/pre-reboot}
 * with 200 when slots are granted, else 409 with the protocol's error document {@code
 * {"kind":"failed_lock_semaphore_full","value":"..."}}; {@code POST .../v1/steady-state} with 200
 * (or 500 while {@link #failRelease(boolean)} is on).
 * Any other request gets 404. It does not check the body: tests assert on {@link #requests()}.
 *
 * <pre>{@code
 * try (FleetLockStub lock = FleetLockStub.start()) {
 *   lock.grant(false);
 *   ... // base URL lock.baseUrl()
 *   assertEquals(1, lock.requests("/v1/pre-reboot").size());
 * }
 * }</pre>
 */
public final class FleetLockStub implements AutoCloseable {

  /** The error kind of a refusal. */
  public static final String DENIED_KIND = "failed_lock_semaphore_full";

  /**
   * One request.
   *
   * @param method the method
   * @param path the path
   * @param headers the headers, names lowercase, first value each
   * @param body the body as text
   * @param status the status answered
   */
  public record Request(String method, String path, Map<String, String> headers, String body, int status) {

    /**
     * A header.
     *
     * @param name the name, any case
     * @return the value, or null
     */
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final List<Request> log = new ArrayList<>();
  private volatile boolean grant;
  private volatile boolean failRelease;

  private FleetLockStub() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    executor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "fleetlock-stub");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /**
   * Starts a stub that denies slots until {@link #grant(boolean)} says otherwise.
   *
   * @return the running stub
   */
  public static FleetLockStub start() {
    try {
      return new FleetLockStub();
    } catch (IOException e) {
      throw new UncheckedIOException("starting the FleetLock stub", e);
    }
  }

  /**
   * Whether {@code pre-reboot} requests are granted from now on.
   *
   * @param yes true to grant, false to deny
   */
  public void grant(boolean yes) {
    grant = yes;
  }

  /**
   * Whether {@code steady-state} requests fail (500 with {@code {"kind":"internal_error"}}) from now
   * on.
   *
   * @param yes true to fail them
   */
  public void failRelease(boolean yes) {
    failRelease = yes;
  }

  /** The base URL, {@code http://127.0.0.1:PORT/}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
  }

  /** Every request so far, in order. */
  public List<Request> requests() {
    synchronized (log) {
      return List.copyOf(log);
    }
  }

  /**
   * The requests whose path ends with {@code suffix}.
   *
   * @param suffix e.g. {@code /v1/pre-reboot}
   * @return them, in order
   */
  public List<Request> requests(String suffix) {
    return requests().stream().filter(r -> r.path().endsWith(suffix)).toList();
  }

  private void handle(HttpExchange ex) throws IOException {
    String body;
    try (InputStream in = ex.getRequestBody()) {
      body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Map<String, String> headers = new TreeMap<>();
    ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.get(0)));
    String path = ex.getRequestURI().getRawPath();
    int status;
    String answer = "";
    if (ex.getRequestMethod().equals("POST") && path.endsWith("/v1/pre-reboot")) {
      status = grant ? 200 : 409;
      if (!grant) {
        answer = "{\"kind\":\"" + DENIED_KIND + "\",\"value\":\"all reboot slots are taken\"}";
      }
    } else if (ex.getRequestMethod().equals("POST") && path.endsWith("/v1/steady-state")) {
      status = failRelease ? 500 : 200;
      if (failRelease) {
        answer = "{\"kind\":\"internal_error\",\"value\":\"the lock store is unavailable\"}";
      }
    } else {
      status = 404;
    }
    synchronized (log) {
      log.add(new Request(ex.getRequestMethod(), path, Map.copyOf(headers), body, status));
    }
    byte[] b = answer.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
    if (b.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(b);
      }
    }
    ex.close();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
