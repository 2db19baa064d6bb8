package io.github.ostree4j.ostree;

import io.github.ostree4j.ostree.gvariant.GVariantCodec;
import io.github.ostree4j.ostree.gvariant.GVariantFormatException;
import io.github.ostree4j.ostree.gvariant.Variant;
import io.github.ostree4j.ostree.gvariant.VariantType;
import io.github.ostree4j.ostree.internal.ObjectWriter;
import io.github.ostree4j.ostree.internal.PosixFiles;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipException;

/**
 * An ostree repository on disk: objects, refs and config, in the layout libostree uses.
 *
 * <p>Objects are written to {@code tmp/} and renamed into place, so a crash never leaves a
 * partial object under {@code objects/}. Instances are thread-safe for concurrent object writes.
 */
public final class OstreeRepo {

  /** Upper bound on the size of a metadata object libostree will load. */
  public static final int MAX_METADATA_SIZE = 128 * 1024 * 1024;

  private final Path dir;
  private final RepoMode mode;
  private final KeyFile config;
  private final Path objectsDir;
  private final Path tmpDir;
  private final Refs refs;
  private final AtomicIntegerArray prefixDirs = new AtomicIntegerArray(256);
  private final ObjectWriter writer;

  private OstreeRepo(Path dir, RepoMode mode, KeyFile config) {
    this.dir = dir;
    this.mode = mode;
    this.config = config;
    this.objectsDir = dir.resolve("objects");
    this.tmpDir = dir.resolve("tmp");
    this.refs = new Refs(this);
    int level = config.get("archive", "zlib-level").map(Integer::parseInt).orElse(6);
    this.writer = new ObjectWriter(this, level);
  }

  /**
   * Creates a repository as {@code ostree init} does: config, objects, refs/{heads,remotes,mirrors},
   * tmp/cache, state, extensions. Opening an existing repository of the same mode succeeds.
   *
   * @throws IOException if the directory cannot be created or holds a repository of another mode
   */
  public static OstreeRepo init(Path dir, RepoMode mode) throws IOException {
    if (mode == RepoMode.BARE && !PosixFiles.isRoot()) {
      throw new OstreeException("initializing " + dir + ": mode bare needs root; use bare-user");
    }
    Path cfg = dir.resolve("config");
    if (Files.exists(cfg)) {
      OstreeRepo existing = open(dir);
      if (existing.mode != mode) {
        throw new OstreeException("initializing " + dir + ": a repository of mode "
            + existing.mode.configName() + " already exists there");
      }
      return existing;
    }
    Files.createDirectories(dir);
    for (String d : List.of("objects", "refs/heads", "refs/remotes", "refs/mirrors", "tmp/cache", "state", "extensions")) {
      Files.createDirectories(dir.resolve(d));
    }
    Path lock = dir.resolve(".lock");
    if (!Files.exists(lock)) {
      Files.createFile(lock);
    }
    KeyFile kf = new KeyFile().set("core", "repo_version", "1").set("core", "mode", mode.configName());
    kf.write(cfg);
    return new OstreeRepo(dir, mode, kf);
  }

  /**
   * Opens an existing repository.
   *
   * @throws OstreeException if the directory is not a valid repository
   */
  public static OstreeRepo open(Path dir) throws IOException {
    Path cfg = dir.resolve("config");
    if (!Files.isRegularFile(cfg)) {
      throw new OstreeException("opening repository " + dir + ": no config file (not an ostree repository)");
    }
    KeyFile kf = KeyFile.read(cfg);
    String version = kf.get("core", "repo_version").orElse("");
    if (!version.equals("1")) {
      throw new OstreeException("opening repository " + dir + ": unsupported repo_version '" + version + "'");
    }
    if (kf.get("core", "archive").isPresent()) {
      throw new OstreeException("opening repository " + dir + ": legacy core.archive is not supported");
    }
    RepoMode mode;
    try {
      mode = RepoMode.parse(kf.get("core", "mode").orElse("bare"));
    } catch (IllegalArgumentException e) {
      throw new OstreeException("opening repository " + dir + ": " + e.getMessage());
    }
    if (!Files.isDirectory(dir.resolve("objects"))) {
      throw new OstreeException("opening repository " + dir + ": objects/ is missing");
    }
    for (String d : List.of("refs/heads", "refs/remotes", "refs/mirrors", "tmp")) {
      Files.createDirectories(dir.resolve(d));
    }
    return new OstreeRepo(dir, mode, kf);
  }

