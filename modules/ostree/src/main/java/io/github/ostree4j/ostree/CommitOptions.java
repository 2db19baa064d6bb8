package io.github.ostree4j.ostree;

import io.github.ostree4j.ostree.gvariant.Variant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code ostree commit} takes besides the tree: branch, subject, body, timestamp, parent,
 * ownership overrides and metadata. Build with {@link #builder()}.
 */
public final class CommitOptions {

  private final String branch;
  private final String subject;
  private final String body;
  private final Long timestamp;
  private final Checksum parent;
  private final boolean orphan;
  private final Integer ownerUid;
  private final Integer ownerGid;
  private final Map<String, Variant> metadata;
  private final Map<String, Variant> detachedMetadata;
  private final boolean bootable;
  private final boolean noBindings;
  private final List<String> bindRefs;
  private final boolean skipXattrs;
  private final boolean canonicalPermissions;

  private CommitOptions(Builder b) {
    this.branch = b.branch;
    this.subject = b.subject;
    this.body = b.body;
    this.timestamp = b.timestamp;
    this.parent = b.parent;
    this.orphan = b.orphan;
    this.ownerUid = b.ownerUid;
    this.ownerGid = b.ownerGid;
    this.metadata = new LinkedHashMap<>(b.metadata);
    this.detachedMetadata = new LinkedHashMap<>(b.detachedMetadata);
    this.bootable = b.bootable;
    this.noBindings = b.noBindings;
    this.bindRefs = List.copyOf(b.bindRefs);
    this.skipXattrs = b.skipXattrs;
    this.canonicalPermissions = b.canonicalPermissions;
  }

  /** A new builder with ostree's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these options, to derive changed options from them. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.branch = branch;
    b.subject = subject;
    b.body = body;
    b.timestamp = timestamp;
    b.parent = parent;
    b.orphan = orphan;
    b.ownerUid = ownerUid;
    b.ownerGid = ownerGid;
    b.metadata.putAll(metadata);
    b.detachedMetadata.putAll(detachedMetadata);
    b.bootable = bootable;
    b.noBindings = noBindings;
    b.bindRefs.addAll(bindRefs);
    b.skipXattrs = skipXattrs;
    b.canonicalPermissions = canonicalPermissions;
    return b;
  }

  /** Builder for {@link CommitOptions}. */
  public static final class Builder {
    private String branch;
    private String subject = "";
    private String body = "";
    private Long timestamp;
    private Checksum parent;
    private boolean orphan;
    private Integer ownerUid;
    private Integer ownerGid;
    private final Map<String, Variant> metadata = new LinkedHashMap<>();
    private final Map<String, Variant> detachedMetadata = new LinkedHashMap<>();
    private boolean bootable;
    private boolean noBindings;
    private final List<String> bindRefs = new ArrayList<>();
    private boolean skipXattrs;
    private boolean canonicalPermissions;

    /** The ref to update ({@code --branch}). */
    public Builder branch(String b) {
      this.branch = b;
      return this;
    }

    /** {@code --subject}. */
    public Builder subject(String s) {
      this.subject = s == null ? "" : s;
      return this;
    }

    /** {@code --body}. */
    public Builder body(String s) {
      this.body = s == null ? "" : s;
      return this;
    }

    /** Commit time in UTC seconds ({@code --timestamp}); default: SOURCE_DATE_EPOCH or now. */
    public Builder timestamp(long seconds) {
      this.timestamp = seconds;
      return this;
    }

    /** An explicit parent ({@code --parent}); default: the branch's current commit. */
    public Builder parent(Checksum p) {
      this.parent = p;
      return this;
    }

    /** No parent even if the branch exists ({@code --orphan}). */
    public Builder orphan(boolean o) {
      this.orphan = o;
      return this;
    }

    /** Overrides the uid of every file and directory ({@code --owner-uid}). */
    public Builder ownerUid(int uid) {
      this.ownerUid = uid;
      return this;
    }

    /** Overrides the gid of every file and directory ({@code --owner-gid}). */
    public Builder ownerGid(int gid) {
      this.ownerGid = gid;
      return this;
    }

    /** Adds a string metadata entry ({@code --add-metadata-string=K=V}), in call order. */
    public Builder addMetadataString(String key, String value) {
      metadata.put(key, Variant.string(value));
      return this;
    }

    /** Adds a metadata entry of any type ({@code --add-metadata=K=V}). */
    public Builder addMetadata(String key, Variant value) {
      metadata.put(key, value);
      return this;
    }

    /** Adds a detached metadata entry ({@code --add-detached-metadata-string=K=V}). */
    public Builder addDetachedMetadataString(String key, String value) {
      detachedMetadata.put(key, Variant.string(value));
      return this;
    }

    /** Adds {@code ostree.bootable} and {@code ostree.linux} ({@code --bootable}). */
    public Builder bootable(boolean b) {
      this.bootable = b;
      return this;
    }

    /** No {@code ostree.ref-binding} ({@code --no-bindings}). */
    public Builder noBindings(boolean b) {
      this.noBindings = b;
      return this;
    }

    /** Extra refs for {@code ostree.ref-binding} ({@code --bind-ref}). */
    public Builder bindRef(String ref) {
      bindRefs.add(ref);
      return this;
    }

    /** Do not record extended attributes ({@code --no-xattrs}). */
    public Builder skipXattrs(boolean s) {
      this.skipXattrs = s;
      return this;
    }

    /** Canonicalize permissions as bare-user-only does ({@code --canonical-permissions}). */
    public Builder canonicalPermissions(boolean c) {
      this.canonicalPermissions = c;
      return this;
    }

    /** The options. */
    public CommitOptions build() {
      return new CommitOptions(this);
    }
  }

  /** The branch to update, if any. */
  public Optional<String> branch() {
    return Optional.ofNullable(branch);
  }

  /** Subject line. */
  public String subject() {
    return subject;
  }

  /** Body. */
  public String body() {
    return body;
  }

  /** Explicit timestamp, if any. */
  public Optional<Long> timestamp() {
    return Optional.ofNullable(timestamp);
  }

  /** Explicit parent, if any. */
  public Optional<Checksum> parent() {
    return Optional.ofNullable(parent);
  }

  /** Whether to ignore the branch's current commit as parent. */
  public boolean orphan() {
    return orphan;
  }

  /** uid override. */
  public Optional<Integer> ownerUid() {
    return Optional.ofNullable(ownerUid);
  }

  /** gid override. */
  public Optional<Integer> ownerGid() {
    return Optional.ofNullable(ownerGid);
  }

  /** Metadata in insertion order. */
  public Map<String, Variant> metadata() {
    return metadata;
  }

  /** Detached metadata in insertion order. */
  public Map<String, Variant> detachedMetadata() {
    return detachedMetadata;
  }

  /** Whether to mark the commit bootable. */
  public boolean bootable() {
    return bootable;
  }

  /** Whether to omit ref bindings. */
  public boolean noBindings() {
    return noBindings;
  }

  /** Extra binding refs. */
  public List<String> bindRefs() {
    return bindRefs;
  }

  /** Whether xattrs are skipped. */
  public boolean skipXattrs() {
    return skipXattrs;
  }

  /** Whether permissions are canonicalized. */
  public boolean canonicalPermissions() {
    return canonicalPermissions;
  }
}
