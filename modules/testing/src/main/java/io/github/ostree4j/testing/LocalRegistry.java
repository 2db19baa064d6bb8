package io.github.ostree4j.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real registry for tests: the {@code docker-registry} program (distribution 2.8, Debian
 * package {@code docker-registry}) serving plain HTTP on {@code 127.0.0.1} on a free port, with
 * filesystem storage in a temporary directory and optionally htpasswd (Basic) authentication.
 *
 * <pre>{@code
 * try (LocalRegistry reg = LocalRegistry.start()) {
 *   String image = "docker://" + reg.host() + "/test/image:latest";   // plain HTTP: --tls-verify=false
 *   ...
 *   assertTrue(reg.awaitLogLine(l -> l.contains("mount="), Duration.ofSeconds(5)));
 * }
 * }</pre>
 *
 * <p>The registry's request log (its standard output and error) is collected in {@link
 * #logLines()}; a request's line may arrive just after its response, see {@link
 * #awaitLogLine(Predicate, Duration)}. {@link #stop()} stops the process and {@link #restart()}
 * starts it again on the same port with the same storage, for tests of outages. {@link #close()}
 * stops it and deletes the storage. A missing {@code docker-registry} (or, for authentication,
 * {@code htpasswd} from {@code apache2-utils}) skips the test, or fails it when {@code CI=true}
 * (see {@link Peers}).
 */
public final class LocalRegistry implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  private final Path program;
  private final Path dir;
  private final Path config;
  private final int port;
  private final String user;
  private final String password;
  private final Path certificate;
  private final List<String> log = new ArrayList<>();
  private Process process;
  private Thread reader;

  private LocalRegistry(Path program, Path htpasswdProgram, Path dir, int port, String user,
      String password, boolean tls) throws IOException {
    this.program = program;
    this.dir = dir;
    this.port = port;
    this.user = user;
    this.password = password;
    Path storage = Files.createDirectories(dir.resolve("storage"));
    StringBuilder yaml = new StringBuilder();
    yaml.append("version: 0.1\n")
        .append("log:\n  level: info\n  formatter: text\n  accesslog:\n    disabled: false\n")
        .append("storage:\n  filesystem:\n    rootdirectory: ").append(storage).append('\n')
        .append("  delete:\n    enabled: true\n")
        .append("http:\n  addr: 127.0.0.1:").append(port).append('\n')
        .append("  secret: ").append(randomHex()).append('\n');
    if (tls) {
      Path key = dir.resolve("key.pem");
      this.certificate = dir.resolve("cert.pem");
      CmdResult r = Cmd.of(Peers.require("openssl").toString(), "req", "-x509", "-newkey",
          "rsa:2048", "-nodes", "-keyout", key.toString(), "-out", certificate.toString(),
          "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1").run();
      if (r.exitCode() != 0) {
        throw new AssertionError("openssl could not make a certificate: " + r.stderr());
      }
      yaml.append("  tls:\n    certificate: ").append(certificate)
          .append("\n    key: ").append(key).append('\n');
    } else {
      this.certificate = null;
    }
    if (user != null) {
      Path htpasswd = dir.resolve("htpasswd");
      Files.writeString(htpasswd, bcryptLine(htpasswdProgram, user, password));
      yaml.append("auth:\n  htpasswd:\n    realm: ostree4j-test\n    path: ")
          .append(htpasswd).append('\n');
    }
    this.config = dir.resolve("config.yml");
    Files.writeString(config, yaml.toString());
  }

  /**
   * Starts a registry without authentication.
   *
   * @return the running registry
   */
  public static LocalRegistry start() {
    return create(null, null, false);
  }

  /**
   * Starts a registry without authentication that speaks only HTTPS, with a self-signed
   * certificate for {@code 127.0.0.1} made by {@code openssl}.
   *
   * @return the running registry
   */
  public static LocalRegistry startWithTls() {
    return create(null, null, true);
  }

  /**
   * The registry's self-signed certificate (PEM).
   *
   * @return the certificate file, or empty when the registry speaks plain HTTP
   */
  public java.util.Optional<Path> certificate() {
    return java.util.Optional.ofNullable(certificate);
  }

  /**
   * Starts a registry with htpasswd authentication for one user.
   *
   * @param user the user name
   * @param password the password
   * @return the running registry
   */
  public static LocalRegistry startWithAuth(String user, String password) {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    if (user.isEmpty() || user.indexOf(':') >= 0) {
      throw new IllegalArgumentException("invalid user name: " + user);
    }
    return create(user, password, false);
  }

  private static LocalRegistry create(String user, String password, boolean tls) {
    Path program = Peers.require("docker-registry");
    Path htpasswd = user != null ? Peers.require("htpasswd") : null;
    Path dir = null;
    try {
      dir = Files.createTempDirectory("ostree4j-registry-");
      LocalRegistry r = new LocalRegistry(program, htpasswd, dir, freePort(), user, password, tls);
      r.startProcess();
      return r;
    } catch (IOException e) {
      deleteQuietly(dir);
      throw new UncheckedIOException("starting docker-registry", e);
    } catch (RuntimeException | Error e) {
      deleteQuietly(dir);
      throw e;
    }
  }

  /**
   * The registry address as used in image names.
   *
   * @return {@code 127.0.0.1:PORT}
   */
  public String host() {
    return "127.0.0.1:" + port;
  }

  /**
   * The port the registry listens on.
   *
   * @return the TCP port
   */
  public int port() {
    return port;
  }

  /**
   * The storage directory (the registry's filesystem root).
   *
   * @return the directory
   */
  public Path storage() {
    return dir.resolve("storage");
  }

  /**
   * The user of a registry started with {@link #startWithAuth(String, String)}.
   *
   * @return the user name, or null without authentication
   */
  public String user() {
    return user;
  }

  /**
   * The password of a registry started with {@link #startWithAuth(String, String)}.
   *
   * @return the password, or null without authentication
   */
  public String password() {
    return password;
  }

  /**
   * Whether the registry process is running.
   *
   * @return true between start (or {@link #restart()}) and {@link #stop()}
   */
  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /**
   * The registry's log so far: one entry per line of its standard output and error, including
   * one access-log line per request ({@code "POST /v2/…/blobs/uploads/?mount=…&from=… HTTP/1.1"
   * 201 …}).
   *
   * @return a copy of the lines
   */
  public List<String> logLines() {
    synchronized (log) {
      return List.copyOf(log);
    }
  }

  /**
   * Waits until a log line matches. The registry writes a request's access-log line after sending
   * the response, so a client can see the response before the line is in {@link #logLines()}.
   *
   * @param match the line wanted
   * @param timeout how long to wait
   * @return whether a matching line arrived in time
   */
  public boolean awaitLogLine(Predicate<String> match, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (log) {
      while (true) {
        for (String l : log) {
          if (match.test(l)) {
            return true;
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(log, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
  }

  /**
   * Stops the registry process (SIGTERM, then SIGKILL after 10 s); the storage is kept. Does
   * nothing when it is not running.
   */
  public synchronized void stop() {
    Process p = process;
    if (p == null) {
      return;
    }
    p.destroy();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
      if (reader != null) {
        reader.join(TimeUnit.SECONDS.toMillis(5));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
    }
    process = null;
    reader = null;
  }

  /** Stops the registry if it runs and starts it again on the same port with the same storage. */
  public synchronized void restart() {
    stop();
    try {
      startProcess();
    } catch (IOException e) {
      throw new UncheckedIOException("restarting docker-registry", e);
    }
  }

  /** Stops the registry and deletes its storage. */
  @Override
  public void close() {
    stop();
    deleteQuietly(dir);
  }

  @Override
  public String toString() {
    return "LocalRegistry[" + host() + (user != null ? ", htpasswd" : "") + "]";
  }

  private synchronized void startProcess() throws IOException {
    ProcessBuilder pb = new ProcessBuilder(program.toString(), "serve", config.toString());
    pb.redirectErrorStream(true);
    // The registry reads REGISTRY_* variables as configuration overrides: do not inherit any.
    pb.environment().keySet().removeIf(k -> k.startsWith("REGISTRY_"));
    Process p = pb.start();
    p.getOutputStream().close();
    Thread t = new Thread(() -> drain(p), "local-registry-" + port);
    t.setDaemon(true);
    t.start();
    process = p;
    reader = t;
    waitUntilReady(p);
  }

  private void drain(Process p) {
    try (BufferedReader r = new BufferedReader(
        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        synchronized (log) {
          log.add(line);
          log.notifyAll();
        }
      }
    } catch (IOException e) {
      // the process ended
    }
  }

  private void waitUntilReady(Process p) throws IOException {
    if (certificate != null) {
      waitUntilListening(p);
      return;
    }
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://" + host() + "/v2/"))
        .timeout(Duration.ofSeconds(2)).GET().build();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new AssertionError("docker-registry exited with status " + p.exitValue()
            + " while starting on " + host() + "\n--- log ---\n" + String.join("\n", logLines()));
      }
      try {
        HttpResponse<Void> r = client.send(req, HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200 || r.statusCode() == 401) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for docker-registry", e);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for docker-registry", e);
      }
    }
    stop();
    throw new AssertionError("docker-registry did not answer GET /v2/ on " + host() + " within "
        + START_TIMEOUT.toSeconds() + " s\n--- log ---\n" + String.join("\n", logLines()));
  }

  /** For HTTPS: waits until the port accepts connections. */
  private void waitUntilListening(Process p) {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new AssertionError("docker-registry exited with status " + p.exitValue()
            + " while starting on " + host() + "\n--- log ---\n" + String.join("\n", logLines()));
      }
      try (java.net.Socket s = new java.net.Socket(InetAddress.getLoopbackAddress(), port)) {
        return;
      } catch (IOException e) {
        // not listening yet
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for docker-registry", e);
      }
    }
    stop();
    throw new AssertionError("docker-registry did not listen on " + host());
  }

  private static String bcryptLine(Path htpasswd, String user, String password) {
    CmdResult r = Cmd.of(htpasswd.toString(), "-nbB", user, password).run();
    if (r.exitCode() != 0) {
      throw new AssertionError("htpasswd failed: " + r.stderr());
    }
    String line = r.stdout().strip();
    if (!line.startsWith(user + ":$2")) {
      throw new AssertionError("htpasswd gave no bcrypt entry: " + line);
    }
    return line + "\n";
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }

  private static String randomHex() {
    byte[] b = new byte[16];
    new java.security.SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
          Files.delete(f);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
          Files.delete(d);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      // best effort: a temporary directory
    }
  }
}