  /** The repository directory. */
  public Path path() {
    return dir;
  }

  /** The storage mode. */
  public RepoMode mode() {
    return mode;
  }

  /** The parsed config file. */
  public KeyFile config() {
    return config;
  }

  /**
   * Rewrites the config file with the current {@link #config()} values.
   *
   * @throws IOException on write failure
   */
  public void saveConfig() throws IOException {
    config.write(dir.resolve("config"));
  }

  /** Refs of this repository. */
  public Refs refs() {
    return refs;
  }

  /** Whether writes are followed by a filesystem sync ({@code core.fsync}, default true). */
  public boolean fsyncEnabled() {
    return config.getBoolean("core", "fsync").orElse(true);
  }

  // ---------------------------------------------------------------- paths

  /** The path of a loose object (which may not exist). */
  public Path objectPath(Checksum checksum, ObjectType type) {
    String hex = checksum.hex();
    String ext = type == ObjectType.FILE && mode.isArchive() ? "filez" : type.extension();
    return objectsDir.resolve(hex.substring(0, 2)).resolve(hex.substring(2) + "." + ext);
  }

  /** Whether a loose object exists. */
  public boolean hasObject(Checksum checksum, ObjectType type) {
    return Files.exists(objectPath(checksum, type), LinkOption.NOFOLLOW_LINKS);
  }

  /** The temp directory used for objects being written. */
  public Path tmpDir() {
    return tmpDir;
  }

  /**
   * Ensures {@code objects/XX} exists for the object's first byte.
   *
   * @throws IOException on failure
   */
  public Path ensureObjectDir(Checksum checksum) throws IOException {
    String hex = checksum.hex();
    int idx = Integer.parseInt(hex.substring(0, 2), 16);
    Path d = objectsDir.resolve(hex.substring(0, 2));
    if (prefixDirs.get(idx) == 0) {
      Files.createDirectories(d);
      prefixDirs.set(idx, 1);
    }
    return d;
  }

  // ---------------------------------------------------------------- metadata objects

  /**
   * Reads the exact bytes of a metadata object.
   *
   * @throws MissingObjectException if it is not in the repository
   */
  public byte[] readMetadataBytes(Checksum checksum, ObjectType type) throws IOException {
    Path p = objectPath(checksum, type);
    try {
      long size = Files.size(p);
      if (size > MAX_METADATA_SIZE) {
        throw new CorruptObjectException("metadata object " + checksum + "." + type.extension()
            + " is " + size + " bytes, over the limit of " + MAX_METADATA_SIZE);
      }
      return Files.readAllBytes(p);
    } catch (NoSuchFileException e) {
      throw new MissingObjectException(checksum, type);
    }
  }

  /**
   * Reads and parses a commit.
   *
   * @throws CorruptObjectException if it is malformed
   */
  public Commit readCommit(Checksum checksum) throws IOException {
    return readParsed(checksum, ObjectType.COMMIT, Commit::parse);
  }

  /**
   * Reads and parses a dirtree.
   *
   * @throws CorruptObjectException if it is malformed
   */
  public DirTree readDirTree(Checksum checksum) throws IOException {
    return readParsed(checksum, ObjectType.DIR_TREE, DirTree::parse);
  }

  /**
   * Reads and parses a dirmeta.
   *
   * @throws CorruptObjectException if it is malformed
   */
  public DirMeta readDirMeta(Checksum checksum) throws IOException {
    return readParsed(checksum, ObjectType.DIR_META, DirMeta::parse);
  }

  /** Parses the bytes of one kind of metadata object. */
  @FunctionalInterface
  private interface MetadataParser<T> {
    T parse(byte[] bytes) throws GVariantFormatException;
  }

