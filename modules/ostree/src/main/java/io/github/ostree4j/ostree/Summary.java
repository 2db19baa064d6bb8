package io.github.ostree4j.ostree;

import io.github.ostree4j.ostree.gvariant.GVariantCodec;
import io.github.ostree4j.ostree.gvariant.GVariantFormatException;
import io.github.ostree4j.ostree.gvariant.Variant;
import io.github.ostree4j.ostree.gvariant.VariantType;
import io.github.ostree4j.ostree.internal.Formats;
import io.github.ostree4j.ostree.internal.GHashTableOrder;
import io.github.ostree4j.ostree.internal.GVariantText;
import io.github.ostree4j.ostree.internal.PosixFiles;
import io.github.ostree4j.ostree.internal.StaticDeltas;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A repository summary file {@code (a(s(taya{sv}))a{sv})}: the refs with their commits, and
 * repository metadata. {@link #update} writes it exactly as {@code ostree summary -u} (2022.7)
 * does for the same repository, apart from the {@code ostree.summary.last-modified} time.
 *
 * <p>Layout: refs of {@code refs/heads} (aliases included, remotes excluded) sorted by name, each
 * with the commit size in host (little-endian) order, the 32-byte checksum and
 * {@code {ostree.commit.version: s, ostree.commit.timestamp: t big-endian}}; then the metadata
 * dictionary, whose keys come in the iteration order of the GLib hash table ostree builds it in.
 */
public final class Summary {

  /** The GVariant type of a summary. */
  public static final VariantType TYPE = VariantType.of("(a(s(taya{sv}))a{sv})");
  /** Metadata key: the repository mode string from the config ({@code s}). */
  public static final String KEY_MODE = "ostree.summary.mode";
  /** Metadata key: when the summary was written ({@code t}, seconds, big-endian). */
  public static final String KEY_LAST_MODIFIED = "ostree.summary.last-modified";
  /** Metadata key: when the summary expires ({@code t}, seconds, big-endian). */
  public static final String KEY_EXPIRES = "ostree.summary.expires";
  /** Metadata key: whether the repository writes tombstone commits ({@code b}). */
  public static final String KEY_TOMBSTONE_COMMITS = "ostree.summary.tombstone-commits";
  /** Metadata key: whether static deltas are indexed under {@code delta-indexes} ({@code b}). */
  public static final String KEY_INDEXED_DELTAS = "ostree.summary.indexed-deltas";
  /** Metadata key: static delta names to superblock checksums ({@code a{sv}} of {@code ay}). */
  public static final String KEY_STATIC_DELTAS = "ostree.static-deltas";
  /** Metadata key: the repository's collection ID ({@code s}). */
  public static final String KEY_COLLECTION_ID = "ostree.summary.collection-id";
  /** Metadata key: refs of other collections ({@code a{sa(s(taya{sv}))}}). */
  public static final String KEY_COLLECTION_MAP = "ostree.summary.collection-map";
  /** Per-ref metadata key: the commit timestamp ({@code t}, big-endian). */
  public static final String KEY_COMMIT_TIMESTAMP = "ostree.commit.timestamp";
  /** Per-ref metadata key: the commit's {@code version} ({@code s}). */
  public static final String KEY_COMMIT_VERSION = "ostree.commit.version";

  private static final VariantType REFS_TYPE = VariantType.of("a(s(taya{sv}))");

  /** One ref of a summary. */
  public static final class RefEntry {
    private final String name;
    private final long commitSize;
    private final byte[] checksum;
    private final Map<String, Variant> metadata;

    RefEntry(String name, long commitSize, byte[] checksum, Map<String, Variant> metadata) {
      this.name = name;
      this.commitSize = commitSize;
      this.checksum = checksum;
      this.metadata = Collections.unmodifiableMap(metadata);
    }

    /** The ref name. */
    public String name() {
      return name;
    }

    /** The size in bytes of the commit object. */
    public long commitSize() {
      return commitSize;
    }

    /**
     * The commit checksum.
     *
     * @throws IllegalStateException if the stored checksum is not 32 bytes
     */
    public Checksum commit() {
      if (checksum.length != 32) {
        throw new IllegalStateException("summary ref " + name + " has a checksum of " + checksum.length + " bytes");
      }
      return Checksum.fromBytes(checksum);
    }

    /** The ref's metadata in stored order (values unboxed from their {@code v}). */
    public Map<String, Variant> metadata() {
      return metadata;
    }

    /** The commit timestamp (seconds since the epoch), if recorded. */
    public Optional<Long> timestamp() {
      Variant v = metadata.get(KEY_COMMIT_TIMESTAMP);
      return v != null && v.type().equals(VariantType.UINT64) ? Optional.of(Long.reverseBytes(v.asLong())) : Optional.empty();
    }

    /** The commit version, if recorded. */
    public Optional<String> version() {
      Variant v = metadata.get(KEY_COMMIT_VERSION);
      return v != null && v.type().equals(VariantType.STRING) ? Optional.of(v.asString()) : Optional.empty();
    }
  }

  private final byte[] bytes;
  private final Variant value;

  private Summary(byte[] bytes, Variant value) {
    this.bytes = bytes;
    this.value = value;
  }

  /**
   * Parses summary bytes (normal form is not required, as libostree does not require it).
   *
   * @throws CorruptObjectException if they are not a summary
   */
  public static Summary parse(byte[] data) throws CorruptObjectException {
    try {
      return new Summary(data.clone(), GVariantCodec.deserialize(TYPE, data));
    } catch (GVariantFormatException e) {
      throw new CorruptObjectException("summary: " + e.getMessage(), e);
    }
  }

  /**
   * Parses a metadata value given in GVariant text format, as {@code ostree summary
   * --add-metadata=KEY=VALUE} does: {@code 'text'}, {@code true}, {@code 5} (int32),
   * {@code uint64 5}, {@code ['a', 'b']}, {@code <'boxed'>}, ...
   *
   * @throws OstreeException naming the text and the syntax error
   */
  public static Variant parseMetadataValue(String text) throws OstreeException {
    try {
      return GVariantText.parse(text);
    } catch (IllegalArgumentException e) {
      throw new OstreeException("Error parsing variant '" + text + "': " + e.getMessage());
    }
  }

  /**
   * Reads the repository's {@code summary} file, if there is one.
   *
   * @throws CorruptObjectException if it is malformed
   */
  public static Optional<Summary> read(OstreeRepo repo) throws IOException {
    Path p = repo.path().resolve("summary");
    byte[] b;
    try {
      b = Files.readAllBytes(p);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    try {
      return Optional.of(parse(b));
    } catch (CorruptObjectException e) {
      throw new CorruptObjectException("summary of " + repo.path() + ": " + e.getMessage().replaceFirst("^summary: ", ""), e);
    }
  }

  /**
   * Builds the summary {@code ostree summary -u} would write for the repository now, without
   * writing anything.
   *
   * @param additionalMetadata extra metadata keys in the order given on the command line
   * @param lastModified the value of {@code ostree.summary.last-modified} (seconds)
   * @throws OstreeException if a ref points to a missing commit or the repository has a collection
   *     ID
   */
  public static Summary generate(OstreeRepo repo, Map<String, Variant> additionalMetadata, long lastModified)
      throws IOException {
    if (repo.config().get("core", "collection-id").isPresent()) {
      throw new OstreeException("generating summary of " + repo.path()
          + ": repositories with a collection ID are not supported");
    }
    List<Object> refs = new ArrayList<>();
    for (Map.Entry<String, Checksum> e : repo.refs().listHeads().entrySet()) {
      refs.add(refEntry(repo, e.getKey(), e.getValue()));
    }
    List<String> order = new ArrayList<>();
    Map<String, Variant> values = new LinkedHashMap<>();
    for (Map.Entry<String, Variant> e : additionalMetadata.entrySet()) {
      order.add(e.getKey());
      values.put(e.getKey(), e.getValue());
    }
    Map<String, Variant> deltas = deltaMap(StaticDeltas.list(repo.path()));
    if (!deltas.isEmpty()) {
      order.add(KEY_STATIC_DELTAS);
      values.put(KEY_STATIC_DELTAS, Variant.vardict(deltas));
    }
    order.add(KEY_LAST_MODIFIED);
    values.put(KEY_LAST_MODIFIED, Variant.uint64(Long.reverseBytes(lastModified)));
    order.add(KEY_MODE);
    values.put(KEY_MODE, Variant.string(repo.config().get("core", "mode").orElse("bare")));
    order.add(KEY_TOMBSTONE_COMMITS);
    values.put(KEY_TOMBSTONE_COMMITS, Variant.bool(repo.config().getBoolean("core", "tombstone-commits").orElse(false)));
    order.add(KEY_INDEXED_DELTAS);
    values.put(KEY_INDEXED_DELTAS, Variant.bool(true));
    Variant value = Variant.of(TYPE, List.of(refs, hashOrdered(order, values)));
    return new Summary(value.serialize(), value);
  }

  /**
   * Regenerates and writes {@code summary} as {@code ostree summary -u} does, with the current
   * time as last-modified time.
   *
   * @throws IOException on failure
   */
  public static Summary update(OstreeRepo repo, Map<String, Variant> additionalMetadata) throws IOException {
    return update(repo, additionalMetadata, System.currentTimeMillis() / 1000);
  }

  /**
   * Regenerates and writes {@code summary}: sets {@code core.indexed-deltas=true} in the config,
   * rewrites the static delta indexes, writes the summary atomically (mode 0644) and removes the
   * now stale {@code summary.sig}.
   *
   * @param lastModified the value of {@code ostree.summary.last-modified} (seconds)
   * @throws IOException on failure
   */
  public static Summary update(OstreeRepo repo, Map<String, Variant> additionalMetadata, long lastModified)
      throws IOException {
    Summary s = generate(repo, additionalMetadata, lastModified);
    if (!repo.config().getBoolean("core", "indexed-deltas").orElse(false)) {
      repo.config().set("core", "indexed-deltas", "true");
      repo.saveConfig();
    }
    reindexDeltas(repo);
    writeAtomically(repo, repo.path().resolve("summary"), s.bytes);
    Files.deleteIfExists(repo.path().resolve("summary.sig"));
    return s;
  }

  private static Object refEntry(OstreeRepo repo, String name, Checksum c) throws IOException {
    byte[] commitBytes;
    try {
      commitBytes = repo.readMetadataBytes(c, ObjectType.COMMIT);
    } catch (MissingObjectException e) {
      throw new OstreeException("generating summary: ref " + name + " points to missing commit " + c);
    }
    Commit commit = repo.readCommit(c);
    List<String> order = new ArrayList<>();
    Map<String, Variant> md = new LinkedHashMap<>();
    Optional<String> version = commit.version();
    if (version.isPresent()) {
      order.add(KEY_COMMIT_VERSION);
      md.put(KEY_COMMIT_VERSION, Variant.string(version.get()));
    }
    order.add(KEY_COMMIT_TIMESTAMP);
    md.put(KEY_COMMIT_TIMESTAMP, Variant.uint64(Long.reverseBytes(commit.timestamp())));
    return List.of(name, List.of((long) commitBytes.length, c.toBytes(), hashOrdered(order, md)));
  }

  /** Entries of a GVariantDict built by inserting {@code order}: GHashTable iteration order. */
  private static List<Object> hashOrdered(List<String> order, Map<String, Variant> values) {
    List<Object> entries = new ArrayList<>();
    for (String k : GHashTableOrder.order(order)) {
      entries.add(List.of(k, values.get(k)));
    }
    return entries;
  }

  private static Map<String, Variant> deltaMap(List<StaticDeltas.Delta> deltas) throws IOException {
    List<String> order = new ArrayList<>();
    Map<String, Variant> values = new LinkedHashMap<>();
    for (StaticDeltas.Delta d : deltas) {
      order.add(d.name());
      values.put(d.name(), Variant.bytes(sha256File(d.superblock())));
    }
    Map<String, Variant> out = new LinkedHashMap<>();
    for (String k : GHashTableOrder.order(order)) {
      out.put(k, values.get(k));
    }
    return out;
  }

  private static byte[] sha256File(Path p) throws IOException {
    java.security.MessageDigest md = Commit.newSha256();
    byte[] buf = new byte[65536];
    try (var in = Files.newInputStream(p)) {
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
    }
    return md.digest();
  }

  /** Rewrites {@code delta-indexes/} from {@code deltas/}, as {@code ostree summary -u} does. */
  private static void reindexDeltas(OstreeRepo repo) throws IOException {
    Map<Checksum, List<StaticDeltas.Delta>> byTarget = new TreeMap<>();
    for (StaticDeltas.Delta d : StaticDeltas.list(repo.path())) {
      byTarget.computeIfAbsent(d.to(), k -> new ArrayList<>()).add(d);
    }
    Set<Path> wanted = new HashSet<>();
    for (Map.Entry<Checksum, List<StaticDeltas.Delta>> e : byTarget.entrySet()) {
      Path index = StaticDeltas.indexPath(repo.path(), e.getKey());
      wanted.add(index);
      Map<String, Variant> top = new LinkedHashMap<>();
      top.put(KEY_STATIC_DELTAS, Variant.vardict(deltaMap(e.getValue())));
      byte[] b = Variant.vardict(top).serialize();
      if (Files.isRegularFile(index) && Arrays.equals(Files.readAllBytes(index), b)) {
        continue;
      }
      Files.createDirectories(index.getParent());
      writeAtomically(repo, index, b);
    }
    Path root = repo.path().resolve("delta-indexes");
    if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (DirectoryStream<Path> prefixes = Files.newDirectoryStream(root)) {
      for (Path pd : prefixes) {
        if (!Files.isDirectory(pd, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(pd, "*.index")) {
          for (Path f : ds) {
            if (!wanted.contains(f)) {
              Files.deleteIfExists(f);
            }
          }
        }
      }
    }
  }

  private static void writeAtomically(OstreeRepo repo, Path dest, byte[] data) throws IOException {
    Path tmp = dest.resolveSibling("." + dest.getFileName() + ".tmp-"
        + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    try {
      Files.write(tmp, data, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      PosixFiles.chmod(tmp, 0644);
      Files.move(tmp, dest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  // ---------------------------------------------------------------- accessors

  /** A copy of the serialized summary. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The whole summary as a value of {@link #TYPE}. */
  public Variant toVariant() {
    return value;
  }

  /** The refs in stored order. */
  public List<RefEntry> refs() {
    return refList(value.asList().get(0));
  }

  private static List<RefEntry> refList(Object refsValue) {
    List<RefEntry> out = new ArrayList<>();
    for (Object o : (List<?>) refsValue) {
      List<?> entry = (List<?>) o;
      List<?> data = (List<?>) entry.get(1);
      Map<String, Variant> md = new LinkedHashMap<>();
      for (Object kv : (List<?>) data.get(2)) {
        List<?> pair = (List<?>) kv;
        md.put((String) pair.get(0), (Variant) pair.get(1));
      }
      out.add(new RefEntry((String) entry.get(0), (Long) data.get(0), (byte[]) data.get(1), md));
    }
    return out;
  }

  /** The repository metadata in stored order (values unboxed from their {@code v}). */
  public Map<String, Variant> metadata() {
    Map<String, Variant> out = new LinkedHashMap<>();
    for (Object kv : (List<?>) value.asList().get(1)) {
      List<?> pair = (List<?>) kv;
      out.putIfAbsent((String) pair.get(0), (Variant) pair.get(1));
    }
    return out;
  }

  /** The {@code ostree.summary.last-modified} time (seconds), if present. */
  public Optional<Long> lastModified() {
    Variant v = metadata().get(KEY_LAST_MODIFIED);
    return v != null && v.type().equals(VariantType.UINT64) ? Optional.of(Long.reverseBytes(v.asLong())) : Optional.empty();
  }

  /**
   * The text {@code ostree summary --view} prints: each ref with its commit, then the metadata,
   * known keys with a title. Times are shown in the local time zone, as ostree shows them.
   */
  public String view() {
    StringBuilder sb = new StringBuilder();
    Map<String, Variant> md = metadata();
    Variant cid = md.get(KEY_COLLECTION_ID);
    String mainCollection = cid != null && cid.type().equals(VariantType.STRING) ? cid.asString() : null;
    viewRefs(sb, mainCollection, refs());
    Variant map = md.get(KEY_COLLECTION_MAP);
    if (map != null && map.type().signature().equals("a{sa(s(taya{sv}))}")) {
      for (Object kv : map.asList()) {
        List<?> pair = (List<?>) kv;
        viewRefs(sb, (String) pair.get(0), refList(pair.get(1)));
      }
    }
    for (Object kv : (List<?>) value.asList().get(1)) {
      List<?> pair = (List<?>) kv;
      String key = (String) pair.get(0);
      Variant v = (Variant) pair.get(1);
      String pretty = null;
      String text;
      if (key.equals(KEY_STATIC_DELTAS)) {
        pretty = "Static Deltas";
        text = GVariantText.printPlain(v);
      } else if (key.equals(KEY_MODE) && v.type().equals(VariantType.STRING)) {
        pretty = "Repository Mode";
        text = v.asString();
      } else if ((key.equals(KEY_LAST_MODIFIED) || key.equals(KEY_EXPIRES)) && v.type().equals(VariantType.UINT64)) {
        pretty = key.equals(KEY_LAST_MODIFIED) ? "Last-Modified" : "Expires";
        text = Formats.iso8601(Long.reverseBytes(v.asLong()));
      } else if (key.equals(KEY_TOMBSTONE_COMMITS) && v.type().equals(VariantType.BOOLEAN)) {
        pretty = "Has Tombstone Commits";
        text = v.asBoolean() ? "Yes" : "No";
      } else if (key.equals(KEY_COLLECTION_ID) && v.type().equals(VariantType.STRING)) {
        pretty = "Collection ID";
        text = v.asString();
      } else if (key.equals(KEY_COLLECTION_MAP)) {
        pretty = "Collection Map";
        text = "(printed above)";
      } else {
        text = GVariantText.printPlain(v);
      }
      if (pretty != null) {
        sb.append(pretty).append(" (").append(key).append("): ").append(text).append('\n');
      } else {
        sb.append(key).append(": ").append(text).append('\n');
      }
    }
    return sb.toString();
  }

  private static void viewRefs(StringBuilder sb, String collection, List<RefEntry> refs) {
    for (RefEntry r : refs) {
      sb.append(collection == null ? "* " + r.name : "* (" + collection + ", " + r.name + ")").append('\n');
      sb.append("    Latest Commit (").append(Formats.formatSize(r.commitSize)).append("):\n");
      if (r.checksum.length == 32) {
        sb.append("      ").append(Checksum.fromBytes(r.checksum).hex()).append('\n');
      } else {
        sb.append("      Invalid checksum of length ").append(r.checksum.length).append('\n');
      }
      for (Map.Entry<String, Variant> e : r.metadata.entrySet()) {
        Variant v = e.getValue();
        if (e.getKey().equals(KEY_COMMIT_TIMESTAMP) && v.type().equals(VariantType.UINT64)) {
          sb.append("    Timestamp (").append(e.getKey()).append("): ")
              .append(Formats.iso8601(Long.reverseBytes(v.asLong()))).append('\n');
        } else if (e.getKey().equals(KEY_COMMIT_VERSION) && v.type().equals(VariantType.STRING)) {
          sb.append("    Version (").append(e.getKey()).append("): ").append(v.asString()).append('\n');
        } else {
          sb.append("    ").append(e.getKey()).append(": ").append(GVariantText.printPlain(v)).append('\n');
        }
      }
      sb.append('\n');
    }
  }
}
