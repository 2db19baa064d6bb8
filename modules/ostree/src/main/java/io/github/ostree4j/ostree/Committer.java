package io.github.ostree4j.ostree;

import io.github.ostree4j.ostree.gvariant.Variant;
import io.github.ostree4j.ostree.internal.DirectoryImporter;
import io.github.ostree4j.ostree.internal.GHashTableOrder;
import io.github.ostree4j.ostree.internal.TarImporter;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.commons.compress.compressors.CompressorException;
import org.apache.commons.compress.compressors.CompressorStreamFactory;

/**
 * Makes commits the way {@code ostree commit} does: from a directory, from a tar stream or from a
 * {@link MutableTree}, with the same metadata, ordering and defaults, so the same input gives the
 * same commit checksum.
 */
public final class Committer {

  private final OstreeRepo repo;

  /** A committer writing into {@code repo}. */
  public Committer(OstreeRepo repo) {
    this.repo = repo;
  }

  /**
   * Commits a directory tree. Regular files are hashed and stored in parallel.
   *
   * @throws OstreeException for unsupported file types or invalid names, naming the path
   */
  public Checksum commitDirectory(Path dir, CommitOptions options) throws IOException {
    requireUtf8FileNames();
    if (!Files.isDirectory(dir)) {
      throw new OstreeException("committing " + dir + ": not a directory");
    }
    validateBranch(options);
    MutableTree tree = importDirectory(dir, options);
    return commitTree(tree, options);
  }

  /**
   * Reads a directory into a tree, storing its content objects.
   *
   * @throws IOException on failure
   */
  public MutableTree importDirectory(Path dir, CommitOptions options) throws IOException {
    requireUtf8FileNames();
    return new DirectoryImporter(repo, contentPolicy(options)).importTree(dir);
  }

