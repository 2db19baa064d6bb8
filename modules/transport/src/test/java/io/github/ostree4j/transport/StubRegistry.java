package io.github.ostree4j.transport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.ostree4j.oci.Digest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An in-memory registry speaking enough of the distribution API for protocol tests: optional
 * Bearer token authentication (with a token service on the same server) or Basic, blob HEAD/GET,
 * manifest GET/PUT, uploads (POST, PATCH, PUT) with mounts, and injected failures.
 */
final class StubRegistry implements AutoCloseable {

  enum Auth { NONE, BASIC, BEARER }

  /** One request as seen by the stub (URI decoded). */
  record Seen(String method, String uri, String authorization) {}

  private static final Pattern BLOB = Pattern.compile("/v2/(.+)/blobs/(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})");
  private static final Pattern MANIFEST = Pattern.compile("/v2/(.+)/manifests/([^/]+)");
  private static final Pattern UPLOADS = Pattern.compile("/v2/(.+)/blobs/uploads/");
  private static final Pattern UPLOAD = Pattern.compile("/v2/(.+)/blobs/uploads/([a-f0-9-]+)");

  final Auth auth;
  final String user;
  final String password;
  final String refreshToken = "refresh-me";
  private final HttpServer server;
  private final java.net.ServerSocket front;
  private final AtomicInteger tokenCounter = new AtomicInteger();
  final Map<String, byte[]> blobs = new ConcurrentHashMap<>(); // repo + " " + digest
  final Map<String, byte[]> manifests = new ConcurrentHashMap<>(); // repo + " " + ref
  final Map<String, String> manifestTypes = new ConcurrentHashMap<>();
  private final Map<String, ByteArrayOutputStream> uploads = new ConcurrentHashMap<>();
  final List<Seen> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
  final List<String> tokenScopes = new java.util.concurrent.CopyOnWriteArrayList<>();
  /** Status codes to answer instead of handling, for requests whose "METHOD URI" contains the key. */
  final Map<String, Deque<Integer>> failures = new ConcurrentHashMap<>();
  /** When set, manifests are served with these bytes instead of the stored ones. */
  volatile byte[] corruptManifest;
  /** When set, blobs are served with these bytes instead of the stored ones. */
  volatile byte[] corruptBlob;
  /** When set, only this blob is served corrupted. */
  volatile String corruptDigest;
  /** When set, {@code GET /v2/} answers 200 without authentication. */
  volatile boolean openPing;
  /** When set, the Content-Type sent with manifests. */
  volatile String manifestContentType;
  private final Map<String, Boolean> validTokens = new ConcurrentHashMap<>();

