package io.github.ostree4j.build.internal;

import io.github.ostree4j.oci.Json;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;

/**
 * The root filesystem of one build step: read-only lower trees (a base root filesystem and the
 * change trees of earlier steps, overlay semantics: whiteout character devices and opaque
 * directories honoured) plus a fresh change tree. COPY/ADD write into {@link #root()}; RUN
 * executes there through runc. {@link #capture} turns the changes into a layer tar. Uses kernel
 * overlayfs when it can be mounted, else a full copy and a tree diff.
 *
 * <p>Change trees use the overlayfs upper-directory format of a {@code userxattr} mount: a
 * deleted path is a 0/0 character device, an opaque directory has {@code user.overlay.opaque=y}.
 * Lower trees are never written to, so a base checked out with hard links into an ostree
 * repository stays intact.
 *
 * <p>Layout of the step directory: {@code upper/} (the changes, kept), and while the step lives
 * {@code work/}, {@code merged/} and {@code l/} (overlay), {@code mounts/} (mount points missing
 * from the lowers, made by the first {@link #run} that needs them, an extra lower layer), {@code rootfs/} (the copy of the fallback),
 * {@code bundle/} and {@code runc/} (the runtime bundle and state). Everything but
 * {@code upper/} is removed by {@link #capture}.
 *
 * <p>Not thread-safe: one step is driven by one thread. Runs as root (mounting overlays, runc).
 */
public final class StepFilesystem implements Closeable {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path stepDir;
  private final List<Path> lowers;
  private final StepRoot impl;
  private final String overlayFailure;
  private Path changes;
  private boolean closed;

  private StepFilesystem(Path stepDir, List<Path> lowers, StepRoot impl, String overlayFailure) {
    this.stepDir = stepDir;
    this.lowers = List.copyOf(lowers);
    this.impl = impl;
    this.overlayFailure = overlayFailure;
  }

  /**
   * @param lowers lower trees, topmost first; never modified
   * @param stepDir an empty directory owned by this step (the overlay upper, work and merged directories live here)
   * @param allowOverlay false forces the copy-and-diff fallback
   */
  public static StepFilesystem create(List<Path> lowers, Path stepDir, boolean allowOverlay)
      throws IOException {
    Objects.requireNonNull(lowers, "lowers");
    Path dir = stepDir.toAbsolutePath();
    Files.createDirectories(dir);
    try (var s = Files.list(dir)) {
      if (s.findAny().isPresent()) {
        throw new IOException("preparing build step directory " + dir + ": it is not empty");
      }
    }
    List<Path> absLowers = new ArrayList<>();
    for (Path l : lowers) {
      FileMeta m = FileMeta.readIfExists(l);
      if (m == null || !m.isDir()) {
        throw new NotDirectoryException(l + " (a lower layer of build step " + dir + ")");
      }
      absLowers.add(l.toAbsolutePath());
    }
    Path targets = dir.resolve("mounts");
    Files.createDirectory(targets);
    StackedTree stack = new StackedTree(absLowers.isEmpty() ? List.of(targets) : absLowers);
    Path upper = dir.resolve("upper");
    Files.createDirectory(upper);
    mirrorRoot(stack.root().meta(), upper);
    mirrorRoot(stack.root().meta(), targets);
    String overlayFailure = null;
    if (allowOverlay) {
      try {
        return new StepFilesystem(dir, absLowers, OverlayRoot.mount(dir, targets, absLowers, upper), null);
      } catch (IOException e) {
        overlayFailure = e.getMessage();
        for (String name : List.of("l", "work", "merged")) {
          if (!OverlayMount.isMountPoint(dir.resolve(name))) {
            FileTrees.deleteRecursively(dir.resolve(name));
          }
        }
      }
    }
    return new StepFilesystem(dir, absLowers, CopiedRoot.create(dir, stack, upper), overlayFailure);
  }

  private static void mirrorRoot(FileMeta rootMeta, Path dir) throws IOException {
    Metadata.setOwnerAndMode(dir, rootMeta.uid(), rootMeta.gid(), rootMeta.perms());
    Metadata.setMtime(dir, rootMeta.mtime());
  }

  /** The tree to read and modify (the overlay's merged directory or the full copy). */
  public Path root() {
    checkOpen();
    return impl.root();
  }

  /** Whether this step runs on kernel overlayfs (else on a copy diffed at the end). */
  public boolean usesOverlay() {
    return impl.usesOverlay();
  }

  /** Why overlayfs could not be used although it was allowed, if that happened. */
  public Optional<String> overlayFailure() {
    return Optional.ofNullable(overlayFailure);
  }

  /** Runs a command in {@link #root()} with runc; output goes to {@code output} as it comes. */
  public RunResult run(RunSpec spec, OutputStream output) throws IOException {
    return run(spec, output, null);
  }