  /**
   * Commits a tar archive (plain, gzip, bzip2 or xz compressed, detected from its first bytes).
   *
   * @throws OstreeException for unsafe or unsupported entries, naming the entry
   */
  public Checksum commitTar(Path tarFile, CommitOptions options) throws IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(tarFile), 1 << 16)) {
      return commitTar(in, options);
    }
  }

  /**
   * Commits a tar stream (compression detected).
   *
   * @throws OstreeException for unsafe or unsupported entries, naming the entry
   */
  public Checksum commitTar(InputStream tar, CommitOptions options) throws IOException {
    validateBranch(options);
    MutableTree tree = importTar(tar, options);
    return commitTree(tree, options);
  }

  /**
   * Reads a tar stream into a tree, storing its content objects.
   *
   * @throws OstreeException for unsafe or unsupported entries, naming the entry
   */
  public MutableTree importTar(InputStream tar, CommitOptions options) throws IOException {
    return importTar(tar, options, TarEntryFilter.IDENTITY);
  }

  /**
   * Reads a tar stream into a tree (compression detected), letting {@code filter} move or drop
   * entries; stores the content objects of the entries that are kept.
   *
   * @throws OstreeException for unsafe or unsupported entries, naming the entry
   * @throws IOException whatever the filter throws to reject an entry
   */
  public MutableTree importTar(InputStream tar, CommitOptions options, TarEntryFilter filter) throws IOException {
    InputStream in = tar.markSupported() ? tar : new BufferedInputStream(tar, 1 << 16);
    try {
      String kind = CompressorStreamFactory.detect(in);
      in = new CompressorStreamFactory().createCompressorInputStream(kind, in);
    } catch (CompressorException e) {
      // not compressed: read as plain tar
    }
    return new TarImporter(repo, contentPolicy(options), filter).importTree(in);
  }

  /**
   * Writes the tree and a commit for it, then moves the branch (if any) to it. Objects are
   * synced to disk before the ref moves.
   *
   * @throws IOException on failure
   */
  public Checksum commitTree(MutableTree tree, CommitOptions options) throws IOException {
    validateBranch(options);
    if (tree.metaChecksum() == null) {
      throw new OstreeException("committing: the root directory has no metadata");
    }
    Checksum rootTree = tree.writeTree(repo);
    Map<String, Variant> metadata = buildMetadata(tree, options);
    Checksum parent = options.parent().orElse(null);
    if (parent == null && !options.orphan() && options.branch().isPresent()) {
      parent = repo.refs().resolve(options.branch().get()).orElse(null);
    }
    Commit.Builder cb = Commit.builder()
        .subject(options.subject())
        .body(options.body())
        .timestamp(options.timestamp().orElseGet(Committer::defaultTimestamp))
        .parent(parent)
        .root(rootTree, tree.metaChecksum());
    metadata.forEach(cb::metadata);
    Commit commit = cb.build();
    Checksum checksum = repo.writeCommit(commit);
    if (!options.detachedMetadata().isEmpty()) {
      repo.writeCommitMeta(checksum, Variant.vardict(options.detachedMetadata()));
    }
    repo.syncFilesystem();
    if (options.branch().isPresent()) {
      repo.refs().set(options.branch().get(), checksum);
    }
    return checksum;
  }

  private static void validateBranch(CommitOptions options) throws OstreeException {
    if (options.branch().isPresent()) {
      String b = options.branch().get();
      int colon = b.indexOf(':');
      Refs.validateName(colon >= 0 ? b.substring(colon + 1) : b);
    }
  }

  private Map<String, Variant> buildMetadata(MutableTree tree, CommitOptions options) throws IOException {
    Map<String, Variant> md = new LinkedHashMap<>(options.metadata());
    if (!options.noBindings()) {
      TreeSet<String> refs = new TreeSet<>(DirTree.NAME_ORDER);
      options.branch().ifPresent(refs::add);
      refs.addAll(options.bindRefs());
      if (!refs.isEmpty()) {
        md.put(Commit.KEY_REF_BINDING, Variant.strings(new ArrayList<>(refs)));
      }
      Optional<String> collection = repo.config().get("core", "collection-id");
      if (collection.isPresent()) {
        md.put(Commit.KEY_COLLECTION_BINDING, Variant.string(collection.get()));
      }
    }
    if (options.bootable()) {
      MutableTree modules = lookupDir(tree, List.of("usr", "lib", "modules"));
      if (modules == null) {
        throw new OstreeException("committing with --bootable: the tree has no usr/lib/modules directory");
      }
      List<String> order = new ArrayList<>(md.keySet());
      for (Map.Entry<String, MutableTree> k : modules.dirs().entrySet()) {
        if (k.getValue().getFile("vmlinuz") != null) {
          md.put(Commit.KEY_LINUX, Variant.string(k.getKey()));
          order.add(Commit.KEY_LINUX);
          break;
        }
      }
      md.put(Commit.KEY_BOOTABLE, Variant.bool(true));
      order.add(Commit.KEY_BOOTABLE);
      Map<String, Variant> reordered = new LinkedHashMap<>();
      for (String k : GHashTableOrder.order(order)) {
        reordered.put(k, md.get(k));
      }
      md = reordered;
    }
    return md;
  }

  private static MutableTree lookupDir(MutableTree root, List<String> path) throws IOException {
    MutableTree t = root;
    for (String p : path) {
      t = t.getDir(p);
      if (t == null) {
        return null;
      }
    }
    return t;
  }

  private ContentPolicy contentPolicy(CommitOptions o) {
    boolean canonical = o.canonicalPermissions() || repo.mode() == RepoMode.BARE_USER_ONLY;
    return new ContentPolicy(o.ownerUid().orElse(null), o.ownerGid().orElse(null),
        o.skipXattrs() || canonical, canonical);
  }

  /** The commit time when none is given: {@code SOURCE_DATE_EPOCH} if set, else now. */
  static long defaultTimestamp() {
    String sde = System.getenv("SOURCE_DATE_EPOCH");
    if (sde != null && !sde.isBlank()) {
      try {
        return Long.parseLong(sde.strip());
      } catch (NumberFormatException e) {
        // ignore an invalid value, as ostree does
      }
    }
    return System.currentTimeMillis() / 1000;
  }

  /**
   * Fails unless the JVM decodes file names as UTF-8 (otherwise non-ASCII names would be
   * silently replaced).
   *
   * @throws OstreeException naming the fix
   */
  static void requireUtf8FileNames() throws OstreeException {
    String enc = System.getProperty("sun.jnu.encoding");
    if (enc != null && !Charset.forName(enc).equals(StandardCharsets.UTF_8)) {
      throw new OstreeException("file names are decoded as " + enc
          + ", not UTF-8: run with a UTF-8 locale, e.g. LC_ALL=C.UTF-8");
    }
  }

  /** How file and directory metadata is adjusted on the way in (ownership overrides, xattrs). */
  public static final class ContentPolicy {
    private final Integer uid;
    private final Integer gid;
    private final boolean skipXattrs;
    private final boolean canonical;

    /** Creates a policy; null ids keep the source's ownership. */
    public ContentPolicy(Integer uid, Integer gid, boolean skipXattrs, boolean canonical) {
      this.uid = uid;
      this.gid = gid;
      this.skipXattrs = skipXattrs;
      this.canonical = canonical;
    }

    /** Whether xattrs are dropped. */
    public boolean skipXattrs() {
      return skipXattrs;
    }

    /** The uid to record for a file owned by {@code actual}. */
    public int uid(int actual) {
      return canonical ? 0 : uid != null ? uid : actual;
    }

    /** The gid to record for a file owned by {@code actual}. */
    public int gid(int actual) {
      return canonical ? 0 : gid != null ? gid : actual;
    }

    /** The permission bits to record. */
    public int permissions(int mode) {
      return canonical ? mode & 0755 : mode & 07777;
    }
  }
}
