package io.github.ostree4j.build.internal;

import io.github.ostree4j.oci.OciLayout;
import io.github.ostree4j.ostree.OstreeRepo;
import io.github.ostree4j.ostree.RepoMode;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The storage root of builds:
 *
 * <pre>
 * repo/            ostree repository (bare as root, bare-user otherwise) holding pulled base images
 * rootfs/CHECKSUM.V hardlink checkouts of base images in their container view (rules version V),
 *                  never modified
 * rootfs/scratch   an empty tree, the base of FROM scratch
 * blobs/           an OCI layout holding the compressed blobs of new layers
 * cache/KEY/       layer cache entries: layer.json and the step's change tree
 * cache-mounts/ID  persistent directories of RUN --mount=type=cache
 * images/          the OCI layout where -t NAME without a transport writes
 * tmp/             per-build work directories
 * lock             held exclusively by a running build
 * </pre>
 */
public final class StorageLayout implements Closeable {

  private final Path root;
  private final boolean rootUser;
  private FileChannel lockChannel;
  private FileLock lock;
  private OstreeRepo repo;
  private OciLayout blobs;

  private StorageLayout(Path root, boolean rootUser) {
    this.root = root;
    this.rootUser = rootUser;
  }

  /**
   * Opens (creating) a storage root and takes its lock, waiting for another build to end.
   *
   * @param root the directory
   * @return the storage; close it to release the lock
   * @throws IOException when the directory cannot be created or locked
   */
  public static StorageLayout open(Path root) throws IOException {
    Path r = root.toAbsolutePath().normalize();
    Files.createDirectories(r);
    StorageLayout s = new StorageLayout(r, "root".equals(System.getProperty("user.name")));
    s.lockChannel = FileChannel.open(r.resolve("lock"), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE);
    try {
      s.lock = s.lockChannel.lock();
    } catch (IOException | RuntimeException e) {
      s.lockChannel.close();
      throw e;
    }
    return s;
  }

  /** @return the storage root */
  public Path root() {
    return root;
  }

  /** @return whether builds run as root (bare repository, real owners) */
  public boolean rootUser() {
    return rootUser;
  }

  /**
   * The repository, created on first use.
   *
   * @return the repository
   * @throws IOException when it cannot be created or opened
   */
  public synchronized OstreeRepo repo() throws IOException {
    if (repo == null) {
      Path dir = root.resolve("repo");
      repo = Files.isRegularFile(dir.resolve("config")) ? OstreeRepo.open(dir)
          : OstreeRepo.init(dir, rootUser ? RepoMode.BARE : RepoMode.BARE_USER);
    }
    return repo;
  }

  /**
   * The blob store of new layers.
   *
   * @return the layout
   * @throws IOException when it cannot be created
   */
  public synchronized OciLayout blobs() throws IOException {
    if (blobs == null) {
      blobs = OciLayout.create(root.resolve("blobs"));
    }
    return blobs;
  }

  /** @return the directory of base root filesystems */
  public Path rootfsDir() {
    return root.resolve("rootfs");
  }

  /**
   * The empty tree used as the base of {@code FROM scratch}.
   *
   * @return the directory
   * @throws IOException when it cannot be created
   */
  public Path scratch() throws IOException {
    Path p = rootfsDir().resolve("scratch");
    Files.createDirectories(p);
    return p;
  }

  /** @return the layer cache directory */
  public Path cacheDir() {
    return root.resolve("cache");
  }

  /** @return the directory of cache mounts */
  public Path cacheMountsDir() {
    return root.resolve("cache-mounts");
  }

  /** @return the layout of images tagged without a transport */
  public Path imagesDir() {
    return root.resolve("images");
  }

  /** @return the directory for work directories */
  public Path tmpDir() {
    return root.resolve("tmp");
  }

  @Override
  public void close() throws IOException {
    try {
      if (lock != null && lock.isValid()) {
        lock.release();
      }
    } finally {
      lockChannel.close();
    }
  }
}