  /**
   * Like {@link #run(RunSpec, OutputStream)}, killing the command when it outlasts {@code timeout}.
   *
   * <p>The working directory is created (root-owned, 0755) when it does not exist, as buildah
   * does, and is then part of the step's changes. Mount points the container needs are made
   * without becoming changes (in a lower layer of their own; on the overlay path adding them
   * remounts); they stay visible in {@link #root()} until {@link #capture}. With the host network, copies of the host's
   * {@code /etc/resolv.conf} and {@code /etc/hosts} are bind-mounted read-only; nothing written
   * through them can reach the layer.
   *
   * @param timeout null for no limit
   * @throws java.io.InterruptedIOException when interrupted; the container is removed first
   * @throws IOException when the container cannot be run or the timeout passes
   */
  public RunResult run(RunSpec spec, OutputStream output, Duration timeout) throws IOException {
    checkOpen();
    if (spec.args().isEmpty()) {
      throw new IllegalArgumentException("a RUN step needs a command");
    }
    Path runc = HostCommand.require("runc", "run RUN instructions");
    List<MountTargets.Destination> destinations = new ArrayList<>(MountTargets.ALWAYS);
    if (spec.hostNetwork()) {
      destinations.addAll(MountTargets.HOST_NETWORK);
    }
    for (MountPoint m : spec.mounts()) {
      boolean file = m.kind() == MountPoint.Kind.BIND && Files.isRegularFile(m.source());
      destinations.add(new MountTargets.Destination(m.destination(), file));
    }
    List<MountTargets.Missing> missing = MountTargets.missing(TreeLookup.of(impl.root()), destinations);
    if (!missing.isEmpty()) {
      impl.addMountTargets(missing);
    }
    String cwd = spec.cwd() == null || spec.cwd().isEmpty() ? "/" : spec.cwd();
    createWorkingDirectory(cwd);

    Path bundle = stepDir.resolve("bundle");
    FileTrees.deleteRecursively(bundle);
    Files.createDirectory(bundle);
    Path resolvConf = null;
    Path hosts = null;
    if (spec.hostNetwork()) {
      resolvConf = hostFile(Path.of("/etc/resolv.conf"), bundle.resolve("resolv.conf"), "");
      hosts = hostFile(Path.of("/etc/hosts"), bundle.resolve("hosts"), "127.0.0.1\tlocalhost\n::1\tlocalhost\n");
    }
    Files.write(bundle.resolve("config.json"), Json.toBytes(RuntimeConfig.build(spec, impl.root(), resolvConf, hosts)));
    String id = "ostree4j-" + HexFormat.of().formatHex(randomBytes());
    return new RuncRunner(runc, stepDir.resolve("runc")).run(bundle, id, output, timeout);
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[8];
    RANDOM.nextBytes(b);
    return b;
  }

  private void createWorkingDirectory(String cwd) throws IOException {
    RootedPaths.Resolved r;
    try {
      r = RootedPaths.resolve(TreeLookup.of(impl.root()), cwd);
    } catch (NotDirectoryException e) {
      throw new IOException("working directory " + cwd + ": " + e.getFile() + " is not a directory");
    }
    if (!r.exists()) {
      for (int i = r.firstMissing(); i < r.components().size(); i++) {
        Path d = impl.root().resolve(r.prefix(i + 1));
        Files.createDirectory(d);
        Metadata.setOwnerAndMode(d, 0, 0, 0755);
      }
    } else {
      FileMeta m = FileMeta.read(impl.root().resolve(r.rel().isEmpty() ? "." : r.rel()));
      if (!m.isDir()) {
        throw new IOException("working directory " + cwd + " is a " + m.typeName());
      }
    }
  }

  /** A private copy of a host file for a read-only bind mount, or {@code fallback} content. */
  private static Path hostFile(Path hostPath, Path copy, String fallback) throws IOException {
    if (Files.isRegularFile(hostPath)) {
      Files.copy(hostPath, copy);
    } else {
      Files.write(copy, fallback.getBytes(StandardCharsets.UTF_8));
    }
    Files.setAttribute(copy, "unix:mode", 0644);
    return copy;
  }

  /**
   * Ends the step: unmounts, writes the changes as an OCI layer tar (whiteouts as {@code .wh.}
   * entries, opaque directories as {@code .wh..wh..opq}, entries sorted, uid/gid numeric, file
   * mtimes clamped to {@code clampMtime} seconds when present) and returns it. See
   * {@link LayerTarWriter} for the exact format. May be called again to rewrite the tar.
   */
  public LayerCapture capture(Path tarFile, OptionalLong clampMtime) throws IOException {
    if (closed) {
      throw new IllegalStateException("build step " + stepDir + " was closed");
    }
    if (changes == null) {
      Path upper = impl.finish();
      ChangeTrees.pruneWhiteouts(upper, lowers);
      cleanUp();
      changes = upper;
    }
    Map<String, SortedMap<String, byte[]>> hostXattrs = isEmptyDir(changes) ? Map.of() : HostXattrs.read(changes);
    return LayerTarWriter.write(changes, tarFile, clampMtime, hostXattrs);
  }

  private static boolean isEmptyDir(Path dir) throws IOException {
    try (var s = Files.list(dir)) {
      return s.findAny().isEmpty();
    }
  }

  private void cleanUp() throws IOException {
    for (String name : List.of("mounts", "l", "work", "merged", "rootfs", "bundle", "runc", "whiteout")) {
      Path p = stepDir.resolve(name);
      if (!OverlayMount.isMountPoint(p)) {
        FileTrees.deleteRecursively(p);
      }
    }
  }

  /** After {@link #capture}: this step's change tree, usable as a lower of the next step. */
  public Path changes() {
    if (changes == null) {
      throw new IllegalStateException("build step " + stepDir + " has not been captured");
    }
    return changes;
  }

  /** Unmounts if still mounted; idempotent. */
  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      impl.close();
    }
  }

  private void checkOpen() {
    if (closed || changes != null) {
      throw new IllegalStateException("build step " + stepDir + " is " + (closed ? "closed" : "captured"));
    }
  }
}
