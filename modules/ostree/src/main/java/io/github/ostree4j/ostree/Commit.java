package io.github.ostree4j.ostree;

import io.github.ostree4j.ostree.gvariant.GVariantCodec;
import io.github.ostree4j.ostree.gvariant.GVariantFormatException;
import io.github.ostree4j.ostree.gvariant.Variant;
import io.github.ostree4j.ostree.gvariant.VariantType;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A commit object {@code (a{sv}aya(say)sstayay)}: metadata, parent, subject, body, timestamp and
 * the root directory's dirtree and dirmeta checksums.
 *
 * <p>A parsed commit keeps its original bytes: its checksum is over them, and the metadata
 * dictionary's order is not canonical, so a commit is never re-serialized.
 */
public final class Commit {

  /** The GVariant type. */
  public static final VariantType TYPE = VariantType.of("(a{sv}aya(say)sstayay)");

  /** Metadata key: a version string. */
  public static final String KEY_VERSION = "version";
  /** Metadata key: the refs the commit is bound to ({@code as}). */
  public static final String KEY_REF_BINDING = "ostree.ref-binding";
  /** Metadata key: the collection the commit is bound to ({@code s}). */
  public static final String KEY_COLLECTION_BINDING = "ostree.collection-binding";
  /** Metadata key: whether the commit is a bootable OS ({@code b}). */
  public static final String KEY_BOOTABLE = "ostree.bootable";
  /** Metadata key: the kernel version of a bootable commit ({@code s}). */
  public static final String KEY_LINUX = "ostree.linux";

  private final byte[] bytes;
  private final Map<String, Variant> metadata;
  private final Checksum parent;
  private final String subject;
  private final String body;
  private final long timestamp;
  private final Checksum rootTree;
  private final Checksum rootMeta;

  private Commit(byte[] bytes, Map<String, Variant> metadata, Checksum parent, String subject,
      String body, long timestamp, Checksum rootTree, Checksum rootMeta) {
    this.bytes = bytes;
    this.metadata = metadata;
    this.parent = parent;
    this.subject = subject;
    this.body = body;
    this.timestamp = timestamp;
    this.rootTree = rootTree;
    this.rootMeta = rootMeta;
  }

  /**
   * Parses a commit object, requiring normal form and 32-byte checksums.
   *
   * @throws GVariantFormatException if it is malformed
   */
  public static Commit parse(byte[] data) throws GVariantFormatException {
    List<Object> t = GVariantCodec.deserializeNormal(TYPE, data).asList();
    Map<String, Variant> md = Variant.of(VariantType.VARDICT, t.get(0)).asVardict();
    byte[] parent = (byte[]) t.get(1);
    if (parent.length != 0 && parent.length != 32) {
      throw new GVariantFormatException("commit parent has " + parent.length + " bytes");
    }
    byte[] tree = (byte[]) t.get(6);
    byte[] meta = (byte[]) t.get(7);
    if (tree.length != 32 || meta.length != 32) {
      throw new GVariantFormatException("commit root checksums are not 32 bytes");
    }
    return new Commit(data.clone(), java.util.Collections.unmodifiableMap(md),
        parent.length == 0 ? null : Checksum.fromBytes(parent), (String) t.get(3),
        (String) t.get(4), Long.reverseBytes((Long) t.get(5)), Checksum.fromBytes(tree),
        Checksum.fromBytes(meta));
  }

  /** Starts a new commit. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a commit's bytes; metadata keeps insertion order. */
  public static final class Builder {
    private final Map<String, Variant> metadata = new LinkedHashMap<>();
    private Checksum parent;
    private String subject = "";
    private String body = "";
    private long timestamp;
    private Checksum rootTree;
    private Checksum rootMeta;

    /** Adds (or replaces, keeping the position) a metadata entry. */
    public Builder metadata(String key, Variant value) {
      metadata.put(key, value);
      return this;
    }

    /** The parent commit, or null for none. */
    public Builder parent(Checksum p) {
      this.parent = p;
      return this;
    }

    /** The subject line. */
    public Builder subject(String s) {
      this.subject = s == null ? "" : s;
      return this;
    }

    /** The body text. */
    public Builder body(String b) {
      this.body = b == null ? "" : b;
      return this;
    }

    /** UTC seconds since the epoch. */
    public Builder timestamp(long seconds) {
      this.timestamp = seconds;
      return this;
    }

    /** The root directory. */
    public Builder root(Checksum tree, Checksum meta) {
      this.rootTree = tree;
      this.rootMeta = meta;
      return this;
    }

    /** Serializes the commit. */
    public Commit build() {
      if (rootTree == null || rootMeta == null) {
        throw new IllegalStateException("commit has no root tree");
      }
      List<Object> entries = new ArrayList<>();
      for (Map.Entry<String, Variant> e : metadata.entrySet()) {
        entries.add(List.of(e.getKey(), e.getValue()));
      }
      byte[] data = GVariantCodec.serialize(TYPE, List.of(
          entries,
          parent == null ? new byte[0] : parent.toBytes(),
          List.of(),
          subject,
          body,
          Long.reverseBytes(timestamp),
          rootTree.toBytes(),
          rootMeta.toBytes()));
      return new Commit(data, java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metadata)),
          parent, subject, body, timestamp, rootTree, rootMeta);
    }
  }

  /** A copy of the exact bytes of the object. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The checksum of the object (SHA-256 of its bytes). */
  public Checksum checksum() {
    return Checksum.fromBytes(sha256(bytes));
  }

  /** Metadata entries in stored order; the values are the contents of the {@code v} boxes. */
  public Map<String, Variant> metadata() {
    return metadata;
  }

  /** A string metadata value, if present and of type {@code s}. */
  public Optional<String> metadataString(String key) {
    Variant v = metadata.get(key);
    if (v == null) {
      return Optional.empty();
    }
    return v.type().equals(VariantType.STRING) ? Optional.of(v.asString()) : Optional.empty();
  }

  /** The {@code version} metadata, if any. */
  public Optional<String> version() {
    return metadataString(KEY_VERSION);
  }

  /** The parent commit, if any. */
  public Optional<Checksum> parent() {
    return Optional.ofNullable(parent);
  }

  /** The subject. */
  public String subject() {
    return subject;
  }

  /** The body. */
  public String body() {
    return body;
  }

  /** UTC seconds since the epoch. */
  public long timestamp() {
    return timestamp;
  }

  /** The root dirtree checksum. */
  public Checksum rootTree() {
    return rootTree;
  }

  /** The root dirmeta checksum. */
  public Checksum rootMeta() {
    return rootMeta;
  }

  /** SHA-256 of the root dirtree and dirmeta checksums, as {@code ostree show} prints it. */
  public Checksum contentChecksum() {
    MessageDigest md = newSha256();
    md.update(rootTree.toBytes());
    md.update(rootMeta.toBytes());
    return Checksum.fromBytes(md.digest());
  }

  static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  static byte[] sha256(byte[] data) {
    return newSha256().digest(data);
  }
}
