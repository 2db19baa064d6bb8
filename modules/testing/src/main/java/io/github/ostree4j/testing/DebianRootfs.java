package io.github.ostree4j.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A cached Debian 12 root filesystem, as produced by {@code debootstrap --variant=minbase
 * bookworm}, for tests and benchmarks that need a realistic operating-system tree (about 200 MB,
 * 10,000 files).
 *
 * <p>Layout, below the cache directory ({@link #cacheDir()}):
 *
 * <pre>
 * minbase-bookworm/
 *   rootfs/               the root filesystem
 *   .ostree4j-complete    marker written after rootfs/ was moved into place
 *   .lock                 serialises builders
 * </pre>
 *
 * <p>The tree is built on first use (which needs root, {@code debootstrap} and network access to
 * the mirror named by the environment variable {@code DEBIAN_MIRROR}, default {@value
 * #DEFAULT_MIRROR}) into a temporary sibling directory that is renamed into place only when
 * complete. Device nodes, sockets and fifos are removed, as are the contents of {@code dev/},
 * {@code proc/} and {@code sys/}, because ostree cannot commit them. A tree without the marker is
 * never used. Builders in different JVMs are serialised with a file lock; {@code
 * scripts/debian-minbase.sh} builds the same layout and takes the same {@code flock(1)} lock.
 *
 * <p>Tests must treat the returned tree as read-only.
 */
public final class DebianRootfs {

  /** The Debian suite that is bootstrapped. */
  public static final String SUITE = "bookworm";

  /** The mirror used when {@code DEBIAN_MIRROR} is not set. */
  public static final String DEFAULT_MIRROR = "http://deb.debian.org/debian";

  /** Name of the marker file written next to a complete root filesystem. */
  public static final String MARKER = ".ostree4j-complete";

  /** The system property naming the cache directory. */
  public static final String CACHE_PROPERTY = "ostree4j.cache";

  /** The environment variable naming the cache directory (used when the property is unset). */
  public static final String CACHE_ENV = "OSTREE4J_CACHE";

  private static final String ENTRY = "minbase-" + SUITE;
  private static final Duration DEBOOTSTRAP_TIMEOUT = Duration.ofMinutes(30);

  private DebianRootfs() {}

  /**
   * Returns the cache directory: the system property {@value #CACHE_PROPERTY}, else the
   * environment variable {@value #CACHE_ENV}, else {@code ${java.io.tmpdir}/ostree4j-cache}.
   *
   * @return the absolute cache directory (it may not exist yet)
   */
  public static Path cacheDir() {
    String dir = System.getProperty(CACHE_PROPERTY);
    if (dir == null || dir.isBlank()) {
      dir = System.getenv(CACHE_ENV);
    }
    if (dir == null || dir.isBlank()) {
      return Path.of(System.getProperty("java.io.tmpdir"), "ostree4j-cache").toAbsolutePath();
    }
    return Path.of(dir).toAbsolutePath();
  }

  /**
   * Returns the cached minbase root filesystem if it is complete, without building anything.
   *
   * @return the {@code rootfs} directory, if present and complete
   */
  public static Optional<Path> cachedMinbase() {
    Path entry = cacheDir().resolve(ENTRY);
    Path rootfs = entry.resolve("rootfs");
    if (Files.isRegularFile(entry.resolve(MARKER))
        && Files.isDirectory(rootfs, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.of(rootfs);
    }
    return Optional.empty();
  }

  /**
   * Returns the minbase root filesystem, building it first when the cache has none.
   *
   * <p>Building skips the test unless running as root, and skips (fails on CI) when {@code
   * debootstrap} is missing. A complete cached tree is returned even to non-root users.
   *
   * @return the {@code rootfs} directory
   * @throws AssertionError when debootstrap fails
   */
  public static synchronized Path minbase() {
    Optional<Path> cached = cachedMinbase();
    if (cached.isPresent()) {
      return cached.get();
    }
    Peers.requireRoot("building the Debian minbase root filesystem with debootstrap");
    Path debootstrap = Peers.require("debootstrap");
    Path entry = cacheDir().resolve(ENTRY);
    try {
      Files.createDirectories(entry);
      Path lockFile = entry.resolve(".lock");
      try (FileChannel channel =
          FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
        // A POSIX lock excludes other JVMs; the flock(1) lock excludes scripts/debian-minbase.sh.
        FileLock lock = channel.lock();
        FlockHelper flock = FlockHelper.acquire(lockFile);
        try {
          cached = cachedMinbase();
          if (cached.isPresent()) {
            return cached.get(); // built by another process while we waited
          }
          return build(entry, debootstrap);
        } finally {
          flock.close();
          lock.release();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot build Debian minbase rootfs in " + entry, e);
    }
  }

  private static Path build(Path entry, Path debootstrap) throws IOException {
    Path rootfs = entry.resolve("rootfs");
    // Leftovers of an interrupted build; nobody else is building while we hold the lock.
    Files.deleteIfExists(entry.resolve(MARKER));
    deleteTree(rootfs);
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(entry, "rootfs.tmp-*")) {
      for (Path stale : ds) {
        deleteTree(stale);
      }
    }
    Path tmp = Files.createTempDirectory(entry, "rootfs.tmp-");
    String mirror = System.getenv("DEBIAN_MIRROR");
    if (mirror == null || mirror.isBlank()) {
      mirror = DEFAULT_MIRROR;
    }
    boolean ok = false;
    try {
      CmdResult r =
          Cmd.of(
                  debootstrap.toString(),
                  "--variant=minbase",
                  SUITE,
                  tmp.toString(),
                  mirror)
              .env("LC_ALL", "C.UTF-8")
              .timeout(DEBOOTSTRAP_TIMEOUT)
              .run();
      if (!r.success()) {
        // debootstrap writes its details to debootstrap/debootstrap.log inside the target.
        Path log = tmp.resolve("debootstrap/debootstrap.log");
        String tail = Files.isRegularFile(log) ? tail(Files.readString(log), 30) : "";
        throw new AssertionError(
            "debootstrap failed with exit code "
                + r.exitCode()
                + ": "
                + r.commandLine()
                + "\n--- stderr (tail) ---\n"
                + r.stderrTail(30)
                + (tail.isEmpty() ? "" : "\n--- debootstrap.log (tail) ---\n" + tail));
      }
      cleanUp(tmp);
      Files.setAttribute(tmp, "unix:mode", 0755); // createTempDirectory made it 0700
      Files.move(tmp, rootfs, StandardCopyOption.ATOMIC_MOVE);
      ok = true;
    } finally {
      if (!ok) {
        deleteTree(tmp);
      }
    }
    Path markerTmp = entry.resolve(MARKER + ".tmp");
    Files.writeString(
        markerTmp,
        "suite=" + SUITE + "\nvariant=minbase\nmirror=" + mirror + "\nbuilt=" + Instant.now()
            + "\n",
        StandardCharsets.UTF_8);
    Files.move(markerTmp, entry.resolve(MARKER), StandardCopyOption.ATOMIC_MOVE);
    return rootfs;
  }

  /** Removes what ostree cannot commit: devices, sockets, fifos, and dev/proc/sys contents. */
  private static void cleanUp(Path rootfs) throws IOException {
    for (String d : List.of("dev", "proc", "sys")) {
      Path dir = rootfs.resolve(d);
      if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
          ds.forEach(children::add);
        }
        for (Path child : children) {
          deleteTree(child);
        }
      }
    }
    List<Path> special = new ArrayList<>();
    Files.walkFileTree(
        rootfs,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            if (attrs.isOther()) {
              special.add(file);
            }
            return FileVisitResult.CONTINUE;
          }
        });
    for (Path p : special) {
      Files.delete(p);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException exc)
              throws IOException {
            if (exc != null) {
              throw exc;
            }
            Files.delete(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  private static String tail(String text, int lines) {
    String[] all = text.split("\n");
    int from = Math.max(0, all.length - lines);
    return String.join("\n", Arrays.asList(all).subList(from, all.length));
  }

  /**
   * Holds a {@code flock(2)} lock (the kind {@code scripts/debian-minbase.sh} takes) through a
   * {@code flock(1)} child process, which keeps the lock until its standard input is closed. The
   * JVM cannot take such a lock itself: its own file locks are POSIX record locks, which do not
   * exclude {@code flock(2)}. When {@code flock} is not installed, nothing is held.
   */
  private static final class FlockHelper implements AutoCloseable {
    private final Process process;

    private FlockHelper(Process process) {
      this.process = process;
    }

    static FlockHelper acquire(Path lockFile) throws IOException {
      Optional<Path> flock = Peers.find("flock");
      if (flock.isEmpty()) {
        return new FlockHelper(null);
      }
      Process p =
          new ProcessBuilder(
                  flock.get().toString(),
                  "--exclusive",
                  lockFile.toString(),
                  "sh",
                  "-c",
                  "echo locked; exec cat >/dev/null")
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      BufferedReader reader =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String line = reader.readLine();
      if (!"locked".equals(line)) {
        p.destroyForcibly();
        throw new IOException("flock(1) could not lock " + lockFile);
      }
      return new FlockHelper(p);
    }

    @Override
    public void close() {
      if (process == null) {
        return;
      }
      try {
        process.getOutputStream().close();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (IOException e) {
        process.destroyForcibly();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }
}
