package io.github.ostree4j.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ostree4j.oci.internal.AtomicFiles;
import io.github.ostree4j.oci.internal.BoundedReads;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An OCI image layout directory, as written and read by skopeo ({@code oci:DIR:TAG}), umoci and
 * buildah: {@code oci-layout} ({@code {"imageLayoutVersion":"1.0.0"}}), {@code index.json} (an
 * image index whose entries may carry an {@code org.opencontainers.image.ref.name} annotation, the
 * "tag"), and content-addressed blobs under {@code blobs/<algorithm>/<hex>}.
 *
 * <p>Every write goes to a hidden temporary file in the same directory and is renamed into place;
 * blobs are verified (digest, and size when known) before the rename, and {@code index.json} is
 * replaced in one rename. Index updates are serialized with a lock on the {@code oci-layout} file
 * (and within the JVM), so concurrent {@link #addManifest} calls do not lose entries. Blob reads
 * refuse symlinks, so a blob entry cannot point outside the layout. Instances are thread-safe; the
 * directory may be shared with other tools, except that {@link #gc()} must not run while another
 * writer is adding blobs it has not yet referenced.
 *
 * <pre>{@code
 * OciLayout layout = OciLayout.create(dir);
 * BlobInfo layer = layout.writeBlob(layerStream, null, -1);
 * BlobInfo config = layout.writeBlob(configBytes);
 * ImageManifest m = ImageManifest.builder()
 *     .config(config.toDescriptor(MediaTypes.OCI_CONFIG))
 *     .addLayer(layer.toDescriptor(MediaTypes.OCI_LAYER_GZIP)).build();
 * layout.writeManifest(m, "latest");
 * }</pre>
 */
public final class OciLayout implements BlobSource {

  /** The layout marker file name. */
  public static final String LAYOUT_FILE = "oci-layout";
  /** The index file name. */
  public static final String INDEX_FILE = "index.json";
  /** The blobs directory name. */
  public static final String BLOBS_DIR = "blobs";
  /** The only layout version defined by the OCI image spec. */
  public static final String LAYOUT_VERSION = "1.0.0";
  /** The index entry annotation that names ("tags") an image. */
  public static final String REF_NAME = "org.opencontainers.image.ref.name";
  /** Upper bound for {@code index.json} (16 MiB). */
  public static final int MAX_INDEX_SIZE = 16 << 20;
  /** Upper bound for manifests, indexes and configs read whole (4 MiB, as containers/image). */
  public static final int MAX_DOCUMENT_SIZE = 4 << 20;

  private static final java.util.regex.Pattern ATTACHMENT_TAG =
      java.util.regex.Pattern.compile("sha(256|512)-[0-9a-f]{64,128}\\.(sig|att|sbom)");

  private static final int MAX_LAYOUT_FILE_SIZE = 64 << 10;
  private static final int MAX_NESTING = 8;
  private static final ConcurrentHashMap<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

  private final Path dir;
  private final String where;

  private OciLayout(Path dir) {
    this.dir = dir;
    this.where = "OCI layout " + dir;
  }

  /**
   * Creates a layout in {@code dir} (and its parents), or opens it if it already is one. Existing
   * {@code index.json} and blobs are kept.
   *
   * @throws OciFormatException if {@code dir} has an {@code oci-layout} file of another version
   */
  public static OciLayout create(Path dir) throws IOException {
    Path d = dir.toAbsolutePath().normalize();
    Files.createDirectories(d);
    Path marker = d.resolve(LAYOUT_FILE);
    if (Files.exists(marker, LinkOption.NOFOLLOW_LINKS)) {
      checkLayoutFile(d);
    } else {
      AtomicFiles.write(marker, ("{\"imageLayoutVersion\":\"" + LAYOUT_VERSION + "\"}").getBytes(
          java.nio.charset.StandardCharsets.UTF_8));
    }
    Files.createDirectories(d.resolve(BLOBS_DIR).resolve("sha256"));
    Path index = d.resolve(INDEX_FILE);
    if (!Files.exists(index, LinkOption.NOFOLLOW_LINKS)) {
      AtomicFiles.write(index, ImageIndex.of(List.of(), Map.of()).bytes());
    }
    AtomicFiles.syncDirectory(d);
    return new OciLayout(d);
  }

  /**
   * Opens an existing layout.
   *
   * @throws OciFormatException if {@code oci-layout} is missing, not JSON or of another version, or
   *     {@code index.json} is missing
   */
  public static OciLayout open(Path dir) throws IOException {
    Path d = dir.toAbsolutePath().normalize();
    if (!Files.isDirectory(d)) {
      throw new NoSuchFileException(d.toString(), null, "not a directory (expected an OCI image layout)");
    }
    checkLayoutFile(d);
    if (!Files.isRegularFile(d.resolve(INDEX_FILE), LinkOption.NOFOLLOW_LINKS)) {
      throw new OciFormatException("OCI layout " + d + ": " + INDEX_FILE + " is missing or not a regular file");
    }
    return new OciLayout(d);
  }

  private static void checkLayoutFile(Path d) throws IOException {
    String what = "OCI layout " + d + ": " + LAYOUT_FILE;
    Path marker = d.resolve(LAYOUT_FILE);
    if (!Files.isRegularFile(marker, LinkOption.NOFOLLOW_LINKS)) {
      throw new OciFormatException(what + " is missing or not a regular file (not an OCI image layout)");
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(marker, LinkOption.NOFOLLOW_LINKS)) {
      bytes = BoundedReads.readAll(in, MAX_LAYOUT_FILE_SIZE, what);
    }
    ObjectNode n = Json.parseObject(bytes, what);
    JsonNode v = n.get("imageLayoutVersion");
    if (v == null || !v.isTextual()) {
      throw new OciFormatException(what + " has no imageLayoutVersion");
    }
    if (!v.asText().equals(LAYOUT_VERSION)) {
      throw new OciFormatException(what + ": unsupported imageLayoutVersion '" + v.asText() + "' (expected "
          + LAYOUT_VERSION + ")");
    }
  }

  /** The layout directory (absolute). */
  public Path dir() {
    return dir;
  }

  /** Where blob {@code d} is stored ({@code blobs/<algorithm>/<hex>}); it may not exist. */
  public Path blobPath(Digest d) {
    return dir.resolve(BLOBS_DIR).resolve(d.algorithm()).resolve(d.hex());
  }

  /** Whether blob {@code d} is present (as a regular file). */
  public boolean hasBlob(Digest d) {
    return Files.isRegularFile(blobPath(d), LinkOption.NOFOLLOW_LINKS);
  }

  /**
   * The stored size of blob {@code d}.
   *
   * @throws MissingBlobException if it is not present
   */
  public long blobSize(Digest d) throws IOException {
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(blobPath(d), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      throw new MissingBlobException(d, where);
    }
    if (!a.isRegularFile()) {
      throw new OciFormatException(where + ": blob " + d + " is not a regular file");
    }
    return a.size();
  }

  /**
   * Opens blob {@code d} as stored, without verification (see {@link #openBlob(Descriptor)}).
   *
   * @throws MissingBlobException if it is not present
   * @throws OciFormatException if it is a symlink or not a regular file
   */
  @Override
  public InputStream openBlob(Digest d) throws IOException {
    Path p = blobPath(d);
    try {
      return Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      throw new MissingBlobException(d, where);
    } catch (IOException e) {
      if (Files.isSymbolicLink(p)) {
        throw new OciFormatException(where + ": blob " + d + " is a symlink, not a regular file");
      }
      throw e;
    }
  }

  /**
   * Opens the blob a descriptor names; the stream fails with {@link BlobVerificationException} at
   * its end if the content does not match the descriptor's digest and size.
   */
  public VerifyingInputStream openBlob(Descriptor d) throws IOException {
    return new VerifyingInputStream(openBlob(d.digest()), d);
  }

  /**
   * Reads a small blob whole and verifies its digest.
   *
   * @param maxSize the largest size accepted
   * @throws OciFormatException if it is larger than {@code maxSize}
   * @throws BlobVerificationException if its content does not match {@code d}
   */
  public byte[] readBlobBytes(Digest d, int maxSize) throws IOException {
    return readBlobBytes(d, -1, maxSize);
  }

  private byte[] readBlobBytes(Digest d, long size, int maxSize) throws IOException {
    if (size > maxSize) {
      throw new OciFormatException(where + ": blob " + d + " is " + size + " bytes, larger than the limit of "
          + maxSize);
    }
    try (VerifyingInputStream in = new VerifyingInputStream(openBlob(d), d, size)) {
      byte[] data = BoundedReads.readAll(in, maxSize, where + ": blob " + d);
      in.verify();
      return data;
    }
  }

  /** Writes a blob from a stream, computing its sha256 digest (see {@link #writeBlob(InputStream, Digest, long)}). */
  public BlobInfo writeBlob(InputStream in) throws IOException {
    return writeBlob(in, null, -1);
  }

  /** Writes a blob held in memory (a manifest, a config). */
  public BlobInfo writeBlob(byte[] data) throws IOException {
    return writeBlob(new java.io.ByteArrayInputStream(data), null, data.length);
  }

  /**
   * Streams {@code in} to the end into a temporary file, checks it and renames it to its
   * content-addressed place. If the blob exists already it is replaced by the (identical) new copy.
   * The stream is not closed. A {@link VerifyingInputStream} that checks the same digest (and
   * size) is used as it is, so the content is hashed once.
   *
   * @param expectedOrNull the digest the content must have (its algorithm is used), or null to
   *     compute a sha256 digest
   * @param expectedSize the size the content must have, or -1
   * @return the digest and size written
   * @throws BlobVerificationException if the content does not match; nothing is stored then
   */
  public BlobInfo writeBlob(InputStream in, Digest expectedOrNull, long expectedSize) throws IOException {
    return writeBlob(in, expectedOrNull, expectedSize, null);
  }

  /**
   * Like {@link #writeBlob(InputStream, Digest, long)}, reporting progress.
   *
   * @param progressOrNull receives the number of bytes written so far, after each chunk
   */
  public BlobInfo writeBlob(InputStream in, Digest expectedOrNull, long expectedSize,
      java.util.function.LongConsumer progressOrNull) throws IOException {
    DigestingInputStream src;
    if (expectedOrNull != null && in instanceof VerifyingInputStream
        && ((VerifyingInputStream) in).expectedDigest().equals(expectedOrNull)
        && (expectedSize < 0 || ((VerifyingInputStream) in).expectedSize() == expectedSize)) {
      src = (VerifyingInputStream) in; // already checks the same digest and size: hash once
    } else {
      src = expectedOrNull != null
          ? new VerifyingInputStream(in, expectedOrNull, expectedSize)
          : new DigestingInputStream(in);
    }
    String alg = expectedOrNull != null ? expectedOrNull.algorithm() : "sha256";
    Path algDir = dir.resolve(BLOBS_DIR).resolve(alg);
    Files.createDirectories(algDir);
    Path tmp = AtomicFiles.createTempIn(algDir);
    boolean done = false;
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        OutputStream out = Channels.newOutputStream(ch);
        byte[] buf = new byte[1 << 16];
        int n;
        long written = 0;
        while ((n = src.read(buf)) >= 0) {
          out.write(buf, 0, n);
          written += n;
          if (progressOrNull != null) {
            progressOrNull.accept(written);
          }
        }
        ch.force(false);
      }
      if (expectedOrNull == null && expectedSize >= 0 && src.size() != expectedSize) {
        throw BlobVerificationException.sizeMismatch(src.digest(), expectedSize, src.size(), false);
      }
      BlobInfo info = src.result();
      AtomicFiles.commit(tmp, blobPath(info.digest()));
      done = true;
      return info;
    } finally {
      if (!done) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  /**
   * Takes over a file as a blob: the caller computed its digest while writing it. The file is
   * flushed to disk and renamed to its content-addressed place; on another filesystem it is
   * copied through {@link #writeBlob(InputStream, Digest, long)}, which verifies it.
   *
   * @param file the file (renamed away on success, or left for the caller to delete)
   * @param digest its digest
   * @param size its size
   * @return the digest and size
   * @throws BlobVerificationException when the file has another size
   * @throws IOException when moving or copying fails
   */
  public BlobInfo adoptBlob(Path file, Digest digest, long size) throws IOException {
    long actual = Files.size(file);
    if (actual != size) {
      throw BlobVerificationException.sizeMismatch(digest, size, actual, false);
    }
    Path target = blobPath(digest);
    Path algDir = target.getParent();
    Files.createDirectories(algDir);
    if (!Files.getFileStore(file).equals(Files.getFileStore(algDir))) {
      try (InputStream in = Files.newInputStream(file)) {
        return writeBlob(in, digest, size);
      }
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.force(false);
    }
    AtomicFiles.commit(file, target);
    return new BlobInfo(digest, size);
  }

  /** All blobs present, sorted by digest (temporary and foreign files are left out). */
  public List<Digest> listBlobs() throws IOException {
    TreeSet<Digest> out = new TreeSet<>();
    Path blobs = dir.resolve(BLOBS_DIR);
    if (!Files.isDirectory(blobs, LinkOption.NOFOLLOW_LINKS)) {
      return List.of();
    }
    try (DirectoryStream<Path> algs = Files.newDirectoryStream(blobs)) {
      for (Path a : algs) {
        if (!Files.isDirectory(a, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        String alg = a.getFileName().toString();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(a)) {
          for (Path f : files) {
            String s = alg + ":" + f.getFileName();
            if (Digest.isValid(s) && Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
              out.add(Digest.parse(s));
            }
          }
        }
      }
    }
    return List.copyOf(out);
  }

  /**
   * Reads and checks {@code index.json}.
   *
   * @throws OciFormatException if it is not a valid image index, is larger than
   *     {@link #MAX_INDEX_SIZE}, or names the same tag in two entries
   */
  public ImageIndex index() throws IOException {
    byte[] raw = readIndexBytes();
    ImageIndex idx;
    try {
      idx = ImageIndex.parse(raw, MediaTypes.OCI_INDEX);
    } catch (OciFormatException e) {
      throw new OciFormatException(where + ": " + INDEX_FILE + ": " + e.getMessage(), e);
    }
    Set<String> seen = new HashSet<>();
    for (Descriptor d : idx.manifests()) {
      String tag = d.annotations().get(REF_NAME);
      if (tag != null && !seen.add(tag)) {
        throw new OciFormatException(where + ": " + INDEX_FILE + " names tag '" + tag + "' in more than one entry");
      }
    }
    return idx;
  }

  private byte[] readIndexBytes() throws IOException {
    Path p = dir.resolve(INDEX_FILE);
    try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
      return BoundedReads.readAll(in, MAX_INDEX_SIZE, where + ": " + INDEX_FILE);
    } catch (NoSuchFileException e) {
      throw new OciFormatException(where + ": " + INDEX_FILE + " is missing");
    }
  }

  /** The tags ({@code org.opencontainers.image.ref.name} values) in index order. */
  public List<String> listTags() throws IOException {
    List<String> out = new ArrayList<>();
    for (Descriptor d : index().manifests()) {
      String tag = d.annotations().get(REF_NAME);
      if (tag != null) {
        out.add(tag);
      }
    }
    return Collections.unmodifiableList(out);
  }

  /**
   * Finds the index entry of an image, as skopeo resolves {@code oci:DIR[:TAG]}: by its
   * {@code org.opencontainers.image.ref.name} annotation, or, when {@code tagOrNull} is null, the
   * only entry of the index.
   *
   * @return the entry (a manifest, or an index for multi-platform images)
   * @throws ImageNotFoundException if no entry has the tag, or the index is empty
   * @throws OciFormatException if {@code tagOrNull} is null and the index has several entries
   */
  public Descriptor findManifest(String tagOrNull) throws IOException {
    List<Descriptor> entries = index().manifests();
    if (tagOrNull == null) {
      // signature and attestation attachments (sha256-<hex>.sig) are not images of their own
      entries = entries.stream()
          .filter(d -> !isAttachmentTag(d.annotations().get(REF_NAME)))
          .collect(java.util.stream.Collectors.toList());
      if (entries.isEmpty()) {
        throw new ImageNotFoundException(where + " holds no image");
      }
      if (entries.size() > 1) {
        throw new OciFormatException(where + " holds " + entries.size()
            + " images; name one by tag (tags: " + String.join(", ", listTags()) + ")");
      }
      return entries.get(0);
    }
    for (Descriptor d : entries) {
      if (tagOrNull.equals(d.annotations().get(REF_NAME))) {
        return d;
      }
    }
    throw new ImageNotFoundException("no image tagged '" + tagOrNull + "' in " + where);
  }

  /**
   * Whether a tag names a sigstore attachment of another manifest ({@code sha256-<hex>.sig},
   * {@code .att} or {@code .sbom}), as cosign and containers-image store them next to an image.
   *
   * @param tag a tag, or null
   * @return true for attachment tags
   */
  public static boolean isAttachmentTag(String tag) {
    return tag != null && ATTACHMENT_TAG.matcher(tag).matches();
  }

  /**
   * Reads and verifies the manifest a descriptor names.
   *
   * @throws OciFormatException if it is not an image manifest (e.g. an index)
   */
  public ImageManifest readManifest(Descriptor d) throws IOException {
    byte[] raw = readBlobBytes(d.digest(), d.size(), MAX_DOCUMENT_SIZE);
    try {
      return ImageManifest.parse(raw, d.mediaType());
    } catch (OciFormatException e) {
      throw new OciFormatException(where + ": manifest " + d.digest() + ": " + e.getMessage(), e);
    }
  }

  /** Reads and verifies the image index (manifest list) a descriptor names. */
  public ImageIndex readIndex(Descriptor d) throws IOException {
    byte[] raw = readBlobBytes(d.digest(), d.size(), MAX_DOCUMENT_SIZE);
    try {
      return ImageIndex.parse(raw, d.mediaType());
    } catch (OciFormatException e) {
      throw new OciFormatException(where + ": index " + d.digest() + ": " + e.getMessage(), e);
    }
  }

  /** Reads and verifies the config a descriptor (a manifest's {@code config}) names. */
  public ImageConfig readConfig(Descriptor d) throws IOException {
    byte[] raw = readBlobBytes(d.digest(), d.size(), MAX_DOCUMENT_SIZE);
    try {
      return ImageConfig.parse(raw);
    } catch (OciFormatException e) {
      throw new OciFormatException(where + ": config " + d.digest() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Stores a manifest blob and adds it to the index under a tag (see {@link #addManifest}). Its
   * config and layers must have been written first.
   *
   * @return the index entry's descriptor
   */
  public Descriptor writeManifest(ImageManifest manifest, String tagOrNull) throws IOException {
    writeBlob(manifest.bytes());
    Descriptor d = manifest.descriptor();
    addManifest(d, tagOrNull);
    return tagOrNull == null ? d : withTag(d, tagOrNull);
  }

  /**
   * Adds an entry to {@code index.json}, replacing it atomically. The blob must be present with
   * the descriptor's size (and, for manifests and indexes, digest). With a tag, any other entry
   * carrying that tag is removed first (umoci's behaviour; skopeo keeps such entries untagged)
   * and an untagged entry for the same digest is replaced; without a tag, nothing changes if an
   * entry for the digest exists already. Unknown fields of the index and its entries are kept.
   *
   * @param tagOrNull the {@code org.opencontainers.image.ref.name}; null to use the descriptor's
   *     own annotation, if any
   * @throws MissingBlobException if the blob is not present
   * @throws BlobVerificationException if the stored blob does not match the descriptor
   */
  public void addManifest(Descriptor manifestDescriptor, String tagOrNull) throws IOException {
    if (tagOrNull != null) {
      checkTag(tagOrNull);
    }
    Descriptor d = tagOrNull == null ? manifestDescriptor : withTag(manifestDescriptor, tagOrNull);
    String tag = d.annotations().get(REF_NAME);
    if (MediaTypes.isManifest(d.mediaType()) || MediaTypes.isIndex(d.mediaType())) {
      readBlobBytes(d.digest(), d.size(), MAX_DOCUMENT_SIZE);
    } else {
      long size = blobSize(d.digest());
      if (size != d.size()) {
        throw BlobVerificationException.sizeMismatch(d.digest(), d.size(), size, false);
      }
    }
    updateIndex(entries -> {
      List<JsonNode> out = new ArrayList<>();
      boolean placed = false;
      for (JsonNode e : entries) {
        String eTag = refName(e);
        boolean sameDigest = d.digest().toString().equals(e.path("digest").asText());
        if (tag != null && tag.equals(eTag)) {
          continue;
        }
        if (!placed && sameDigest && eTag == null) {
          out.add(d.toJson());
          placed = true;
          continue;
        }
        if (tag == null && sameDigest) {
          placed = true;
        }
        out.add(e);
      }
      if (!placed) {
        out.add(d.toJson());
      }
      return out;
    });
  }

  /**
   * Removes every index entry carrying {@code tag}. The blobs stay until {@link #gc()}.
   *
   * @return whether an entry was removed
   */
  public boolean removeTag(String tag) throws IOException {
    boolean[] removed = {false};
    updateIndex(entries -> {
      List<JsonNode> out = new ArrayList<>();
      for (JsonNode e : entries) {
        if (tag.equals(refName(e))) {
          removed[0] = true;
        } else {
          out.add(e);
        }
      }
      return out;
    });
    return removed[0];
  }

  /**
   * The result of {@link #gc()}.
   *
   * @param blobsRemoved how many blob files were deleted
   * @param bytesRemoved their total size
   */
  public record GcResult(int blobsRemoved, long bytesRemoved) {}

  /**
   * Deletes blobs that no index entry reaches (through manifests, indexes, configs and layers).
   * Blobs whose type is unknown are kept if referenced; temporary files are left alone. Must not
   * run while another writer has stored blobs it has not referenced yet.
   */
  public GcResult gc() throws IOException {
    return withIndexLock(() -> {
      Set<Digest> reachable = new HashSet<>();
      Deque<Descriptor> todo = new ArrayDeque<>(index().manifests());
      Map<Digest, Integer> depth = new LinkedHashMap<>();
      todo.forEach(d -> depth.put(d.digest(), 0));
      while (!todo.isEmpty()) {
        Descriptor d = todo.poll();
        if (!reachable.add(d.digest()) || !hasBlob(d.digest())) {
          continue;
        }
        int level = depth.getOrDefault(d.digest(), 0);
        List<Descriptor> children = new ArrayList<>();
        if (MediaTypes.isManifest(d.mediaType())) {
          ImageManifest m = readManifest(d);
          children.add(m.config());
          children.addAll(m.layers());
          subject(m.json()).ifPresent(children::add);
        } else if (MediaTypes.isIndex(d.mediaType())) {
          if (level >= MAX_NESTING) {
            throw new OciFormatException(where + ": indexes nested more than " + MAX_NESTING + " deep at " + d.digest());
          }
          children.addAll(readIndex(d).manifests());
        }
        for (Descriptor c : children) {
          depth.putIfAbsent(c.digest(), level + 1);
          todo.add(c);
        }
      }
      int count = 0;
      long bytes = 0;
      for (Digest b : listBlobs()) {
        if (!reachable.contains(b)) {
          long size = Files.size(blobPath(b));
          Files.delete(blobPath(b));
          count++;
          bytes += size;
        }
      }
      return new GcResult(count, bytes);
    });
  }

  private static java.util.Optional<Descriptor> subject(ObjectNode manifest) throws OciFormatException {
    JsonNode s = manifest.get("subject");
    return s != null && s.isObject() ? java.util.Optional.of(Descriptor.fromJson(s, "manifest subject"))
        : java.util.Optional.empty();
  }

  @Override
  public String toString() {
    return where;
  }

  // ---------------------------------------------------------------------------------------------

  private static Descriptor withTag(Descriptor d, String tag) {
    Map<String, String> a = new LinkedHashMap<>(d.annotations());
    a.put(REF_NAME, tag);
    return d.withAnnotations(a);
  }

  private static String refName(JsonNode entry) {
    JsonNode v = entry.path("annotations").get(REF_NAME);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static void checkTag(String tag) {
    if (tag.isEmpty() || tag.length() > 1024 || tag.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
      throw new IllegalArgumentException("invalid tag '" + tag + "' (must be non-empty, without spaces or control characters)");
    }
  }

  @FunctionalInterface
  private interface EntriesUpdate {
    List<JsonNode> apply(List<JsonNode> entries) throws IOException;
  }

  @FunctionalInterface
  private interface LockedAction<T> {
    T run() throws IOException;
  }

  private void updateIndex(EntriesUpdate update) throws IOException {
    withIndexLock(() -> {
      byte[] raw = readIndexBytes();
      ObjectNode n = Json.parseObject(raw, where + ": " + INDEX_FILE);
      JsonNode ms = n.get("manifests");
      if (n.path("schemaVersion").asInt(-1) != 2 || (ms != null && !ms.isNull() && !ms.isArray())) {
        throw new OciFormatException(where + ": " + INDEX_FILE + " is not an OCI image index");
      }
      List<JsonNode> entries = new ArrayList<>();
      if (ms != null && ms.isArray()) {
        ms.forEach(entries::add);
      }
      List<JsonNode> updated = update.apply(entries);
      ArrayNode a = n.putArray("manifests");
      updated.forEach(a::add);
      AtomicFiles.write(dir.resolve(INDEX_FILE), Json.toBytes(n));
      AtomicFiles.syncDirectory(dir);
      return null;
    });
  }

  private <T> T withIndexLock(LockedAction<T> action) throws IOException {
    // keyed by the real path: two instances reaching the directory through different paths must
    // share the JVM-level lock, since file locks do not exclude threads of the same process
    ReentrantLock lock = LOCKS.computeIfAbsent(dir.toRealPath(), k -> new ReentrantLock());
    lock.lock();
    try (FileChannel ch = FileChannel.open(dir.resolve(LAYOUT_FILE), StandardOpenOption.WRITE,
        LinkOption.NOFOLLOW_LINKS)) {
      FileLock fileLock = ch.lock();
      try {
        return action.run();
      } finally {
        fileLock.release();
      }
    } finally {
      lock.unlock();
    }
  }
}
