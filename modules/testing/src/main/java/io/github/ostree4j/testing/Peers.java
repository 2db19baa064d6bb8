package io.github.ostree4j.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates the real programs that ostree4j is compared against ("peers"): {@code ostree},
 * {@code skopeo}, {@code umoci}, {@code docker-registry}, {@code runc}, {@code buildah},
 * {@code debootstrap}, {@code setfattr}/{@code getfattr} and friends.
 *
 * <p>A peer that is not installed skips the calling test (JUnit {@link Assumptions}), so a
 * developer machine without the peers still gets a green build. When the environment variable
 * {@code CI} is {@code true} a missing peer is an error instead, so that CI never silently skips
 * conformance tests. {@code scripts/install-peers.sh} installs all of them on Debian 12.
 *
 * <p>Programs are looked up on {@code PATH}; because a non-root shell on Debian does not have the
 * {@code sbin} directories on its {@code PATH} (where {@code debootstrap} lives), the standard
 * {@code sbin} directories are searched after {@code PATH}.
 */
public final class Peers {

  /** The peer programs the conformance tests know about, in a stable order. */
  public static final List<String> KNOWN =
      List.of(
          "ostree",
          "skopeo",
          "umoci",
          "docker-registry",
          "runc",
          "buildah",
          "debootstrap",
          "setfattr",
          "getfattr",
          "zstd",
          "pigz",
          "openssl",
          "busybox",
          "gpg");

  private static final List<String> SBIN_DIRS = List.of("/usr/local/sbin", "/usr/sbin", "/sbin");

  private static volatile Boolean root;

  private Peers() {}

  /**
   * Returns the executable for {@code program}, skipping or failing the test when it is missing.
   *
   * @param program a program name such as {@code "ostree"} (no directory part)
   * @return the absolute path of the executable
   * @throws AssertionError when the program is missing and {@code CI=true}
   * @throws org.opentest4j.TestAbortedException when the program is missing otherwise
   */
  public static Path require(String program) {
    Optional<Path> found = find(program);
    if (found.isPresent()) {
      return found.get();
    }
    String message = "peer " + program + " is missing; run scripts/install-peers.sh";
    if (isCi()) {
      throw new AssertionError(message);
    }
    Assumptions.abort(message);
    throw new AssertionError("unreachable");
  }

  /**
   * Looks {@code program} up on {@code PATH} (then in the standard {@code sbin} directories).
   *
   * @param program a program name without directory part
   * @return the absolute path of the first executable regular file found, if any
   */
  public static Optional<Path> find(String program) {
    if (program.isEmpty() || program.indexOf('/') >= 0) {
      throw new IllegalArgumentException("expected a bare program name: " + program);
    }
    for (String dir : searchPath()) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate.toAbsolutePath());
      }
    }
    return Optional.empty();
  }

  /**
   * Tells whether {@code program} can be found, without skipping or failing anything.
   *
   * @param program a program name without directory part
   * @return true when {@link #find(String)} finds it
   */
  public static boolean isAvailable(String program) {
    return find(program).isPresent();
  }

  /**
   * Tells whether this JVM runs as user id 0.
   *
   * @return true when running as root
   */
  public static boolean isRoot() {
    Boolean r = root;
    if (r == null) {
      r = computeIsRoot();
      root = r;
    }
    return r;
  }

  /**
   * Skips the calling test unless it runs as root. This skips even when {@code CI=true}: CI
   * runners that are not root legitimately cannot run these tests.
   *
   * @param why a short reason shown in the skip message, e.g. {@code "needs chown"}
   */
  public static void requireRoot(String why) {
    Assumptions.assumeTrue(isRoot(), () -> "test needs root (" + why + "); skipped");
  }

  /**
   * Tells whether the environment variable {@code CI} is {@code true} (case-insensitive), in
   * which case missing peers and missing shared data fail tests instead of skipping them.
   *
   * @return true on CI
   */
  public static boolean isCi() {
    String ci = System.getenv("CI");
    return ci != null && ci.trim().toLowerCase(Locale.ROOT).equals("true");
  }

  private static List<String> searchPath() {
    List<String> dirs = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      for (String d : path.split(File.pathSeparator, -1)) {
        dirs.add(d);
      }
    }
    for (String d : SBIN_DIRS) {
      if (!dirs.contains(d)) {
        dirs.add(d);
      }
    }
    return dirs;
  }

  private static boolean computeIsRoot() {
    try {
      return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
    } catch (RuntimeException | LinkageError e) {
      CmdResult id = Cmd.run(List.of("id", "-u"));
      return id.exitCode() == 0 && id.stdout().trim().equals("0");
    }
  }
}
