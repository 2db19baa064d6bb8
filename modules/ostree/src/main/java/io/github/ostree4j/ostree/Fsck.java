package io.github.ostree4j.ostree;

import io.github.ostree4j.ostree.FsckReport.Kind;
import io.github.ostree4j.ostree.FsckReport.Problem;
import io.github.ostree4j.ostree.gvariant.GVariantCodec;
import io.github.ostree4j.ostree.gvariant.GVariantFormatException;
import io.github.ostree4j.ostree.gvariant.VariantType;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Verifies a repository as {@code ostree fsck} does, and more:
 *
 * <ul>
 *   <li>every loose object is re-hashed: metadata objects must hash to their name and be in
 *       GVariant normal form for their type; content objects must hash to their name, and archive
 *       objects must decompress to exactly the size their header declares (libostree does not
 *       check that) with no trailing data;
 *   <li>every commit object is traversed and each dirtree, dirmeta and content object it refers to
 *       must exist (commits marked partial, e.g. by an interrupted pull, may lack objects);
 *   <li>every ref (heads, remotes, mirrors, aliases) must hold a checksum of an existing commit.
 * </ul>
 *
 * <p>Objects are hashed by a pool of {@link #threads(int)} threads. With {@link #deleteCorrupt},
 * corrupt objects are deleted and the commits that need them are marked partial, as
 * {@code ostree fsck --delete} does, so that a later pull can restore them.
 */
public final class Fsck {

  private final OstreeRepo repo;
  private int threads = Runtime.getRuntime().availableProcessors();
  private boolean delete;
  private Consumer<String> progress = s -> {};

  /** A check of {@code repo}. */
  public Fsck(OstreeRepo repo) {
    this.repo = repo;
  }

  /** Number of hashing threads; default one per available processor. */
  public Fsck threads(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + n);
    }
    this.threads = n;
    return this;
  }

  /** Whether to delete corrupt objects and mark the commits needing them partial; default false. */
  public Fsck deleteCorrupt(boolean v) {
    this.delete = v;
    return this;
  }

  /** Receives the phase messages {@code ostree fsck} prints ("Validating refs...", ...). */
  public Fsck progress(Consumer<String> sink) {
    this.progress = sink == null ? s -> {} : sink;
    return this;
  }

  /** An object name and type. */
  private static final class Obj {
    final Checksum checksum;
    final ObjectType type;

    Obj(Checksum checksum, ObjectType type) {
      this.checksum = checksum;
      this.type = type;
    }

    String key() {
      return checksum.hex() + "." + type.extension();
    }
  }

  /**
   * Runs the check.
   *
   * @throws IOException if the repository cannot be read at all (problems with individual objects
   *     and refs are reported, not thrown)
   */
  public FsckReport run() throws IOException {
    List<Problem> problems = new ArrayList<>();
    progress.accept("Validating refs...");
    List<Problem> refProblems = checkRefs();
    progress.accept("Validating refs in collections...");
    progress.accept("Enumerating commits...");
    List<Obj> objects = new ArrayList<>();
    repo.forEachObject((c, t) -> objects.add(new Obj(c, t)));
    List<Checksum> commits = new ArrayList<>();
    for (Obj o : objects) {
      if (o.type == ObjectType.COMMIT) {
        commits.add(o.checksum);
      }
    }
    Map<Checksum, Boolean> partial = new TreeMap<>();
    for (Checksum c : commits) {
      Path marker = repo.path().resolve("state").resolve(c.hex() + ".commitpartial");
      if (Files.exists(marker, LinkOption.NOFOLLOW_LINKS)) {
        partial.put(c, fsckMarked(marker));
      }
    }
    progress.accept("Verifying content integrity of " + (commits.size() - partial.size()) + " commit objects...");

    List<List<Problem>> results = verifyAll(objects);
    Set<String> corrupt = new HashSet<>();
    for (int i = 0; i < objects.size(); i++) {
      List<Problem> ps = results.get(i);
      if (ps != null && !ps.isEmpty()) {
        problems.addAll(ps);
        corrupt.add(objects.get(i).key());
      }
    }
    List<String> deleted = new ArrayList<>();
    if (delete) {
      for (Obj o : objects) {
        if (corrupt.contains(o.key())) {
          repo.deleteObject(o.checksum, o.type);
          deleted.add(o.key());
        }
      }
    }
    problems.addAll(refProblems);
    for (Map.Entry<Checksum, Boolean> e : partial.entrySet()) {
      if (e.getValue()) {
        problems.add(new Problem(Kind.PARTIAL_COMMIT, e.getKey(), ObjectType.COMMIT, "commit " + e.getKey()
            + ": marked partial by an earlier fsck that found corruption; pull it again"));
      }
    }
    Traversal tr = new Traversal(corrupt, new HashSet<>(deleted));
    List<Checksum> order = new ArrayList<>();
    for (Checksum c : commits) {
      if (!partial.containsKey(c)) {
        order.add(c);
      }
    }
    order.addAll(partial.keySet());
    List<Checksum> incomplete = new ArrayList<>();
    for (Checksum c : order) {
      if (corrupt.contains(c.hex() + ".commit")) {
        continue;
      }
      tr.reporting = !partial.containsKey(c);
      if (tr.commit(c)) {
        incomplete.add(c);
      }
    }
    problems.addAll(tr.problems);
    if (delete) {
      for (Checksum c : incomplete) {
        if (!partial.containsKey(c)) {
          Path state = repo.path().resolve("state");
          Files.createDirectories(state);
          Files.writeString(state.resolve(c.hex() + ".commitpartial"), "f", StandardCharsets.US_ASCII);
        }
      }
    }
    return new FsckReport(problems, commits.size(), objects.size(), partial.size(), deleted);
  }

  private static boolean fsckMarked(Path marker) throws IOException {
    byte[] b = Files.readAllBytes(marker);
    for (byte x : b) {
      if (x == 'f') {
        return true;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------- refs

  private List<Problem> checkRefs() throws IOException {
    List<Problem> out = new ArrayList<>();
    Path refs = repo.path().resolve("refs");
    checkRefDir(refs.resolve("heads"), null, null, out);
    for (String kind : List.of("remotes", "mirrors")) {
      Path d = refs.resolve(kind);
      if (!Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      List<Path> subs = new ArrayList<>();
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(d)) {
        ds.forEach(subs::add);
      }
      subs.sort(null);
      for (Path s : subs) {
        if (Files.isDirectory(s, LinkOption.NOFOLLOW_LINKS)) {
          checkRefDir(s, s.getFileName().toString(), kind, out);
        }
      }
    }
    return out;
  }

  private void checkRefDir(Path dir, String owner, String kind, List<Problem> out) throws IOException {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    List<Path> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.filter(p -> !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).forEach(files::add);
    }
    files.sort(null);
    for (Path p : files) {
      String rel = dir.relativize(p).toString();
      if (p.getFileName().toString().startsWith(".")) {
        continue;
      }
      String name = owner == null ? rel : kind.equals("remotes") ? owner + ":" + rel : "(" + owner + ", " + rel + ")";
      Path file = p;
      if (Files.isSymbolicLink(p)) {
        Path target = p.getParent().resolve(Files.readSymbolicLink(p)).normalize();
        if (!Files.isRegularFile(target)) {
          out.add(new Problem(Kind.BAD_REF, null, null, "ref " + name + ": alias points to missing ref "
              + Files.readSymbolicLink(p)));
          continue;
        }
        file = target;
      }
      String text;
      try {
        byte[] b;
        try (InputStream in = Files.newInputStream(file)) {
          b = in.readNBytes(200);
        }
        text = new String(b, StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        out.add(new Problem(Kind.BAD_REF, null, null, "ref " + name + ": cannot be read: " + e.getMessage()));
        continue;
      }
      if (!Checksum.isValid(text)) {
        out.add(new Problem(Kind.BAD_REF, null, null, "ref " + name + ": does not contain a valid checksum"));
        continue;
      }
      Checksum c = Checksum.parse(text);
      if (!repo.hasObject(c, ObjectType.COMMIT)) {
        out.add(new Problem(Kind.BAD_REF, c, ObjectType.COMMIT, "ref " + name + " points to missing commit " + c));
      }
    }
  }

  // ---------------------------------------------------------------- object verification

  private List<List<Problem>> verifyAll(List<Obj> objects) throws IOException {
    int n = objects.size();
    List<List<Problem>> results = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      results.add(null);
    }
    AtomicInteger next = new AtomicInteger();
    AtomicReference<IOException> failure = new AtomicReference<>();
    Runnable worker = () -> {
      Buffers buf = new Buffers();
      int i;
      while (failure.get() == null && (i = next.getAndIncrement()) < n) {
        try {
          results.set(i, verify(objects.get(i), buf));
        } catch (IOException e) {
          failure.compareAndSet(null, e);
        } catch (RuntimeException e) {
          Obj o = objects.get(i);
          failure.compareAndSet(null, new OstreeException("checking " + o.key() + ": " + e, e));
        }
      }
    };
    int workers = Math.max(1, Math.min(threads, n));
    List<Thread> ts = new ArrayList<>();
    for (int w = 1; w < workers; w++) {
      Thread t = new Thread(worker, "ostree4j-fsck");
      t.setDaemon(true);
      t.start();
      ts.add(t);
    }
    worker.run();
    for (Thread t : ts) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new OstreeException("fsck interrupted", e);
      }
    }
    if (failure.get() != null) {
      throw failure.get();
    }
    return results;
  }

  /** Per-thread scratch space. */
  private static final class Buffers {
    final MessageDigest md = Commit.newSha256();
    final byte[] in = new byte[128 * 1024];
    final byte[] out = new byte[256 * 1024];
    final Inflater inflater = new Inflater(true);
  }

  private List<Problem> verify(Obj o, Buffers buf) throws IOException {
    switch (o.type) {
      case COMMIT:
      case DIR_TREE:
      case DIR_META:
      case COMMIT_META:
        return verifyMetadata(o, buf);
      case FILE:
        return repo.mode().isArchive() ? verifyArchive(o.checksum, buf) : verifyBare(o.checksum, buf);
      default:
        return List.of();
    }
  }

  private static Problem corrupt(Obj o, String what) {
    return new Problem(Kind.CORRUPT_OBJECT, o.checksum, o.type, o.type.extension() + " " + o.checksum + ": " + what);
  }

  private List<Problem> verifyMetadata(Obj o, Buffers buf) throws IOException {
    Path p = repo.objectPath(o.checksum, o.type);
    byte[] b;
    try {
      long size = Files.size(p);
      if (size > OstreeRepo.MAX_METADATA_SIZE) {
        return List.of(corrupt(o, "is " + size + " bytes, over the limit of " + OstreeRepo.MAX_METADATA_SIZE));
      }
      b = Files.readAllBytes(p);
    } catch (NoSuchFileException e) {
      return List.of();
    }
    if (o.type != ObjectType.COMMIT_META) {
      buf.md.reset();
      Checksum actual = Checksum.fromBytes(buf.md.digest(b));
      if (!actual.equals(o.checksum)) {
        return List.of(corrupt(o, "checksum mismatch, content has " + actual));
      }
    }
    VariantType vt;
    switch (o.type) {
      case COMMIT:
        vt = Commit.TYPE;
        break;
      case DIR_TREE:
        vt = DirTree.TYPE;
        break;
      case DIR_META:
        vt = FileHeader.OSTREEMETA_TYPE;
        break;
      default:
        vt = VariantType.VARDICT;
    }
    if (!GVariantCodec.isNormalForm(vt, b)) {
      return List.of(corrupt(o, "not in GVariant normal form"));
    }
    try {
      switch (o.type) {
        case COMMIT:
          Commit.parse(b);
          break;
        case DIR_TREE:
          DirTree.parse(b);
          break;
        case DIR_META:
          DirMeta.parse(b);
          break;
        default:
          break;
      }
    } catch (GVariantFormatException | RuntimeException e) {
      return List.of(corrupt(o, "invalid: " + e.getMessage()));
    }
    return List.of();
  }

  private static byte[] checksumPrefix(int headerLength) {
    return new byte[] {
      (byte) (headerLength >>> 24), (byte) (headerLength >>> 16), (byte) (headerLength >>> 8),
      (byte) headerLength, 0, 0, 0, 0
    };
  }

  private List<Problem> verifyBare(Checksum c, Buffers buf) throws IOException {
    Obj o = new Obj(c, ObjectType.FILE);
    String name = "content object " + c + ".file";
    MessageDigest md = buf.md;
    md.reset();
    try (ContentObject co = repo.openContentUnverified(c)) {
      byte[] h = co.header().checksumHeader();
      md.update(checksumPrefix(h.length));
      md.update(h);
      InputStream in = co.payload();
      int n;
      while ((n = in.read(buf.in)) > 0) {
        md.update(buf.in, 0, n);
      }
    } catch (MissingObjectException e) {
      return List.of();
    } catch (CorruptObjectException e) {
      return List.of(new Problem(Kind.CORRUPT_OBJECT, c, ObjectType.FILE, e.getMessage()));
    }
    Checksum actual = Checksum.fromBytes(md.digest());
    if (!actual.equals(c)) {
      return List.of(new Problem(Kind.CORRUPT_OBJECT, o.checksum, o.type, name + ": checksum mismatch, content has " + actual));
    }
    return List.of();
  }

  private List<Problem> verifyArchive(Checksum c, Buffers buf) throws IOException {
    String name = "content object " + c + ".filez";
    List<Problem> out = new ArrayList<>();
    Path p = repo.objectPath(c, ObjectType.FILE);
    MessageDigest md = buf.md;
    md.reset();
    InputStream raw;
    try {
      raw = Files.newInputStream(p);
    } catch (NoSuchFileException e) {
      return out;
    }
    try (InputStream in = new BufferedInputStream(raw, 64 * 1024)) {
      byte[] prefix = in.readNBytes(8);
      if (prefix.length != 8) {
        return List.of(problem(c, name + ": truncated header"));
      }
      long hlen = ((prefix[0] & 0xFFL) << 24) | ((prefix[1] & 0xFF) << 16) | ((prefix[2] & 0xFF) << 8) | (prefix[3] & 0xFF);
      if (hlen > (1 << 20)) {
        return List.of(problem(c, name + ": header length " + hlen + " is invalid"));
      }
      byte[] hdr = in.readNBytes((int) hlen);
      if (hdr.length != hlen) {
        return List.of(problem(c, name + ": truncated header"));
      }
      long[] declared = new long[1];
      FileHeader h;
      try {
        h = FileHeader.parseArchiveHeader(hdr, declared);
      } catch (GVariantFormatException e) {
        return List.of(problem(c, name + ": invalid header: " + e.getMessage()));
      }
      byte[] ch = h.checksumHeader();
      md.update(checksumPrefix(ch.length));
      md.update(ch);
      long actualSize = 0;
      if (h.isSymlink()) {
        long trailing = in.transferTo(java.io.OutputStream.nullOutputStream());
        if (trailing > 0) {
          out.add(problem(c, name + ": symlink object has " + trailing + " bytes of payload"));
        }
      } else {
        Inflater inf = buf.inflater;
        inf.reset();
        boolean finished = false;
        try {
          while (true) {
            if (inf.needsInput()) {
              int n = in.read(buf.in);
              if (n < 0) {
                break;
              }
              inf.setInput(buf.in, 0, n);
            }
            int k = inf.inflate(buf.out);
            if (k > 0) {
              md.update(buf.out, 0, k);
              actualSize += k;
            }
            if (inf.finished()) {
              finished = true;
              break;
            }
            if (k == 0 && inf.needsDictionary()) {
              return List.of(problem(c, name + ": corrupt compressed payload (needs a dictionary)"));
            }
          }
        } catch (DataFormatException e) {
          return List.of(problem(c, name + ": corrupt compressed payload after " + actualSize + " bytes: "
              + e.getMessage()));
        }
        if (!finished) {
          if (actualSize > declared[0]) {
            return List.of(problem(c, name + ": corrupt compressed payload: no end of stream after "
                + actualSize + " bytes (header declares " + declared[0] + ")"));
          }
          return List.of(problem(c, name + ": compressed payload is truncated after " + actualSize
              + " bytes (header declares " + declared[0] + ")"));
        }
        long trailing = inf.getRemaining() + in.transferTo(java.io.OutputStream.nullOutputStream());
        if (trailing > 0) {
          out.add(problem(c, name + ": " + trailing + " bytes of trailing data after the compressed payload"));
        }
      }
      if (actualSize != declared[0]) {
        out.add(problem(c, name + ": header declares " + declared[0] + " bytes but payload has " + actualSize));
      }
      Checksum actual = Checksum.fromBytes(md.digest());
      if (!actual.equals(c)) {
        out.add(problem(c, name + ": checksum mismatch, content has " + actual));
      }
      return out;
    }
  }

  private static Problem problem(Checksum c, String message) {
    return new Problem(Kind.CORRUPT_OBJECT, c, ObjectType.FILE, message);
  }

  // ---------------------------------------------------------------- reachability

  /** Walks commits, reporting missing objects once each. */
  private final class Traversal {
    final Set<String> corrupt;
    final Set<String> deleted;
    final Map<Checksum, Boolean> treeIncomplete = new HashMap<>();
    final Map<Checksum, Boolean> metaMissing = new HashMap<>();
    final Map<Checksum, Boolean> contentMissing = new HashMap<>();
    final Set<String> reported = new HashSet<>();
    final List<Problem> problems = new ArrayList<>();
    boolean reporting = true;

    Traversal(Set<String> corrupt, Set<String> deleted) {
      this.corrupt = corrupt;
      this.deleted = deleted;
    }

    /** Checks one commit; true if objects it needs are missing or corrupt. */
    boolean commit(Checksum c) throws IOException {
      Commit commit;
      try {
        commit = repo.readCommit(c);
      } catch (MissingObjectException | CorruptObjectException e) {
        return true;
      }
      boolean bad = meta(commit.rootMeta(), c, "/");
      bad |= tree(commit.rootTree(), c, "/");
      return bad;
    }

    private void missing(Checksum obj, ObjectType type, Checksum commit, String path) {
      String key = obj.hex() + "." + type.extension();
      if (!reporting || deleted.contains(key) || !reported.add(key)) {
        return;
      }
      String what = type == ObjectType.FILE ? "content object" : type.extension();
      problems.add(new Problem(Kind.MISSING_OBJECT, obj, type, what + " " + obj + " is missing (referenced by commit "
          + commit + " at " + path + ")"));
    }

    private boolean meta(Checksum m, Checksum commit, String path) {
      Boolean known = metaMissing.get(m);
      if (known == null) {
        known = !repo.hasObject(m, ObjectType.DIR_META) || corrupt.contains(m.hex() + ".dirmeta");
        metaMissing.put(m, known);
      }
      if (known && !corrupt.contains(m.hex() + ".dirmeta")) {
        missing(m, ObjectType.DIR_META, commit, path);
      }
      return known;
    }

    private boolean tree(Checksum t, Checksum commit, String path) throws IOException {
      Boolean known = treeIncomplete.get(t);
      if (known != null) {
        if (known && !repo.hasObject(t, ObjectType.DIR_TREE)) {
          missing(t, ObjectType.DIR_TREE, commit, path);
        }
        return known;
      }
      boolean bad;
      if (!repo.hasObject(t, ObjectType.DIR_TREE)) {
        missing(t, ObjectType.DIR_TREE, commit, path);
        bad = true;
      } else if (corrupt.contains(t.hex() + ".dirtree")) {
        bad = true;
      } else {
        DirTree dt;
        try {
          dt = repo.readDirTree(t);
        } catch (CorruptObjectException | MissingObjectException e) {
          treeIncomplete.put(t, true);
          return true;
        }
        bad = false;
        String prefix = path.equals("/") ? "/" : path + "/";
        for (DirTree.FileEntry f : dt.files()) {
          Checksum fc = f.checksum();
          Boolean m = contentMissing.get(fc);
          if (m == null) {
            m = !repo.hasObject(fc, ObjectType.FILE) || corrupt.contains(fc.hex() + ".file");
            contentMissing.put(fc, m);
          }
          if (m) {
            if (!corrupt.contains(fc.hex() + ".file")) {
              missing(fc, ObjectType.FILE, commit, prefix + f.name());
            }
            bad = true;
          }
        }
        for (DirTree.DirEntry d : dt.dirs()) {
          bad |= meta(d.meta(), commit, prefix + d.name());
          bad |= tree(d.tree(), commit, prefix + d.name());
        }
      }
      treeIncomplete.put(t, bad);
      return bad;
    }
  }
}
