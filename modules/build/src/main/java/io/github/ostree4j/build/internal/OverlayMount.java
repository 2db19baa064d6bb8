package io.github.ostree4j.build.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Mounts and unmounts one kernel overlayfs for a step, through {@code mount -t overlay} and
 * {@code umount}.
 *
 * <p>The mount data of {@code mount(2)} is limited to one page, so lower directories are not
 * named by their (long, arbitrary) absolute paths: {@code <stepDir>/l/<n>} symlinks point at them
 * and the options use those short relative names, resolved against the step directory, the
 * working directory of {@code mount}. This also keeps {@code :} and {@code ,} in lower paths from
 * breaking the option syntax.
 *
 * <p>Options: {@code userxattr} (Linux 5.11+), so that opaque directories and other overlay
 * bookkeeping use {@code user.overlay.*} xattrs, which the JDK can read; {@code volatile}
 * (5.10+), so that the many {@code fsync} calls of package managers cost nothing (a crashed step
 * is redone anyway; its directory must then be discarded, which is how steps are handled).
 */
final class OverlayMount {

  /** The kernel rejects mount data longer than a page. */
  static final int MAX_OPTIONS = 4095;

  private final Path stepDir;
  private final Path upper;
  private final Path work;
  private final Path merged;
  private boolean mounted;

  /**
   * @param stepDir the directory holding upper, work, merged and the {@code l/} links
   */
  OverlayMount(Path stepDir, Path upper, Path work, Path merged) {
    this.stepDir = stepDir;
    this.upper = upper;
    this.work = work;
    this.merged = merged;
  }

  /** The mount options for {@code lowerCount} lower layers. */
  String options(int lowerCount) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < lowerCount; i++) {
      names.add("l/" + i);
    }
    return "lowerdir=" + String.join(":", names) + ",upperdir=" + stepDir.relativize(upper)
        + ",workdir=" + stepDir.relativize(work) + ",userxattr,volatile";
  }

  /**
   * Mounts with these lower layers (topmost first).
   *
   * @throws IOException with {@code mount}'s message when the kernel refuses
   */
  void mount(List<Path> lowers) throws IOException {
    if (mounted) {
      throw new IllegalStateException("already mounted: " + merged);
    }
    String options = options(lowers.size());
    if (options.length() > MAX_OPTIONS) {
      throw new IOException("cannot mount an overlay of " + lowers.size() + " layers: too many");
    }
    Path links = stepDir.resolve("l");
    FileTrees.deleteRecursively(links);
    Files.createDirectories(links);
    for (int i = 0; i < lowers.size(); i++) {
      Files.createSymbolicLink(links.resolve(Integer.toString(i)), lowers.get(i).toAbsolutePath());
    }
    // overlayfs refuses to remount a volatile upper until this marker is gone
    FileTrees.deleteRecursively(work.resolve("work").resolve("incompat"));
    Files.createDirectories(upper);
    Files.createDirectories(work);
    Files.createDirectories(merged);
    String mountCmd = HostCommand.require("mount", "mount the overlay file system of a build step").toString();
    HostCommand.check(List.of(mountCmd, "-t", "overlay", "-o", options, "ostree4j-step",
        stepDir.relativize(merged).toString()), stepDir, "mounting an overlay at " + merged);
    mounted = true;
    LiveResources.mounted(merged);
  }

  /** Whether the overlay is mounted. */
  boolean isMounted() {
    return mounted;
  }

  /** Unmounts; nothing happens when it is not mounted. */
  void unmount() throws IOException {
    if (!mounted) {
      return;
    }
    unmount(merged);
    mounted = false;
    LiveResources.unmounted(merged);
  }

  /** Unmounts {@code merged}, retrying briefly while it is busy. */
  static void unmount(Path merged) throws IOException {
    String umount = HostCommand.require("umount", "unmount the overlay file system of a build step").toString();
    HostCommand.Result r = null;
    for (int attempt = 0; attempt < 20; attempt++) {
      r = HostCommand.run(List.of(umount, merged.toString()), null);
      if (r.exitCode() == 0) {
        return;
      }
      if (!r.output().contains("busy")) {
        break;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted while unmounting " + merged);
      }
    }
    throw new IOException("unmounting the overlay at " + merged + ": " + r.oneLine());
  }

  /** Whether {@code p} is on a different file system than its parent (a mount point). */
  static boolean isMountPoint(Path p) throws IOException {
    FileMeta m = FileMeta.readIfExists(p);
    FileMeta parent = FileMeta.readIfExists(p.toAbsolutePath().getParent());
    return m != null && parent != null && m.dev() != parent.dev();
  }
}
