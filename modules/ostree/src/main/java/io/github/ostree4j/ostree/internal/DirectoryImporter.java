package io.github.ostree4j.ostree.internal;

import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.ostree.Committer;
import io.github.ostree4j.ostree.DirMeta;
import io.github.ostree4j.ostree.FileHeader;
import io.github.ostree4j.ostree.FileMode;
import io.github.ostree4j.ostree.MutableTree;
import io.github.ostree4j.ostree.ObjectType;
import io.github.ostree4j.ostree.OstreeException;
import io.github.ostree4j.ostree.OstreeRepo;
import io.github.ostree4j.ostree.Xattrs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Reads a directory into a {@link MutableTree}: the walk runs on the calling thread, regular files
 * are hashed and stored by a small pool (one thread per core), and files sharing an inode are
 * stored once.
 */
public final class DirectoryImporter {

  private static final int MAX_IN_FLIGHT = 1024;

  private final OstreeRepo repo;
  private final Committer.ContentPolicy policy;
  private final Map<String, Boolean> writtenMeta = new ConcurrentHashMap<>();
  private final Map<Long, CompletableFuture<Checksum>> byInode = new ConcurrentHashMap<>();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
  private final List<CompletableFuture<?>> pending = new ArrayList<>();

  /** An importer writing into {@code repo} with the given policy. */
  public DirectoryImporter(OstreeRepo repo, Committer.ContentPolicy policy) {
    this.repo = repo;
    this.policy = policy;
  }

  /**
   * Imports {@code root}; its own metadata becomes the tree's root dirmeta.
   *
   * @throws IOException naming the first path that failed
   */
  public MutableTree importTree(Path root) throws IOException {
    ExecutorService pool = BlockDeflater.pool();
    {
      MutableTree tree = new MutableTree();
      PosixFiles.Stat st = PosixFiles.lstat(root);
      walk(root, "", st, tree, pool);
      for (CompletableFuture<?> f : pending) {
        try {
          f.get();
        } catch (ExecutionException e) {
          rethrow(e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while committing " + root, e);
        }
      }
      Throwable t = failure.get();
      if (t != null) {
        rethrow(t);
      }
      return tree;
    }
  }

  private static void rethrow(Throwable t) throws IOException {
    if (t instanceof UncheckedIOException) {
      throw ((UncheckedIOException) t).getCause();
    }
    if (t instanceof IOException) {
      throw (IOException) t;
    }
    if (t instanceof RuntimeException) {
      throw (RuntimeException) t;
    }
    throw new IOException(t);
  }

  private void walk(Path dir, String rel, PosixFiles.Stat st, MutableTree tree, ExecutorService pool)
      throws IOException {
    if (failure.get() != null) {
      return;
    }
    Xattrs x = policy.skipXattrs() ? Xattrs.EMPTY : PosixFiles.readUserXattrs(dir);
    DirMeta meta = DirMeta.of(policy.uid(st.uid), policy.gid(st.gid), policy.permissions(st.mode), x);
    tree.setMetaChecksum(writeDirMeta(meta));
    List<Path> children = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        children.add(p);
      }
    }
    for (Path child : children) {
      String name = child.getFileName().toString();
      String childRel = rel.isEmpty() ? name : rel + "/" + name;
      PosixFiles.Stat cst = PosixFiles.lstat(child);
      switch (cst.mode & FileMode.S_IFMT) {
        case FileMode.S_IFDIR:
          walk(child, childRel, cst, tree.ensureDir(name), pool);
          break;
        case FileMode.S_IFLNK:
          {
            FileHeader h = FileHeader.symlink(policy.uid(cst.uid), policy.gid(cst.gid),
                PosixFiles.readSymlink(child), Xattrs.EMPTY);
            tree.putFile(name, repo.writeContent(h, java.io.InputStream.nullInputStream(), 0));
            break;
          }
        case FileMode.S_IFREG:
          submitFile(child, childRel, name, cst, tree, pool);
          break;
        default:
          throw new OstreeException("committing " + childRel + ": unsupported file type ("
              + describe(cst.mode) + "); only regular files, symlinks and directories can be committed");
      }
    }
  }

  private void submitFile(Path file, String rel, String name, PosixFiles.Stat st, MutableTree tree,
      ExecutorService pool) throws IOException {
    if (st.nlink > 1) {
      long key = st.ino ^ (st.dev << 48);
      CompletableFuture<Checksum> mine = new CompletableFuture<>();
      CompletableFuture<Checksum> existing = byInode.putIfAbsent(key, mine);
      if (existing != null) {
        pending.add(existing.thenAccept(c -> put(tree, name, c)));
        return;
      }
      runFile(file, rel, st, pool, mine);
      pending.add(mine.thenAccept(c -> put(tree, name, c)));
      return;
    }
    CompletableFuture<Checksum> f = new CompletableFuture<>();
    runFile(file, rel, st, pool, f);
    pending.add(f.thenAccept(c -> put(tree, name, c)));
  }

  private static void put(MutableTree tree, String name, Checksum c) {
    try {
      tree.putFile(name, c);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void runFile(Path file, String rel, PosixFiles.Stat st, ExecutorService pool,
      CompletableFuture<Checksum> result) throws IOException {
    try {
      inFlight.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    pool.execute(() -> {
      try {
        if (failure.get() != null) {
          result.completeExceptionally(failure.get());
          return;
        }
        Xattrs x = policy.skipXattrs() ? Xattrs.EMPTY : PosixFiles.readUserXattrs(file);
        FileHeader h = FileHeader.regular(policy.uid(st.uid), policy.gid(st.gid), policy.permissions(st.mode), x);
        result.complete(repo.writeContent(h, file, st.size));
      } catch (IOException e) {
        IOException named = e instanceof OstreeException ? e
            : new IOException("committing " + rel + ": " + e.getMessage(), e);
        failure.compareAndSet(null, named);
        result.completeExceptionally(named);
      } catch (RuntimeException e) {
        failure.compareAndSet(null, e);
        result.completeExceptionally(e);
      } finally {
        inFlight.release();
      }
    });
  }

  private Checksum writeDirMeta(DirMeta meta) throws IOException {
    byte[] b = meta.serialize();
    Checksum c = Checksum.fromBytes(ObjectWriter.sha256().digest(b));
    if (writtenMeta.putIfAbsent(c.hex(), Boolean.TRUE) == null) {
      repo.writeMetadata(ObjectType.DIR_META, b);
    }
    return c;
  }

  static String describe(int mode) {
    switch (mode & FileMode.S_IFMT) {
      case FileMode.S_IFCHR:
        return "character device";
      case FileMode.S_IFBLK:
        return "block device";
      case FileMode.S_IFIFO:
        return "fifo";
      case FileMode.S_IFSOCK:
        return "socket";
      default:
        return String.format("mode 0%o", mode);
    }
  }
}
