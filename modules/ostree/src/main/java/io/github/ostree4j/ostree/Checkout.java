package io.github.ostree4j.ostree;

import io.github.ostree4j.ostree.internal.PosixFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Phaser;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Writes a committed tree to the filesystem as {@code ostree checkout} (2022.7) does.
 *
 * <ul>
 *   <li>Directories are created with mode 0700, filled, then given their recorded mode (including
 *       setuid, setgid and sticky bits), owner and {@code user.*} xattrs, and modification time 0.
 *   <li>In user mode ({@code -U}) nothing is chowned and no xattrs are set; setuid and setgid bits
 *       are dropped from files and files get {@code u+r}.
 *   <li>Regular files are hardlinked to the object files when the repository stores them in the
 *       checkout's form: a {@code bare} repository in non-user mode, a {@code bare-user} (or
 *       {@code bare-user-only}) repository in user mode. Empty files, symlinks of bare-user
 *       repositories and, in user mode, files without {@code u+r} are copied. Archive repositories
 *       are always decompressed.
 *   <li>Names from dirtrees are validated and existing symlinks are never followed: a symlink or
 *       file where a directory is to be created is an error, and files are replaced by renaming.
 * </ul>
 *
 * <p>Files are written by a pool of {@link CheckoutOptions#threads()} threads. An instance may be
 * reused and shared by threads.
 */
public final class Checkout {

  private static final int S_IRUSR = 0400;
  private static final FileAttribute<Set<PosixFilePermission>> DIR_0700 =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
  private static final FileAttribute<Set<PosixFilePermission>> FILE_0600 =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
  private static final FileTime EPOCH = FileTime.fromMillis(0);
  private static final AtomicInteger TMP_COUNTER = new AtomicInteger();

  private final OstreeRepo repo;

  /** A checkout from {@code repo}. */
  public Checkout(OstreeRepo repo) {
    this.repo = repo;
  }

  /**
   * Checks out a commit (or the options' subpath of it) to {@code destination}.
   *
   * <p>A directory is checked out as {@code destination} itself, which must not exist unless the
   * overwrite mode is a union. A single file ({@code subpath} naming a file) is written into the
   * directory {@code destination}, which is created if missing.
   *
   * @throws MissingObjectException if an object of the tree is missing
   * @throws OstreeException naming the path when a file cannot be written
   */
  public void checkout(Checksum commit, Path destination, CheckoutOptions options) throws IOException {
    Commit c = repo.readCommit(commit);
    RepoFile target = RepoFile.root(repo, c).resolve(options.subpath());
    new Run(options).run(target, destination);
  }

  /** State of one checkout. */
  private final class Run {
    private final CheckoutOptions options;
    private final boolean userMode;
    private final boolean repoUserMode;
    private final boolean hardlinkable;
    private final boolean canonicalDirModes;
    private final Map<Checksum, DirMeta> metaCache = new HashMap<>();
    private final List<Object[]> createdDirs = new ArrayList<>();
    private final AtomicReference<IOException> failure = new AtomicReference<>();
    private final Phaser pending = new Phaser(1);
    private ThreadPoolExecutor pool;

    Run(CheckoutOptions options) {
      this.options = options;
      RepoMode m = repo.mode();
      this.repoUserMode = m == RepoMode.BARE_USER || m == RepoMode.BARE_USER_ONLY;
      this.userMode = options.userMode() || m == RepoMode.BARE_USER_ONLY;
      this.hardlinkable = (m == RepoMode.BARE && !userMode) || (repoUserMode && userMode);
      this.canonicalDirModes = m == RepoMode.BARE_USER_ONLY || options.bareUserOnlyDirs();
    }

    void run(RepoFile target, Path destination) throws IOException {
      if (!target.isDirectory()) {
        try {
          Files.createDirectory(destination, DIR_0700);
        } catch (FileAlreadyExistsException e) {
          if (!Files.isDirectory(destination)) {
            throw new OstreeException("checking out " + target.path() + ": " + destination
                + " exists and is not a directory");
          }
        }
        checkHardlinkDevice(destination);
        checkoutFile(destination, target.name(), target.contentChecksum(), target.path());
        return;
      }
      if (options.threads() > 1) {
        pool = new ThreadPoolExecutor(options.threads(), options.threads(), 10, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(4096), r -> {
              Thread t = new Thread(r, "ostree4j-checkout");
              t.setDaemon(true);
              return t;
            }, new ThreadPoolExecutor.CallerRunsPolicy());
      }
      try {
        try {
          walk(destination, target.path(), target.treeChecksum(), target.metaChecksum(), true);
        } catch (IOException e) {
          failure.compareAndSet(null, e);
        } finally {
          pending.arriveAndAwaitAdvance();
        }
        IOException f = failure.get();
        if (f != null) {
          throw f;
        }
      } finally {
        if (pool != null) {
          pool.shutdownNow();
        }
      }
      for (int i = createdDirs.size() - 1; i >= 0; i--) {
        Object[] d = createdDirs.get(i);
        finishDirectory((Path) d[0], (String) d[1], (DirMeta) d[2]);
      }
    }

    private void checkHardlinkDevice(Path destination) throws IOException {
      if (!options.requireHardlinks()) {
        return;
      }
      long src = PosixFiles.lstat(repo.path()).dev;
      long dst = PosixFiles.lstat(destination).dev;
      if (src != dst) {
        throw new OstreeException("Unable to do hardlink checkout across devices (src=" + src
            + " destination=" + dst + ")");
      }
    }

    private DirMeta meta(Checksum c) throws IOException {
      DirMeta m = metaCache.get(c);
      if (m == null) {
        m = repo.readDirMeta(c);
        metaCache.put(c, m);
      }
      return m;
    }

    private void walk(Path dir, String path, Checksum tree, Checksum metaChecksum, boolean root)
        throws IOException {
      IOException f = failure.get();
      if (f != null) {
        throw f;
      }
      DirMeta meta = meta(metaChecksum);
      boolean created = makeDirectory(dir, path, root);
      if (root) {
        checkHardlinkDevice(dir);
      }
      if (created && !userMode && !meta.xattrs().isEmpty()) {
        try {
          PosixFiles.writeXattrs(dir, meta.xattrs());
        } catch (IOException e) {
          throw failed(path, dir, e);
        }
      }
      DirTree dt = repo.readDirTree(tree);
      Set<String> seen = new HashSet<>();
      String prefix = path.equals("/") ? "/" : path + "/";
      for (DirTree.FileEntry e : dt.files()) {
        checkName(tree, e.name(), seen);
      }
      for (DirTree.DirEntry e : dt.dirs()) {
        checkName(tree, e.name(), seen);
      }
      for (DirTree.FileEntry e : dt.files()) {
        submit(dir, e.name(), e.checksum(), prefix + e.name());
      }
      for (DirTree.DirEntry e : dt.dirs()) {
        walk(dir.resolve(e.name()), prefix + e.name(), e.tree(), e.meta(), false);
      }
      if (created) {
        createdDirs.add(new Object[] {dir, path, meta});
      }
    }

    private void checkName(Checksum tree, String name, Set<String> seen) throws CorruptObjectException {
      if (name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0
          || name.indexOf('\0') >= 0) {
        throw new CorruptObjectException("dirtree " + tree + ": invalid file name '" + name + "'");
      }
      if (!seen.add(name)) {
        throw new CorruptObjectException("dirtree " + tree + ": duplicate name '" + name + "'");
      }
    }

    /** Creates a directory with mode 0700; returns false if a directory exists (union modes). */
    private boolean makeDirectory(Path dir, String path, boolean root) throws IOException {
      try {
        Files.createDirectory(dir, DIR_0700);
        return true;
      } catch (FileAlreadyExistsException e) {
        if (options.overwrite() == CheckoutOptions.Overwrite.NONE) {
          throw failed(path, dir, e);
        }
        boolean isDir = root ? Files.isDirectory(dir) : Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS);
        if (!isDir) {
          throw new OstreeException("checking out " + path + ": " + dir
              + " exists and is not a directory" + (Files.isSymbolicLink(dir) ? " (a symlink)" : ""));
        }
        return false;
      } catch (IOException e) {
        throw failed(path, dir, e);
      }
    }

    private void finishDirectory(Path dir, String path, DirMeta meta) throws IOException {
      try {
        if (!userMode) {
          PosixFiles.lchown(dir, meta.uid(), meta.gid());
        }
        int mode = meta.mode() & 07777;
        PosixFiles.chmod(dir, canonicalDirModes ? mode & 0775 : mode);
        if (!options.forceCopy()) {
          Files.getFileAttributeView(dir, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
              .setTimes(EPOCH, null, null);
        }
      } catch (IOException e) {
        throw failed(path, dir, e);
      }
    }

    private void submit(Path dir, String name, Checksum checksum, String path) throws IOException {
      if (pool == null) {
        checkoutFile(dir, name, checksum, path);
        return;
      }
      pending.register();
      try {
        pool.execute(() -> {
          try {
            if (failure.get() == null) {
              checkoutFile(dir, name, checksum, path);
            }
          } catch (IOException e) {
            failure.compareAndSet(null, e);
          } catch (RuntimeException | Error e) {
            failure.compareAndSet(null, new OstreeException("checking out " + path + ": " + e, e));
          } finally {
            pending.arriveAndDeregister();
          }
        });
      } catch (RuntimeException e) {
        pending.arriveAndDeregister();
        throw e;
      }
    }

    private void checkoutFile(Path dir, String name, Checksum checksum, String path) throws IOException {
      Path dest = dir.resolve(name);
      try {
        if (repo.mode() == RepoMode.ARCHIVE) {
          try (ContentObject obj = repo.openContent(checksum)) {
            checkoutFile(dest, checksum, path, obj.header(), obj.size(), obj);
          }
        } else {
          Path object = repo.objectPath(checksum, ObjectType.FILE);
          long[] size = new long[1];
          FileHeader h = bareHeader(checksum, object, size);
          checkoutFile(dest, checksum, path, h, size[0], null);
        }
      } catch (OstreeException e) {
        throw e;
      } catch (IOException e) {
        throw failed(path, dest, e);
      }
    }

    /**
     * The header of a content object of a bare repository, read from its file's metadata without
     * opening the file (except for bare-user symlinks, whose target is the content).
     */
    private FileHeader bareHeader(Checksum checksum, Path object, long[] size) throws IOException {
      String name = "content object " + checksum + ".file";
      try {
        switch (repo.mode()) {
          case BARE_USER:
            {
              byte[] meta = PosixFiles.readUserXattr(object, "user.ostreemeta");
              if (meta == null) {
                throw new CorruptObjectException(name + ": missing user.ostreemeta xattr");
              }
              try {
                FileHeader h = FileHeader.parseOstreemeta(meta, "-");
                if (h.isSymlink()) {
                  byte[] t = Files.readAllBytes(object);
                  int len = t.length > 0 && t[t.length - 1] == 0 ? t.length - 1 : t.length;
                  h = FileHeader.parseOstreemeta(meta, new String(t, 0, len, java.nio.charset.StandardCharsets.UTF_8));
                  size[0] = 0;
                } else {
                  size[0] = Files.size(object);
                }
                return h;
              } catch (io.github.ostree4j.ostree.gvariant.GVariantFormatException e) {
                throw new CorruptObjectException(name + ": invalid user.ostreemeta: " + e.getMessage(), e);
              }
            }
          default:
            {
              PosixFiles.Stat st = PosixFiles.lstat(object);
              boolean userOnly = repo.mode() == RepoMode.BARE_USER_ONLY;
              int uid = userOnly ? 0 : st.uid;
              int gid = userOnly ? 0 : st.gid;
              if (FileMode.isSymlink(st.mode)) {
                size[0] = 0;
                return FileHeader.symlink(uid, gid, PosixFiles.readSymlink(object), Xattrs.EMPTY);
              }
              size[0] = st.size;
              Xattrs x = userOnly || userMode ? Xattrs.EMPTY : PosixFiles.readUserXattrs(object);
              return FileHeader.regular(uid, gid, st.mode, x);
            }
        }
      } catch (NoSuchFileException e) {
        throw new MissingObjectException(checksum, ObjectType.FILE);
      }
    }

    private void checkoutFile(Path dest, Checksum checksum, String path, FileHeader h, long size, ContentObject obj)
        throws IOException {
      boolean symlink = h.isSymlink();
      boolean bareUserSymlink = repoUserMode && symlink;
      if (options.requireHardlinks() && !hardlinkable && !bareUserSymlink) {
        throw new OstreeException("checking out " + path + ": cannot hardlink from a "
            + repo.mode().configName() + " repository in " + (userMode ? "user" : "non-user")
            + " checkout mode (--require-hardlinks)");
      }
      boolean zeroSized = !symlink && size == 0;
      boolean unreadable = !symlink && (h.mode() & S_IRUSR) == 0;
      if (hardlinkable && !bareUserSymlink && !options.forceCopy() && !zeroSized && !(userMode && unreadable)) {
        if (hardlink(dest, repo.objectPath(checksum, ObjectType.FILE), path)) {
          return;
        }
      }
      if (symlink) {
        writeSymlink(dest, h, path);
      } else {
        writeRegular(dest, h, obj, size, checksum, path);
      }
    }

    /** Links {@code dest} to the object; false if the filesystem cannot (then the file is copied). */
    private boolean hardlink(Path dest, Path object, String path) throws IOException {
      try {
        Files.createLink(dest, object);
        return true;
      } catch (FileAlreadyExistsException e) {
        switch (options.overwrite()) {
          case UNION_ADD:
            return true;
          case UNION:
            {
              PosixFiles.Stat a = PosixFiles.lstat(dest);
              PosixFiles.Stat b = PosixFiles.lstat(object);
              if (a.dev == b.dev && a.ino == b.ino) {
                return true;
              }
              Path tmp = tempName(dest);
              try {
                Files.createLink(tmp, object);
                Files.move(tmp, dest, StandardCopyOption.ATOMIC_MOVE);
              } finally {
                Files.deleteIfExists(tmp);
              }
              return true;
            }
          default:
            throw e;
        }
      } catch (FileSystemException e) {
        if (!(e instanceof NoSuchFileException) && !(e instanceof AccessDeniedException) && isLinkUnsupported(e)) {
          if (options.requireHardlinks()) {
            throw new OstreeException("checking out " + path + ": cannot hardlink " + object + " to "
                + dest + ": " + e.getReason());
          }
          return false;
        }
        throw e;
      }
    }

    private boolean isLinkUnsupported(FileSystemException e) {
      String r = e.getReason();
      return r != null && (r.contains("cross-device") || r.contains("Too many links")
          || r.contains("Operation not permitted") || r.contains("not supported"));
    }

    private void writeSymlink(Path dest, FileHeader h, String path) throws IOException {
      Path target = Path.of(h.symlinkTarget());
      try {
        Files.createSymbolicLink(dest, target);
      } catch (FileAlreadyExistsException e) {
        switch (options.overwrite()) {
          case UNION_ADD:
            return;
          case UNION:
            {
              Path tmp = tempName(dest);
              try {
                Files.createSymbolicLink(tmp, target);
                renameOver(tmp, dest);
              } finally {
                Files.deleteIfExists(tmp);
              }
              break;
            }
          default:
            throw e;
        }
      }
      if (!userMode) {
        PosixFiles.lchown(dest, h.uid(), h.gid());
        if (!h.xattrs().isEmpty()) {
          PosixFiles.writeXattrs(dest, h.xattrs());
        }
      }
    }

    private void writeRegular(Path dest, FileHeader h, ContentObject obj, long size, Checksum checksum, String path)
        throws IOException {
      int mode = h.mode() & 07777;
      if (userMode) {
        mode &= ~(FileMode.S_ISUID | FileMode.S_ISGID);
        mode |= S_IRUSR;
      }
      boolean replace = options.overwrite() == CheckoutOptions.Overwrite.UNION;
      Path out = replace ? tempName(dest) : dest;
      try {
        try (FileChannel ch = FileChannel.open(out,
            Set.<OpenOption>of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), FILE_0600)) {
          try {
            copyPayload(obj, size, checksum, ch);
          } catch (IOException e) {
            // Never leave a file with unverified or partial content behind.
            Files.deleteIfExists(out);
            throw e;
          }
        } catch (FileAlreadyExistsException e) {
          if (options.overwrite() == CheckoutOptions.Overwrite.UNION_ADD) {
            return;
          }
          throw e;
        }
        if (!userMode) {
          PosixFiles.lchown(out, h.uid(), h.gid());
          if (!h.xattrs().isEmpty()) {
            PosixFiles.writeXattrs(out, h.xattrs());
          }
        }
        PosixFiles.chmod(out, mode);
        if (replace) {
          renameOver(out, dest);
        }
      } finally {
        if (replace) {
          Files.deleteIfExists(out);
        }
      }
    }

    private void renameOver(Path tmp, Path dest) throws IOException {
      try {
        Files.move(tmp, dest, StandardCopyOption.ATOMIC_MOVE);
      } catch (DirectoryNotEmptyException e) {
        throw new OstreeException(dest + " exists and is a directory");
      } catch (FileSystemException e) {
        if (Files.isDirectory(dest, LinkOption.NOFOLLOW_LINKS)) {
          throw new OstreeException(dest + " exists and is a directory");
        }
        throw e;
      }
    }

    private void copyPayload(ContentObject obj, long size, Checksum checksum, FileChannel ch) throws IOException {
      if (obj == null) {
        try (FileChannel in = FileChannel.open(repo.objectPath(checksum, ObjectType.FILE), StandardOpenOption.READ)) {
          long done = 0;
          while (done < size) {
            long n = in.transferTo(done, size - done, ch);
            if (n <= 0) {
              if (in.size() <= done) {
                throw new CorruptObjectException("content object " + checksum + ".file: shorter than "
                    + size + " bytes");
              }
              continue;
            }
            done += n;
          }
        }
        return;
      }
      InputStream in = obj.payload();
      byte[] buf = new byte[128 * 1024];
      ByteBuffer bb = ByteBuffer.wrap(buf);
      int n;
      while ((n = in.read(buf)) >= 0) {
        bb.clear().limit(n);
        while (bb.hasRemaining()) {
          ch.write(bb);
        }
      }
    }

    private Path tempName(Path dest) {
      return dest.resolveSibling(".ostree4j-checkout-" + Long.toHexString(ThreadLocalRandom.current().nextLong())
          + "-" + TMP_COUNTER.incrementAndGet());
    }

    private OstreeException failed(String path, Path dest, IOException e) {
      if (e instanceof OstreeException) {
        return (OstreeException) e;
      }
      String why;
      if (e instanceof FileAlreadyExistsException) {
        why = "File exists";
      } else if (e instanceof NoSuchFileException) {
        why = "No such file or directory";
      } else if (e instanceof AccessDeniedException) {
        why = "Permission denied";
      } else if (e instanceof NotDirectoryException) {
        why = "Not a directory";
      } else if (e instanceof FileSystemException && ((FileSystemException) e).getReason() != null) {
        why = ((FileSystemException) e).getReason();
      } else {
        why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      }
      return new OstreeException("checking out " + path + " to " + dest + ": " + why, e);
    }
  }
}