  StubRegistry(Auth auth, String user, String password) throws IOException {
    this.auth = auth;
    this.user = user;
    this.password = password;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "stub-registry");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/", this::handle);
    server.start();
    front = new java.net.ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::acceptLoop, "stub-registry-front");
    t.setDaemon(true);
    t.start();
  }

  String host() {
    return "127.0.0.1:" + front.getLocalPort();
  }

  /**
   * Answers a TLS hello on the plain-HTTP port with "400 Bad Request", as Go's HTTP server (and so
   * docker-registry) does; the JDK server would wait for a request line forever. Other connections
   * are passed to the HTTP server.
   */
  private void acceptLoop() {
    while (!front.isClosed()) {
      java.net.Socket client;
      try {
        client = front.accept();
      } catch (IOException e) {
        return;
      }
      Thread t = new Thread(() -> serve(client), "stub-registry-conn");
      t.setDaemon(true);
      t.start();
    }
  }

  private void serve(java.net.Socket client) {
    try (java.net.Socket c = client) {
      InputStream in = c.getInputStream();
      int first = in.read();
      if (first < 0) {
        return;
      }
      if (first == 0x16) {
        c.getOutputStream().write(
            "HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n"
                .getBytes(StandardCharsets.US_ASCII));
        return;
      }
      try (java.net.Socket backend = new java.net.Socket(InetAddress.getLoopbackAddress(),
          server.getAddress().getPort())) {
        OutputStream toBackend = backend.getOutputStream();
        toBackend.write(first);
        Thread up = new Thread(() -> pump(in, toBackend, backend), "stub-registry-up");
        up.setDaemon(true);
        up.start();
        pump(backend.getInputStream(), c.getOutputStream(), c);
        up.join(1000);
      }
    } catch (IOException | InterruptedException e) {
      // connection closed
    }
  }

  private static void pump(InputStream in, OutputStream out, java.net.Socket outSocket) {
    byte[] buf = new byte[65536];
    try {
      int n;
      while ((n = in.read(buf)) >= 0) {
        out.write(buf, 0, n);
        out.flush();
      }
      outSocket.shutdownOutput();
    } catch (IOException e) {
      // one side closed
    }
  }

  void failNext(String pathFragment, int... codes) {
    Deque<Integer> q = failures.computeIfAbsent(pathFragment, k -> new ConcurrentLinkedDeque<>());
    for (int c : codes) {
      q.add(c);
    }
  }

  void putBlob(String repo, byte[] data) {
    blobs.put(repo + " " + Digest.sha256(data), data);
  }

  void putManifest(String repo, String ref, byte[] data, String mediaType) {
    manifests.put(repo + " " + ref, data);
    manifests.put(repo + " " + Digest.sha256(data), data);
    manifestTypes.put(repo + " " + Digest.sha256(data), mediaType);
  }

  long count(String method, String pathFragment) {
    return seen.stream().filter(s -> s.method().equals(method) && s.uri().contains(pathFragment)).count();
  }

  @Override
  public void close() {
    try {
      front.close();
    } catch (IOException e) {
      // closing anyway
    }
    server.stop(0);
  }

  private void handle(HttpExchange ex) throws IOException {
    // recorded before answering, so that a client that got its answer sees the request here
    seen.add(new Seen(ex.getRequestMethod(),
        URLDecoder.decode(ex.getRequestURI().getRawPath()
            + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery()),
            StandardCharsets.UTF_8),
        ex.getRequestHeaders().getFirst("Authorization")));
    try {
      dispatch(ex);
    } catch (RuntimeException e) {
      respond(ex, 500, "text/plain", e.toString().getBytes(StandardCharsets.UTF_8));
    }
    ex.close();
  }

  private int dispatch(HttpExchange ex) throws IOException {
    String method = ex.getRequestMethod();
    String path = ex.getRequestURI().getPath();
    byte[] body = readAll(ex.getRequestBody());
    for (Map.Entry<String, Deque<Integer>> f : failures.entrySet()) {
      if ((method + " " + ex.getRequestURI()).contains(f.getKey())) {
        Integer code = f.getValue().poll();
        if (code != null) {
          if (code == 429) {
            ex.getResponseHeaders().set("Retry-After", "0");
          }
          return error(ex, code, "UNAVAILABLE", "injected failure");
        }
      }
    }
    if (path.equals("/token")) {
      return token(ex, method, body);
    }
    if (openPing && (path.equals("/v2/") || path.equals("/v2"))) {
      return respond(ex, 200, "application/json", "{}".getBytes(StandardCharsets.UTF_8));
    }
    if (!authorized(ex)) {
      if (auth == Auth.BEARER) {
        ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"http://" + host()
            + "/token\",service=\"stub-registry\"");
      } else {
        ex.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"stub\"");
      }
      return error(ex, 401, "UNAUTHORIZED", "authentication required");
    }
    if (path.equals("/v2/") || path.equals("/v2")) {
      return respond(ex, 200, "application/json", "{}".getBytes(StandardCharsets.UTF_8));
    }
    Matcher m;
    if ((m = UPLOAD.matcher(path)).matches()) {
      String id = m.group(2);
      ByteArrayOutputStream buf = uploads.get(id);
      if (buf == null) {
        return error(ex, 404, "BLOB_UPLOAD_UNKNOWN", "upload unknown");
      }
      buf.write(body);
      if (method.equals("PATCH")) {
        ex.getResponseHeaders().set("Location", path);
        ex.getResponseHeaders().set("Range", "0-" + Math.max(0, buf.size() - 1));
        return respond(ex, 202, null, new byte[0]);
      }
      if (method.equals("PUT")) {
        String digest = query(ex).get("digest");
        byte[] data = buf.toByteArray();
        if (digest == null || !Digest.sha256(data).toString().equals(digest)) {
          return error(ex, 400, "DIGEST_INVALID", "provided digest did not match uploaded content");
        }
        uploads.remove(id);
        blobs.put(m.group(1) + " " + digest, data);
        ex.getResponseHeaders().set("Docker-Content-Digest", digest);
        return respond(ex, 201, null, new byte[0]);
      }
    }
    if ((m = UPLOADS.matcher(path)).matches() && method.equals("POST")) {
      Map<String, String> q = query(ex);
      String repo = m.group(1);
      if (q.containsKey("mount") && q.containsKey("from")
          && blobs.containsKey(q.get("from") + " " + q.get("mount"))) {
        blobs.put(repo + " " + q.get("mount"), blobs.get(q.get("from") + " " + q.get("mount")));
        ex.getResponseHeaders().set("Location", "/v2/" + repo + "/blobs/" + q.get("mount"));
        return respond(ex, 201, null, new byte[0]);
      }
      String id = UUID.randomUUID().toString();
      uploads.put(id, new ByteArrayOutputStream());
      ex.getResponseHeaders().set("Location", "http://" + host() + "/v2/" + repo + "/blobs/uploads/" + id);
      return respond(ex, 202, null, new byte[0]);
    }
    if ((m = BLOB.matcher(path)).matches()) {
      byte[] data = blobs.get(m.group(1) + " " + m.group(2));
      if (data == null) {
        return error(ex, 404, "BLOB_UNKNOWN", "blob unknown to registry");
      }
      if (corruptBlob != null && (corruptDigest == null || corruptDigest.equals(m.group(2)))) {
        data = corruptBlob;
      }
      ex.getResponseHeaders().set("Docker-Content-Digest", m.group(2));
      if (method.equals("HEAD")) {
        ex.getResponseHeaders().set("Content-Length", Long.toString(data.length));
        ex.sendResponseHeaders(200, -1);
        return 200;
      }
      return respond(ex, 200, "application/octet-stream", data);
    }
    if ((m = MANIFEST.matcher(path)).matches()) {
      String key = m.group(1) + " " + m.group(2);
      if (method.equals("PUT")) {
        String ct = ex.getRequestHeaders().getFirst("Content-Type");
        putManifest(m.group(1), m.group(2), body, ct);
        ex.getResponseHeaders().set("Docker-Content-Digest", Digest.sha256(body).toString());
        return respond(ex, 201, null, new byte[0]);
      }
      byte[] data = manifests.get(key);
      if (data == null) {
        return error(ex, 404, "MANIFEST_UNKNOWN", "manifest unknown");
      }
      String type = manifestTypes.get(m.group(1) + " " + Digest.sha256(data));
      ex.getResponseHeaders().set("Docker-Content-Digest", Digest.sha256(data).toString());
      if (corruptManifest != null) {
        data = corruptManifest;
      }
      return respond(ex, 200, manifestContentType != null ? manifestContentType : type, data);
    }
    return error(ex, 404, "NOT_FOUND", "no route " + method + " " + path);
  }

  private boolean authorized(HttpExchange ex) {
    String a = ex.getRequestHeaders().getFirst("Authorization");
    switch (auth) {
      case NONE:
        return true;
      case BASIC:
        return a != null && a.equals(basic(user, password));
      default:
        return a != null && a.startsWith("Bearer ") && validTokens.containsKey(a.substring(7));
    }
  }

  private int token(HttpExchange ex, String method, byte[] body) throws IOException {
    Map<String, String> params;
    if (method.equals("POST")) {
      params = parseForm(new String(body, StandardCharsets.UTF_8));
      if (!"refresh_token".equals(params.get("grant_type"))
          || !refreshToken.equals(params.get("refresh_token"))) {
        return error(ex, 401, "UNAUTHORIZED", "bad refresh token");
      }
    } else {
      params = query(ex);
      String a = ex.getRequestHeaders().getFirst("Authorization");
      if (user != null && (a == null || !a.equals(basic(user, password)))) {
        return error(ex, 401, "UNAUTHORIZED", "bad credentials");
      }
    }
    for (String s : ex.getRequestURI().getRawQuery() == null ? new String[0]
        : ex.getRequestURI().getRawQuery().split("&")) {
      if (s.startsWith("scope=")) {
        tokenScopes.add(URLDecoder.decode(s.substring(6), StandardCharsets.UTF_8));
      }
    }
    if (params.containsKey("scope") && method.equals("POST")) {
      tokenScopes.add(params.get("scope"));
    }
    String token = "tok-" + tokenCounter.incrementAndGet();
    validTokens.put(token, true);
    String json = method.equals("POST")
        ? "{\"access_token\":\"" + token + "\",\"expires_in\":300}"
        : "{\"token\":\"" + token + "\",\"expires_in\":300}";
    return respond(ex, 200, "application/json", json.getBytes(StandardCharsets.UTF_8));
  }

  /** Makes every token issued so far invalid, as if they had expired. */
  void expireTokens() {
    validTokens.clear();
  }

  static String basic(String u, String p) {
    return "Basic " + Base64.getEncoder().encodeToString((u + ":" + p).getBytes(StandardCharsets.UTF_8));
  }

  private static Map<String, String> query(HttpExchange ex) {
    String q = ex.getRequestURI().getRawQuery();
    return q == null ? Map.of() : parseForm(q);
  }

  private static Map<String, String> parseForm(String q) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String kv : q.split("&")) {
      int eq = kv.indexOf('=');
      if (eq > 0) {
        out.put(URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  private static int error(HttpExchange ex, int status, String code, String message) throws IOException {
    String json = "{\"errors\":[{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}]}";
    if (ex.getRequestMethod().equals("HEAD")) {
      ex.sendResponseHeaders(status, -1);
      return status;
    }
    return respond(ex, status, "application/json; charset=utf-8", json.getBytes(StandardCharsets.UTF_8));
  }

  private static int respond(HttpExchange ex, int status, String type, byte[] body) throws IOException {
    if (type != null) {
      ex.getResponseHeaders().set("Content-Type", type);
    }
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream os = ex.getResponseBody()) {
        os.write(body);
      }
    }
    return status;
  }

  private static byte[] readAll(InputStream in) throws IOException {
    return in.readAllBytes();
  }

  static List<String> lines(List<Seen> seen) {
    List<String> out = new ArrayList<>();
    for (Seen s : seen) {
      out.add(s.method() + " " + s.uri());
    }
    return out;
  }
}