  private <T> T readParsed(Checksum checksum, ObjectType type, MetadataParser<T> parser) throws IOException {
    byte[] b = readMetadataBytes(checksum, type);
    try {
      return parser.parse(b);
    } catch (GVariantFormatException e) {
      throw new CorruptObjectException(type.extension() + " " + checksum + ": " + e.getMessage(), e);
    }
  }

  /**
   * The detached metadata of a commit ({@code a{sv}}), if any.
   *
   * @throws CorruptObjectException if it is malformed
   */
  public Optional<Variant> readCommitMeta(Checksum commit) throws IOException {
    Path p = objectPath(commit, ObjectType.COMMIT_META);
    if (!Files.exists(p)) {
      return Optional.empty();
    }
    byte[] b = Files.readAllBytes(p);
    try {
      return Optional.of(GVariantCodec.deserializeNormal(VariantType.VARDICT, b));
    } catch (GVariantFormatException e) {
      throw new CorruptObjectException("commitmeta " + commit + ": " + e.getMessage(), e);
    }
  }

  /**
   * Stores a metadata object (named by the SHA-256 of its bytes) unless present.
   *
   * @throws IOException on write failure
   */
  public Checksum writeMetadata(ObjectType type, byte[] bytes) throws IOException {
    if (!type.isMetadata() || type == ObjectType.COMMIT_META) {
      throw new IllegalArgumentException("not a content-addressed metadata type: " + type);
    }
    Checksum c = Checksum.fromBytes(Commit.sha256(bytes));
    writer.writeMetadata(c, type, bytes);
    return c;
  }

  /**
   * Stores a metadata object received from elsewhere, verifying that its bytes match the name and
   * are in normal form for the type.
   *
   * @throws CorruptObjectException if they do not
   */
  public void writeMetadataVerified(Checksum expected, ObjectType type, byte[] bytes) throws IOException {
    Checksum actual = Checksum.fromBytes(Commit.sha256(bytes));
    if (!actual.equals(expected)) {
      throw new CorruptObjectException(type.extension() + " object " + expected
          + ": checksum mismatch, content has " + actual);
    }
    VariantType vt = type == ObjectType.COMMIT ? Commit.TYPE
        : type == ObjectType.DIR_TREE ? DirTree.TYPE : type == ObjectType.DIR_META ? FileHeader.OSTREEMETA_TYPE : null;
    if (vt != null && !GVariantCodec.isNormalForm(vt, bytes)) {
      throw new CorruptObjectException(type.extension() + " object " + expected + ": not in GVariant normal form");
    }
    writer.writeMetadata(expected, type, bytes);
  }

  /**
   * Stores a commit object.
   *
   * @throws IOException on write failure
   */
  public Checksum writeCommit(Commit commit) throws IOException {
    return writeMetadata(ObjectType.COMMIT, commit.bytes());
  }

  /**
   * Stores detached metadata for a commit (replacing any).
   *
   * @throws IOException on write failure
   */
  public void writeCommitMeta(Checksum commit, Variant vardict) throws IOException {
    if (!vardict.type().equals(VariantType.VARDICT)) {
      throw new IllegalArgumentException("detached metadata must be a{sv}");
    }
    writer.writeMetadata(commit, ObjectType.COMMIT_META, vardict.serialize(), true);
  }

  // ---------------------------------------------------------------- content objects

  /**
   * Stores a content object from a stream of exactly {@code size} bytes (ignored for symlinks),
   * hashing while writing.
   *
   * @throws OstreeException if the stream holds fewer or more bytes than {@code size}
   */
  public Checksum writeContent(FileHeader header, InputStream payload, long size) throws IOException {
    return writer.writeContent(header, payload, size, null);
  }

  /**
   * Stores a content object received from elsewhere and fails unless its checksum is
   * {@code expected}; nothing is stored on mismatch.
   *
   * @throws CorruptObjectException on checksum mismatch
   */
  public void writeContentVerified(Checksum expected, FileHeader header, InputStream payload, long size)
      throws IOException {
    writer.writeContent(header, payload, size, expected);
  }

