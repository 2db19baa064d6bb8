package io.github.ostree4j.container;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code container commit}: the clean-up at the end of a Containerfile {@code RUN} in an ostree
 * container, as ostree-ext does it. It empties {@code /run}, {@code /tmp}, {@code /var/tmp} and
 * {@code /var/cache} (keeping the directories themselves) without crossing into other mounts
 * (bind mounts such as {@code /run/.containerenv} or build secrets stay untouched).
 *
 * <p>It refuses to run outside an ostree container: the root must hold an ostree repository in
 * {@code bare-split-xattrs} mode ({@code /sysroot/ostree/repo/config}, or the older {@code
 * /sysroot/config}), and the environment must look like a container build ({@code $container},
 * {@code /run/.containerenv} or {@code /.dockerenv}), or at least not like a booted host
 * ({@code INVOCATION_ID} unset and no {@code /run/ostree-booted}).
 */
public final class ContainerCommit {

  /** The directories whose contents are removed. */
  public static final List<String> CLEANED = List.of("run", "tmp", "var/tmp", "var/cache");

  private final Path root;
  private final Map<String, String> env;

  /**
   * Prepares a clean-up.
   *
   * @param root the container's root directory, normally {@code /}
   * @param env the process environment
   */
  public ContainerCommit(Path root, Map<String, String> env) {
    this.root = Objects.requireNonNull(root, "root");
    this.env = Objects.requireNonNull(env, "env");
  }

  /**
   * Whether the root is an ostree container (a {@code bare-split-xattrs} repository).
   *
   * @return true when the repository config says so
   * @throws IOException when the config cannot be read
   */
  public boolean isOstreeContainer() throws IOException {
    for (String p : List.of("sysroot/ostree/repo/config", "sysroot/config")) {
      Path c = root.resolve(p);
      if (Files.isRegularFile(c)) {
        for (String line : Files.readAllLines(c)) {
          if (line.replace(" ", "").equals("mode=bare-split-xattrs")) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /**
   * Runs the clean-up.
   *
   * @return the number of entries removed
   * @throws NotAnOstreeContainerException when the checks above fail
   * @throws IOException when removing fails
   */
  public long run() throws IOException {
    if (!isOstreeContainer()) {
      throw new NotAnOstreeContainerException("not an ostree container: no " + root.resolve(
          "sysroot/ostree/repo/config") + " with mode=bare-split-xattrs");
    }
    boolean hints = env.containsKey("container") || Files.exists(root.resolve("run/.containerenv"))
        || Files.exists(root.resolve(".dockerenv"));
    boolean host = env.containsKey("INVOCATION_ID") || Files.exists(root.resolve("run/ostree-booted"));
    if (!hints && host) {
      throw new NotAnOstreeContainerException("this looks like a booted ostree host, not a container"
          + " build (INVOCATION_ID is set or /run/ostree-booted exists)");
    }
    long removed = 0;
    java.util.Set<String> mounts = mountPoints();
    for (String d : CLEANED) {
      Path dir = root.resolve(d);
      if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        removed += emptyDirectory(dir, mounts);
      }
    }
    return removed;
  }

  /** Removes the contents of {@code dir}, staying on its filesystem. */
  private static long emptyDirectory(Path dir, java.util.Set<String> mounts) throws IOException {
    Object device = Files.getAttribute(dir, "unix:dev", LinkOption.NOFOLLOW_LINKS);
    long[] count = {0};
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path e : entries) {
        Files.walkFileTree(e, new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) throws IOException {
            return device.equals(Files.getAttribute(d, "unix:dev", LinkOption.NOFOLLOW_LINKS))
                ? FileVisitResult.CONTINUE : FileVisitResult.SKIP_SUBTREE;
          }

          @Override
          public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
            if (device.equals(Files.getAttribute(f, "unix:dev", LinkOption.NOFOLLOW_LINKS))
                && !mounts.contains(f.toAbsolutePath().normalize().toString())) {
              Files.delete(f);
              count[0]++;
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path d, IOException ex) throws IOException {
            if (ex != null) {
              throw ex;
            }
            try (DirectoryStream<Path> rest = Files.newDirectoryStream(d)) {
              if (!rest.iterator().hasNext()
                  && !mounts.contains(d.toAbsolutePath().normalize().toString())) {
                Files.delete(d);
                count[0]++;
              }
            }
            return FileVisitResult.CONTINUE;
          }
        });
      }
    }
    return count[0];
  }

  /** Mount points (a file bind-mounted over another file is on the same device). */
  private static java.util.Set<String> mountPoints() {
    java.util.Set<String> out = new java.util.HashSet<>();
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
        String[] f = line.split(" ");
        if (f.length > 4) {
          out.add(f[4].replace("\\040", " "));
        }
      }
    } catch (IOException | RuntimeException e) {
      // no mount table: the device check still applies
    }
    return out;
  }

  /** The root is not an ostree container, or this is not a container build. */
  public static final class NotAnOstreeContainerException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message why
     */
    public NotAnOstreeContainerException(String message) {
      super(message);
    }
  }
}
