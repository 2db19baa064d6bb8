package io.github.ostree4j.deploy;

import io.github.ostree4j.container.ContainerRefs;
import io.github.ostree4j.container.ContainerStore;
import io.github.ostree4j.container.Encapsulator;
import io.github.ostree4j.oci.ByteSizes;
import io.github.ostree4j.oci.Descriptor;
import io.github.ostree4j.oci.Platform;
import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.ostree.ContentObject;
import io.github.ostree4j.ostree.OstreeException;
import io.github.ostree4j.ostree.OstreeRepo;
import io.github.ostree4j.ostree.RepoFile;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The checks an update passes before anything on the node changes: the image is bootable (an
 * {@code ostree.bootable} or {@code containers.bootc} label, and a kernel in {@code
 * usr/lib/modules}), built for this machine's architecture, and fits on the sysroot's filesystem.
 * Each failure is a {@link PreflightException} with a one-line reason.
 */
public final class Preflight {

  /**
   * How many bytes of disk a downloaded layer byte is assumed to need once imported: layers are
   * compressed and their content is stored uncompressed.
   */
  public static final int EXPANSION = 2;

  /** Share of the filesystem kept free, as ostree's default {@code min-free-space-percent}. */
  public static final int RESERVED_PERCENT = 3;

  private Preflight() {}

  /**
   * Refuses an image without the {@code ostree.bootable} or {@code containers.bootc} label.
   *
   * @param image the fetched manifest and config
   * @throws PreflightException when neither label is set
   */
  public static void checkBootable(ContainerStore.FetchedImage image) throws PreflightException {
    Map<String, String> labels = image.config().labels();
    Map<String, String> annotations = image.manifest().annotations();
    for (String key : new String[] {Encapsulator.LABEL_BOOTABLE, Encapsulator.LABEL_BOOTC}) {
      String v = labels.getOrDefault(key, annotations.get(key));
      if (v != null && !v.isEmpty() && !v.equals("false") && !v.equals("0")) {
        return;
      }
    }
    throw new PreflightException(image.reference() + " is not a bootable image: it has neither the "
        + Encapsulator.LABEL_BOOTABLE + " nor the " + Encapsulator.LABEL_BOOTC + " label");
  }

  /**
   * Refuses an image built for another OS or architecture than {@code host}.
   *
   * @param image the fetched manifest and config
   * @param host this machine's platform, e.g. {@link Platform#current()}
   * @throws PreflightException when the config names another one
   */
  public static void checkArchitecture(ContainerStore.FetchedImage image, Platform host)
      throws PreflightException {
    Platform p = image.config().platform();
    boolean osOk = p.os().isEmpty() || p.os().equals(host.os());
    boolean archOk = p.architecture().isEmpty() || p.architecture().equals(host.architecture());
    if (!osOk || !archOk) {
      throw new PreflightException(image.reference() + " is built for " + p.os() + "/"
          + p.architecture() + ", but this machine is " + host.os() + "/" + host.architecture());
    }
  }

  /**
   * Refuses an update that would not fit: the layers not yet in the repository, times {@link
   * #EXPANSION}, must fit in the usable space of the sysroot's filesystem with {@link
   * #RESERVED_PERCENT} of it left over.
   *
   * @param image the fetched manifest and config
   * @param repo the sysroot's repository
   * @param sysroot the sysroot directory
   * @throws PreflightException when it would not fit
   * @throws IOException when the filesystem cannot be queried
   */
  public static void checkSpace(ContainerStore.FetchedImage image, OstreeRepo repo, Path sysroot)
      throws IOException {
    long download = 0;
    int missing = 0;
    for (Descriptor l : image.manifest().layers()) {
      if (repo.refs().resolve(ContainerRefs.layerRef(l.digest())).isEmpty()) {
        download += l.size();
        missing++;
      }
    }
    FileStore fs = Files.getFileStore(repo.path());
    long free = fs.getUsableSpace();
    long reserve = fs.getTotalSpace() / 100 * RESERVED_PERCENT;
    long needed = download * EXPANSION;
    if (needed + reserve > free) {
      throw new PreflightException("not enough free space in " + sysroot + " for "
          + image.reference() + ": " + missing + " layers of " + ByteSizes.human(download)
          + " need about " + ByteSizes.human(needed) + " plus the " + RESERVED_PERCENT
          + "% reserve (" + ByteSizes.human(reserve) + "), but only " + ByteSizes.human(free)
          + " is free");
    }
  }

  /**
   * Refuses a commit without a kernel: no regular file {@code usr/lib/modules/VERSION/vmlinuz}.
   *
   * @param repo the repository
   * @param commit the commit (an image's merge commit)
   * @param what the image, for the message
   * @throws PreflightException when there is no kernel
   * @throws IOException when the commit cannot be read
   */
  public static void checkKernel(OstreeRepo repo, Checksum commit, String what) throws IOException {
    RepoFile modules;
    try {
      modules = RepoFile.root(repo, repo.readCommit(commit)).resolve("usr/lib/modules");
    } catch (OstreeException e) {
      modules = null;
    }
    if (modules != null && modules.isDirectory()) {
      for (RepoFile d : modules.children()) {
        if (!d.isDirectory()) {
          continue;
        }
        for (RepoFile f : d.children()) {
          if (f.name().equals("vmlinuz") && !f.isDirectory()) {
            try (ContentObject o = repo.openContentUnverified(f.contentChecksum())) {
              if (!o.header().isSymlink()) {
                return;
              }
            }
          }
        }
      }
    }
    throw new PreflightException(what + " is not a bootable image: it has no kernel"
        + " (usr/lib/modules/VERSION/vmlinuz)");
  }
}