  /**
   * Stores a regular file from disk as a content object.
   *
   * @throws IOException on read or write failure
   */
  public Checksum writeContent(FileHeader header, Path source, long size) throws IOException {
    return writer.writeContentFromFile(header, source, size);
  }

  /**
   * Opens a content object for reading and verifies it: a symlink's header at once, a regular
   * file's header and payload when the payload stream reaches its end, which then throws
   * {@link CorruptObjectException} naming the object if the content does not hash to its name.
   *
   * @throws MissingObjectException if absent
   * @throws CorruptObjectException if its header is malformed or a symlink does not verify
   */
  public ContentObject openContent(Checksum checksum) throws IOException {
    ContentObject raw = openContentUnverified(checksum);
    MessageDigest md = Commit.newSha256();
    byte[] h = raw.header().checksumHeader();
    md.update(new byte[] {(byte) (h.length >>> 24), (byte) (h.length >>> 16), (byte) (h.length >>> 8),
        (byte) h.length, 0, 0, 0, 0});
    md.update(h);
    String name = "content object " + checksum + "." + (mode.isArchive() ? "filez" : "file");
    if (raw.header().isSymlink()) {
      Checksum actual = Checksum.fromBytes(md.digest());
      if (!actual.equals(checksum)) {
        raw.close();
        throw new CorruptObjectException(name + ": checksum mismatch, content has " + actual);
      }
      return raw;
    }
    return new ContentObject(checksum, raw.header(), raw.size(),
        new VerifyingStream(raw.payload(), md, checksum, name));
  }

  /**
   * A filter whose single-byte reads and skips go through {@code read(byte[], int, int)}, so that
   * a subclass checks every byte it passes on.
   */
  abstract static class CheckedStream extends FilterInputStream {
    CheckedStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      byte[] b = new byte[1];
      int n = read(b, 0, 1);
      return n < 0 ? -1 : b[0] & 0xFF;
    }

    @Override
    public long skip(long n) throws IOException {
      byte[] buf = new byte[8192];
      long total = 0;
      while (total < n) {
        int r = read(buf, 0, (int) Math.min(buf.length, n - total));
        if (r < 0) {
          break;
        }
        total += r;
      }
      return total;
    }

