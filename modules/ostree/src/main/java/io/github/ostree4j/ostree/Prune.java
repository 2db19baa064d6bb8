package io.github.ostree4j.ostree;

import io.github.ostree4j.ostree.gvariant.Variant;
import io.github.ostree4j.ostree.internal.Formats;
import io.github.ostree4j.ostree.internal.PosixFiles;
import io.github.ostree4j.ostree.internal.StaticDeltas;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Deletes unreachable objects as {@code ostree prune} (2022.7) does.
 *
 * <p>Reachability starts either from every commit object (default: only dirtrees, dirmetas and
 * content no commit needs are deleted) or, with {@link #refsOnly(boolean)}, from the commits of the
 * refs (heads, remotes, mirrors and aliases) and their parents up to {@link #depth(int)} (or while
 * they are younger than {@link #keepYoungerThan(long)}); commits outside that set are deleted
 * too, with their detached metadata. Static deltas whose target commit is gone are deleted
 * afterwards. An object reachable from a ref is never deleted; a ref to a missing commit or a
 * missing dirtree or dirmeta below a complete commit aborts the prune before anything is deleted.
 *
 * <p>Counts follow ostree: only {@code .file}/{@code .filez}, {@code .dirtree}, {@code .dirmeta}
 * and {@code .commit} objects are counted; the freed size is the sum of the deleted files' sizes.
 * The repository's {@code .lock} is held exclusively while pruning.
 */
public final class Prune {

  private static final String TOMBSTONE_EXT = "tombstone-commit";

  private final OstreeRepo repo;
  private boolean refsOnly;
  private int depth = -1;
  private boolean dryRun;
  private Long keepYoungerThan;

  /** A prune of {@code repo}. */
  public Prune(OstreeRepo repo) {
    this.repo = repo;
  }

  /** Only keep what refs reach ({@code --refs-only}); default false: every commit is kept. */
  public Prune refsOnly(boolean v) {
    this.refsOnly = v;
    return this;
  }

  /** Parents to keep below each ref's commit ({@code --depth}); -1 (default) keeps all. */
  public Prune depth(int d) {
    if (d < -1) {
      throw new IllegalArgumentException("depth must be -1 or more, got " + d);
    }
    this.depth = d;
    return this;
  }

  /** Only count what would be deleted ({@code --no-prune}); default false. */
  public Prune dryRun(boolean v) {
    this.dryRun = v;
    return this;
  }

  /**
   * Keep, below each ref, only the commits at least as new as {@code epochSeconds}
   * ({@code --keep-younger-than}); the ref's own commit is always kept. Implies refs-only
   * reachability, and the depth is then not used.
   */
  public Prune keepYoungerThan(long epochSeconds) {
    this.keepYoungerThan = epochSeconds;
    return this;
  }

  /** The outcome of a prune. */
  public static final class Result {
    private final int totalObjects;
    private final int prunedObjects;
    private final long freedBytes;
    private final List<String> deleted;

    Result(int totalObjects, int prunedObjects, long freedBytes, List<String> deleted) {
      this.totalObjects = totalObjects;
      this.prunedObjects = prunedObjects;
      this.freedBytes = freedBytes;
      this.deleted = List.copyOf(deleted);
    }

    /** Objects in the repository before pruning. */
    public int totalObjects() {
      return totalObjects;
    }

    /** Objects deleted (or that would be, in a dry run). */
    public int prunedObjects() {
      return prunedObjects;
    }

    /** Bytes freed (or that would be). */
    public long freedBytes() {
      return freedBytes;
    }

    /** The freed size as ostree prints it ({@code g_format_size}): {@code 231 bytes}, {@code 1.2 MB}. */
    public String freedSizeText() {
      return Formats.formatSize(freedBytes);
    }

    /** The unreachable objects as {@code CHECKSUM.TYPE}, sorted. */
    public List<String> unreachable() {
      return deleted;
    }
  }

  /**
   * Deletes one commit as {@code ostree prune --delete-commit} does: refuses when a ref points to
   * it, enables {@code core.tombstone-commits} in the config, deletes the commit and its detached
   * metadata and writes a tombstone. Run {@link #run()} afterwards to delete what it alone needed.
   *
   * @throws OstreeException if a ref points to the commit or the commit does not exist
   */
  public void deleteCommit(Checksum commit) throws IOException {
    try (FileLock lock = lock()) {
      for (Map.Entry<String, Checksum> e : allRefs().entrySet()) {
        if (e.getValue().equals(commit)) {
          throw new OstreeException("Commit '" + commit + "' is referenced by '" + e.getKey() + "'");
        }
      }
      if (!repo.hasObject(commit, ObjectType.COMMIT)) {
        throw new OstreeException("deleting commit " + commit + ": no such commit");
      }
      if (!repo.config().getBoolean("core", "tombstone-commits").orElse(false)) {
        repo.config().set("core", "tombstone-commits", "true");
        repo.saveConfig();
      }
      deleteCommitObject(commit);
    }
  }

  private void deleteCommitObject(Checksum commit) throws IOException {
    repo.deleteObject(commit, ObjectType.COMMIT_META);
    repo.deleteObject(commit, ObjectType.COMMIT);
    if (repo.config().getBoolean("core", "tombstone-commits").orElse(false)) {
      Map<String, Variant> md = new LinkedHashMap<>();
      byte[] hex = (commit.hex() + "\0").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      md.put("commit", Variant.bytes(hex));
      writeTombstone(commit, Variant.vardict(md).serialize());
    }
  }

  private void writeTombstone(Checksum commit, byte[] bytes) throws IOException {
    Path dir = repo.ensureObjectDir(commit);
    Path dest = dir.resolve(commit.hex().substring(2) + "." + TOMBSTONE_EXT);
    Path tmp = repo.tmpDir().resolve("tombstone-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    try {
      Files.write(tmp, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      PosixFiles.chmod(tmp, 0644);
      Files.move(tmp, dest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Computes the reachable set and deletes (or, in a dry run, counts) everything else.
   *
   * @throws OstreeException if a ref points to a missing commit or a complete commit lacks a
   *     dirtree or dirmeta; nothing is deleted then
   */
  public Result run() throws IOException {
    try (FileLock lock = lock()) {
      List<String[]> objects = new ArrayList<>();
      repo.forEachObject((c, t) -> {
        if (t == ObjectType.FILE || t == ObjectType.DIR_TREE || t == ObjectType.DIR_META || t == ObjectType.COMMIT) {
          objects.add(new String[] {c.hex(), t.name()});
        }
      });
      Set<String> reachable = new HashSet<>();
      Walker w = new Walker(reachable);
      boolean fromRefs = refsOnly || keepYoungerThan != null;
      if (fromRefs) {
        for (Map.Entry<String, Checksum> e : allRefs().entrySet()) {
          if (!repo.hasObject(e.getValue(), ObjectType.COMMIT)) {
            throw new OstreeException("pruning: ref " + e.getKey() + " points to missing commit " + e.getValue());
          }
          if (keepYoungerThan != null) {
            w.keepYoungerThan(e.getValue(), keepYoungerThan);
          } else {
            w.commit(e.getValue(), depth);
          }
        }
      } else {
        for (String[] o : objects) {
          if (o[1].equals(ObjectType.COMMIT.name())) {
            w.commit(Checksum.parse(o[0]), depth);
          }
        }
      }
      int pruned = 0;
      long freed = 0;
      List<String> unreachable = new ArrayList<>();
      List<Checksum> commitsToDelete = new ArrayList<>();
      List<Object[]> othersToDelete = new ArrayList<>();
      for (String[] o : objects) {
        ObjectType t = ObjectType.valueOf(o[1]);
        if (reachable.contains(key(o[0], t))) {
          continue;
        }
        Checksum c = Checksum.parse(o[0]);
        Path p = repo.objectPath(c, t);
        try {
          freed += PosixFiles.lstat(p).size;
        } catch (NoSuchFileException e) {
          continue;
        }
        pruned++;
        unreachable.add(o[0] + "." + t.extension());
        if (t == ObjectType.COMMIT) {
          commitsToDelete.add(c);
        } else {
          othersToDelete.add(new Object[] {c, t});
        }
      }
      if (!dryRun) {
        for (Checksum c : commitsToDelete) {
          deleteCommitObject(c);
        }
        for (Object[] o : othersToDelete) {
          repo.deleteObject((Checksum) o[0], (ObjectType) o[1]);
        }
        pruneStaticDeltas();
      }
      unreachable.sort(null);
      return new Result(objects.size(), pruned, freed, unreachable);
    }
  }

  private static String key(String hex, ObjectType t) {
    return hex + "." + t.extension();
  }

  /** Deletes static deltas (and their index) whose target commit no longer exists. */
  private void pruneStaticDeltas() throws IOException {
    Set<Checksum> goneTargets = new HashSet<>();
    for (StaticDeltas.Delta d : StaticDeltas.list(repo.path())) {
      if (!repo.hasObject(d.to(), ObjectType.COMMIT)) {
        deleteTree(d.dir());
        goneTargets.add(d.to());
      }
    }
    for (Checksum to : goneTargets) {
      Files.deleteIfExists(StaticDeltas.indexPath(repo.path(), to));
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    List<Path> all = new ArrayList<>();
    try (Stream<Path> s = Files.walk(dir)) {
      s.forEach(all::add);
    }
    for (int i = all.size() - 1; i >= 0; i--) {
      Files.deleteIfExists(all.get(i));
    }
  }

  private FileLock lock() throws IOException {
    Path lockFile = repo.path().resolve(".lock");
    if (!Files.exists(lockFile)) {
      return null;
    }
    FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.WRITE);
    try {
      FileLock l = ch.lock();
      return new ClosingLock(ch, l);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** A lock that closes its channel when released. */
  private static final class ClosingLock extends FileLock {
    private final FileLock inner;

    ClosingLock(FileChannel ch, FileLock inner) {
      super(ch, 0, Long.MAX_VALUE, false);
      this.inner = inner;
    }

    @Override
    public boolean isValid() {
      return inner.isValid();
    }

    @Override
    public void release() throws IOException {
      try {
        if (inner.isValid()) {
          inner.release();
        }
      } finally {
        channel().close();
      }
    }
  }

  /** Refs that protect commits: heads (aliases resolved), remotes and mirrors. */
  private Map<String, Checksum> allRefs() throws IOException {
    Map<String, Checksum> out = new TreeMap<>(repo.refs().list());
    for (Map.Entry<String, Checksum> e : repo.refs().listMirrors().entrySet()) {
      out.put("(" + e.getKey().replaceFirst(":", ", ") + ")", e.getValue());
    }
    return out;
  }

  /** Adds what commits reach to the reachable set. */
  private final class Walker {
    private final Set<String> reachable;
    private final Set<Checksum> doneTrees = new HashSet<>();

    Walker(Set<String> reachable) {
      this.reachable = reachable;
    }

    void keepYoungerThan(Checksum ref, long cutoff) throws IOException {
      commit(ref, 0);
      Checksum next = ref;
      while (next != null && repo.hasObject(next, ObjectType.COMMIT)) {
        Commit c = repo.readCommit(next);
        if (c.timestamp() < cutoff) {
          break;
        }
        commit(next, 0);
        next = c.parent().orElse(null);
      }
    }

    void commit(Checksum start, int maxDepth) throws IOException {
      Checksum c = start;
      int remaining = maxDepth;
      while (c != null) {
        if (!repo.hasObject(c, ObjectType.COMMIT)) {
          return;
        }
        boolean fresh = reachable.add(key(c.hex(), ObjectType.COMMIT));
        Commit commit = repo.readCommit(c);
        if (fresh) {
          boolean partial = Files.exists(repo.path().resolve("state").resolve(c.hex() + ".commitpartial"));
          reachable.add(key(commit.rootMeta().hex(), ObjectType.DIR_META));
          if (!partial && !repo.hasObject(commit.rootMeta(), ObjectType.DIR_META)) {
            throw missing("dirmeta", commit.rootMeta(), c);
          }
          tree(commit.rootTree(), c, partial);
        }
        if (remaining == 0) {
          return;
        }
        if (remaining > 0) {
          remaining--;
        }
        c = commit.parent().orElse(null);
      }
    }

    private OstreeException missing(String what, Checksum obj, Checksum commit) {
      return new OstreeException("pruning: " + what + " " + obj + " of commit " + commit
          + " is missing; run fsck (nothing was deleted)");
    }

    private void tree(Checksum t, Checksum commit, boolean partial) throws IOException {
      reachable.add(key(t.hex(), ObjectType.DIR_TREE));
      if (!doneTrees.add(t)) {
        return;
      }
      if (!repo.hasObject(t, ObjectType.DIR_TREE)) {
        if (partial) {
          doneTrees.remove(t);
          return;
        }
        throw missing("dirtree", t, commit);
      }
      DirTree dt = repo.readDirTree(t);
      for (DirTree.FileEntry f : dt.files()) {
        reachable.add(key(f.checksum().hex(), ObjectType.FILE));
      }
      for (DirTree.DirEntry d : dt.dirs()) {
        reachable.add(key(d.meta().hex(), ObjectType.DIR_META));
        if (!partial && !repo.hasObject(d.meta(), ObjectType.DIR_META)) {
          throw missing("dirmeta", d.meta(), commit);
        }
        tree(d.tree(), commit, partial);
      }
    }
  }
}
