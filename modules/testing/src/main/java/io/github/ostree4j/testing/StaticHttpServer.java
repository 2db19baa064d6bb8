package io.github.ostree4j.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Serves a directory as static files over HTTP on {@code 127.0.0.1}, on a free port; used to
 * test {@code ostree pull} and ostree4j's pull against a repository published as plain files.
 *
 * <p>Behaviour: {@code GET} and {@code HEAD} of regular files (symlinks inside the root are
 * followed, but never out of it); {@code 404} for missing files and for directories (there is
 * no directory listing); {@code 403} for paths with a {@code ..} segment or escaping the root;
 * {@code 405} for other methods. Bodies are streamed from disk. Every request is recorded in
 * {@link #requests()}.
 *
 * <pre>{@code
 * try (StaticHttpServer http = StaticHttpServer.serve(repo)) {
 *   OstreeCli.run("--repo=" + local, "remote", "add", "--no-gpg-verify", "origin", http.url());
 *   ...
 *   assertTrue(http.requests().stream().anyMatch(r -> r.path().equals("/config")));
 * }
 * }</pre>
 */
public final class StaticHttpServer implements AutoCloseable {

  /**
   * One served request.
   *
   * @param method the HTTP method, e.g. {@code GET}
   * @param path the request path as sent (undecoded, without the query)
   * @param status the response status code
   * @param bytes the number of body bytes sent (0 for {@code HEAD})
   */
  public record Request(String method, String path, int status, long bytes) {}

  static {
    // Without TCP_NODELAY the JDK server's small responses meet the client's delayed ACKs, and a
    // pull of a few thousand objects takes tens of seconds instead of a few. The JDK reads this
    // property once, when the first server is created.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final Path root;
  private final Path realRoot;
  private final HttpServer server;
  private final ExecutorService executor;
  private final List<Request> log = new ArrayList<>();
  private int inFlight; // guarded by log

  private StaticHttpServer(Path root) throws IOException {
    this.root = root.toAbsolutePath().normalize();
    this.realRoot = this.root.toRealPath();
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    AtomicInteger n = new AtomicInteger();
    this.executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "static-http-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /**
   * Starts serving {@code root}.
   *
   * @param root an existing directory
   * @return the running server; close it when done
   * @throws UncheckedIOException when the directory does not exist or no port can be bound
   */
  public static StaticHttpServer serve(Path root) {
    if (!Files.isDirectory(root)) {
      throw new IllegalArgumentException("not a directory: " + root);
    }
    try {
      return new StaticHttpServer(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Returns the served directory.
   *
   * @return the absolute root directory
   */
  public Path root() {
    return root;
  }

  /**
   * Returns the port the server listens on.
   *
   * @return the TCP port on 127.0.0.1
   */
  public int port() {
    return server.getAddress().getPort();
  }

  /**
   * Returns the base URI, {@code http://127.0.0.1:PORT/}.
   *
   * @return the URI of the root directory
   */
  public URI uri() {
    return URI.create(url());
  }

  /**
   * Returns the base URL as a string, {@code http://127.0.0.1:PORT/}.
   *
   * @return the URL of the root directory
   */
  public String url() {
    return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + port() + "/";
  }

  /**
   * Returns a snapshot of the requests served so far, in completion order.
   *
   * @return an immutable copy of the request log
   */
  public List<Request> requests() {
    synchronized (log) {
      awaitIdle();
      return List.copyOf(log);
    }
  }

  /** Forgets the requests recorded so far. */
  public void clearRequests() {
    synchronized (log) {
      awaitIdle();
      log.clear();
    }
  }

  /**
   * Waits (holding the {@code log} monitor) until no request is being handled. A client may see a
   * complete response before the handler has logged it; the wait is bounded in case a client is
   * in the middle of a long download.
   */
  private void awaitIdle() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (inFlight > 0) {
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left <= 0) {
        return;
      }
      try {
        log.wait(left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Stops the server immediately and releases its threads. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "StaticHttpServer[" + url() + " -> " + root + "]";
  }

  private void handle(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String rawPath = exchange.getRequestURI().getRawPath();
    int status = 500;
    long bytes = 0;
    synchronized (log) {
      inFlight++;
    }
    try (exchange) {
      boolean head = method.equals("HEAD");
      if (!head && !method.equals("GET")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        status = 405;
        bytes = sendText(exchange, status, "method not allowed\n", false);
        return;
      }
      Path file = resolve(exchange.getRequestURI());
      if (file == null) {
        status = 403;
        bytes = sendText(exchange, status, "forbidden\n", head);
        return;
      }
      if (!Files.isRegularFile(file)) {
        status = 404;
        bytes = sendText(exchange, status, "not found\n", head);
        return;
      }
      long size = Files.size(file);
      exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
      status = 200;
      if (head) {
        exchange.getResponseHeaders().set("Content-Length", Long.toString(size));
        exchange.sendResponseHeaders(200, -1);
        return;
      }
      exchange.sendResponseHeaders(200, size == 0 ? -1 : size);
      try (InputStream in = Files.newInputStream(file);
          OutputStream out = exchange.getResponseBody()) {
        bytes = in.transferTo(out);
      }
    } finally {
      synchronized (log) {
        log.add(new Request(method, rawPath == null ? "" : rawPath, status, bytes));
        inFlight--;
        log.notifyAll();
      }
    }
  }

  /** Maps a request URI to a file under the root, or returns null when it must be refused. */
  private Path resolve(URI uri) throws IOException {
    String path = uri.getPath();
    if (path == null || !path.startsWith("/")) {
      return null;
    }
    String raw = uri.getRawPath();
    for (String segment : (raw + "/" + path).split("/")) {
      if (segment.equals("..") || segment.equalsIgnoreCase("%2e%2e")
          || segment.equalsIgnoreCase(".%2e") || segment.equalsIgnoreCase("%2e.")) {
        return null;
      }
    }
    if (path.indexOf('\0') >= 0 || path.contains("\\")) {
      return null;
    }
    Path candidate = root.resolve(path.substring(1)).normalize();
    if (!candidate.startsWith(root)) {
      return null;
    }
    if (!Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)) {
      return candidate;
    }
    try {
      Path real = candidate.toRealPath();
      return real.startsWith(realRoot) ? real : null;
    } catch (IOException e) {
      return candidate; // dangling symlink: reported as not found
    }
  }

  private static long sendText(HttpExchange exchange, int status, String text, boolean head)
      throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    if (head) {
      exchange.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
      exchange.sendResponseHeaders(status, -1);
      return 0;
    }
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
    return body.length;
  }
}