    @Override
    public boolean markSupported() {
      return false;
    }
  }

  /** Hashes a payload as it is read and checks the checksum at the end. */
  static final class VerifyingStream extends CheckedStream {
    private final MessageDigest md;
    private final Checksum expected;
    private final String name;
    private boolean checked;

    VerifyingStream(InputStream in, MessageDigest md, Checksum expected, String name) {
      super(in);
      this.md = md;
      this.expected = expected;
      this.name = name;
    }


    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        md.update(b, off, n);
      } else if (n < 0 && !checked) {
        checked = true;
        Checksum actual = Checksum.fromBytes(md.digest());
        if (!actual.equals(expected)) {
          throw new CorruptObjectException(name + ": checksum mismatch, content has " + actual);
        }
      }
      return n;
    }


  }

  /**
   * Opens a content object without verifying its checksum (for fsck, which hashes itself).
   *
   * @throws MissingObjectException if absent
   * @throws CorruptObjectException if its header is malformed
   */
  public ContentObject openContentUnverified(Checksum checksum) throws IOException {
    Path p = objectPath(checksum, ObjectType.FILE);
    String name = "content object " + checksum + "." + (mode.isArchive() ? "filez" : "file");
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      throw new MissingObjectException(checksum, ObjectType.FILE);
    }
    switch (mode) {
      case ARCHIVE:
        return openArchive(checksum, p, name);
      case BARE_USER:
        {
          byte[] meta = PosixFiles.readUserXattr(p, "user.ostreemeta");
          if (meta == null) {
            throw new CorruptObjectException(name + ": missing user.ostreemeta xattr");
          }
          long size = Files.size(p);
          String target = "";
          FileHeader h;
          try {
            int m = FileHeader.parseOstreemeta(meta, "x").mode();
            if (FileMode.isSymlink(m)) {
              byte[] t = Files.readAllBytes(p);
              int len = t.length > 0 && t[t.length - 1] == 0 ? t.length - 1 : t.length;
              target = new String(t, 0, len, StandardCharsets.UTF_8);
            }
            h = FileHeader.parseOstreemeta(meta, target);
          } catch (GVariantFormatException e) {
            throw new CorruptObjectException(name + ": invalid user.ostreemeta: " + e.getMessage(), e);
          }
          if (h.isSymlink()) {
            return new ContentObject(checksum, h, 0, InputStream.nullInputStream());
          }
          return new ContentObject(checksum, h, size, new BufferedInputStream(Files.newInputStream(p), 65536));
        }
      default:
        {
          PosixFiles.Stat st = PosixFiles.lstat(p);
          if (FileMode.isSymlink(st.mode)) {
            FileHeader h = FileHeader.symlink(st.uid, st.gid, PosixFiles.readSymlink(p), Xattrs.EMPTY);
            return new ContentObject(checksum, h, 0, InputStream.nullInputStream());
          }
          Xattrs x = mode == RepoMode.BARE_USER_ONLY ? Xattrs.EMPTY : PosixFiles.readUserXattrs(p);
          int uid = mode == RepoMode.BARE_USER_ONLY ? 0 : st.uid;
          int gid = mode == RepoMode.BARE_USER_ONLY ? 0 : st.gid;
          FileHeader h = FileHeader.regular(uid, gid, st.mode, x);
          return new ContentObject(checksum, h, st.size, new BufferedInputStream(Files.newInputStream(p), 65536));
        }
    }
  }

  private ContentObject openArchive(Checksum checksum, Path p, String name) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(p), 65536);
    boolean ok = false;
    try {
      byte[] prefix = in.readNBytes(8);
      if (prefix.length != 8) {
        throw new CorruptObjectException(name + ": truncated header");
      }
      long hlen = ((prefix[0] & 0xFFL) << 24) | ((prefix[1] & 0xFF) << 16) | ((prefix[2] & 0xFF) << 8) | (prefix[3] & 0xFF);
      if (hlen > 1 << 20 || hlen > Files.size(p)) {
        throw new CorruptObjectException(name + ": header length " + hlen + " is invalid");
      }
      byte[] hdr = in.readNBytes((int) hlen);
      if (hdr.length != hlen) {
        throw new CorruptObjectException(name + ": truncated header");
      }
      long[] size = new long[1];
      FileHeader h;
      try {
        h = FileHeader.parseArchiveHeader(hdr, size);
      } catch (GVariantFormatException e) {
        throw new CorruptObjectException(name + ": invalid header: " + e.getMessage(), e);
      }
      ok = true;
      if (h.isSymlink()) {
        in.close();
        return new ContentObject(checksum, h, 0, InputStream.nullInputStream());
      }
      InputStream payload = new ExactLengthStream(
          new InflaterInputStream(in, new Inflater(true), 65536), size[0], name);
      return new ContentObject(checksum, h, size[0], payload);
    } finally {
      if (!ok) {
        in.close();
      }
    }
  }

  /** Checks that a decompressed stream has exactly the declared length; maps zlib errors. */
  static final class ExactLengthStream extends CheckedStream {
    private final long expected;
    private final String name;
    private long count;

    ExactLengthStream(InputStream in, long expected, String name) {
      super(in);
      this.expected = expected;
      this.name = name;
    }


    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (count >= expected) {
        // Must be at the end of the compressed stream.
        int extra;
        try {
          extra = super.read(new byte[1], 0, 1);
        } catch (EOFException | ZipException e) {
          throw new CorruptObjectException(name + ": corrupt compressed data: " + e.getMessage(), e);
        }
        if (extra > 0) {
          throw new CorruptObjectException(name + ": payload is longer than the " + expected
              + " bytes its header declares");
        }
        return -1;
      }
      int n;
      try {
        n = super.read(b, off, (int) Math.min(len, expected - count));
      } catch (EOFException | ZipException e) {
        throw new CorruptObjectException(name + ": corrupt or truncated compressed data after "
            + count + " of " + expected + " bytes", e);
      }
      if (n < 0) {
        throw new CorruptObjectException(name + ": truncated: " + count + " of " + expected + " bytes");
      }
      count += n;
      return n;
    }

  }

  // ---------------------------------------------------------------- enumeration

  /**
   * Lists every loose object: calls {@code sink} with each checksum and type.
   *
   * @throws IOException on read failure
   */
  public void forEachObject(ObjectVisitor sink) throws IOException {
    if (!Files.isDirectory(objectsDir)) {
      return;
    }
    List<Path> prefixes = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(objectsDir)) {
      for (Path p : ds) {
        prefixes.add(p);
      }
    }
    prefixes.sort(null);
    for (Path pd : prefixes) {
      String pre = pd.getFileName().toString();
      if (pre.length() != 2 || !Files.isDirectory(pd, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      List<String> names = new ArrayList<>();
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(pd)) {
        for (Path p : ds) {
          names.add(p.getFileName().toString());
        }
      }
      names.sort(null);
      for (String n : names) {
        int dot = n.indexOf('.');
        if (dot != 62) {
          continue;
        }
        String hex = pre + n.substring(0, dot);
        ObjectType t = ObjectType.fromExtension(n.substring(dot + 1));
        if (t == null || !Checksum.isValid(hex)) {
          continue;
        }
        if (t == ObjectType.FILE && mode.isArchive() != n.endsWith(".filez")) {
          continue;
        }
        sink.visit(Checksum.parse(hex), t);
      }
    }
  }

  /** Receives objects from {@link #forEachObject}. */
  @FunctionalInterface
  public interface ObjectVisitor {
    /**
     * Called once per object.
     *
     * @throws IOException to abort the enumeration
     */
    void visit(Checksum checksum, ObjectType type) throws IOException;
  }

  /**
   * Deletes a loose object.
   *
   * @throws IOException on failure
   */
  public void deleteObject(Checksum checksum, ObjectType type) throws IOException {
    Files.deleteIfExists(objectPath(checksum, type));
  }

  // ---------------------------------------------------------------- revisions

  /**
   * Resolves a revision as {@code ostree rev-parse} does: a checksum, a unique checksum prefix, a
   * ref ({@code [remote:]name}), each optionally followed by {@code ^} for the parent.
   *
   * @throws OstreeException if it does not resolve
   */
  public Checksum resolveRev(String rev) throws IOException {
    if (rev.endsWith("^")) {
      Checksum child = resolveRev(rev.substring(0, rev.length() - 1));
      return readCommit(child).parent().orElseThrow(
          () -> new OstreeException("Commit " + child + " has no parent"));
    }
    if (Checksum.isValid(rev)) {
      return Checksum.parse(rev);
    }
    Optional<Checksum> ref = refs.resolve(rev);
    if (ref.isPresent()) {
      return ref.get();
    }
    if (rev.length() >= 4 && rev.length() < 64 && rev.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      List<Checksum> matches = new ArrayList<>();
      Path pd = objectsDir.resolve(rev.substring(0, 2));
      if (Files.isDirectory(pd)) {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(pd, rev.substring(2) + "*.commit")) {
          for (Path p : ds) {
            matches.add(Checksum.parse(rev.substring(0, 2) + p.getFileName().toString().substring(0, 62)));
          }
        }
      }
      if (matches.size() == 1) {
        return matches.get(0);
      }
      if (matches.size() > 1) {
        throw new OstreeException("Refspec '" + rev + "' is ambiguous: " + matches.size() + " commits match");
      }
    }
    throw new OstreeException("Refspec '" + rev + "' not found");
  }

  /**
   * Syncs the filesystem holding the repository unless {@code core.fsync=false}, so that objects
   * are durable before refs point at them.
   *
   * @throws IOException if syncing fails
   */
  public void syncFilesystem() throws IOException {
    if (!fsyncEnabled()) {
      return;
    }
    writer.syncFilesystem();
  }
}
