package io.github.ostree4j.ostree.internal;

import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.ostree.Committer;
import io.github.ostree4j.ostree.DirMeta;
import io.github.ostree4j.ostree.FileHeader;
import io.github.ostree4j.ostree.MutableTree;
import io.github.ostree4j.ostree.ObjectType;
import io.github.ostree4j.ostree.OstreeException;
import io.github.ostree4j.ostree.OstreeRepo;
import io.github.ostree4j.ostree.TarEntryFilter;
import io.github.ostree4j.ostree.Xattrs;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads a tar stream into a {@link MutableTree} as {@code ostree commit --tree=tar=} does:
 * ownership and modes from the entries, xattrs from PAX {@code SCHILY.xattr.*} records, hardlinks
 * resolved to earlier entries (regular files or symlinks). Entries that would escape the tree
 * ({@code ..}), names that are not UTF-8 and device nodes are rejected with an error naming the
 * entry; missing parent directories are created 0755. A {@link TarEntryFilter} may move or drop
 * entries on the way.
 */
public final class TarImporter {

  /** Regular files up to this size are read into memory and stored by the pool in parallel. */
  private static final int SMALL_FILE = 1 << 20;
  /** Bytes of small files held in memory while they wait for the pool. */
  private static final int MAX_BUFFERED_KIB = 32 * 1024;

  private final OstreeRepo repo;
  private final Committer.ContentPolicy policy;
  private final TarEntryFilter filter;
  /** Regular files and symlinks seen so far, for hardlinks: path to its (future) checksum. */
  private final Map<String, CompletableFuture<Checksum>> regularFiles = new HashMap<>();
  /** File entries waiting for their checksum, in archive order; a later entry for a path wins. */
  private final Map<String, PendingPut> pending = new LinkedHashMap<>();
  private final Semaphore buffered = new Semaphore(MAX_BUFFERED_KIB);
  /** Every content write handed to the pool, so that a failed import can wait for them. */
  private final List<CompletableFuture<Checksum>> inFlight = new ArrayList<>();

  /** A file entry to add to the tree once its content is stored. */
  private static final class PendingPut {
    final MutableTree parent;
    final String leaf;
    final String entryName;
    final CompletableFuture<Checksum> content;

    PendingPut(MutableTree parent, String leaf, String entryName, CompletableFuture<Checksum> content) {
      this.parent = parent;
      this.leaf = leaf;
      this.entryName = entryName;
      this.content = content;
    }
  }

  /** An importer writing into {@code repo} with the given policy, keeping every entry. */
  public TarImporter(OstreeRepo repo, Committer.ContentPolicy policy) {
    this(repo, policy, TarEntryFilter.IDENTITY);
  }

  /** An importer writing into {@code repo} with the given policy, placing entries by {@code filter}. */
  public TarImporter(OstreeRepo repo, Committer.ContentPolicy policy, TarEntryFilter filter) {
    this.repo = repo;
    this.policy = policy;
    this.filter = filter;
  }

  /**
   * Imports every entry of the stream.
   *
   * @throws OstreeException naming the first bad entry
   */
  public MutableTree importTree(InputStream in) throws IOException {
    try {
      return importAll(in);
    } catch (IOException | RuntimeException e) {
      // Let background writes finish before reporting: nothing may still write into the
      // repository once the caller has the error.
      for (CompletableFuture<Checksum> f : inFlight) {
        try {
          f.join();
        } catch (CompletionException | java.util.concurrent.CancellationException ignored) {
          // the first error is the one reported
        }
      }
      throw e;
    }
  }

  private MutableTree importAll(InputStream in) throws IOException {
    MutableTree root = new MutableTree();
    Checksum defaultMeta = repo.writeMetadata(ObjectType.DIR_META,
        DirMeta.of(policy.uid(0), policy.gid(0), 0755, Xattrs.EMPTY).serialize());
    PaxCapture capture = new PaxCapture(in);
    // Names are read as raw bytes (ISO-8859-1 maps bytes to chars one to one) and decoded as
    // strict UTF-8 here: commons-compress would silently replace invalid bytes.
    TarArchiveInputStream tar = new TarArchiveInputStream(capture, StandardCharsets.ISO_8859_1.name());
    TarArchiveEntry e;
    String previous = null;
    long previousSize = 0;
    while (true) {
      List<PaxCapture.Record> pax;
      byte[] headers;
      try {
        capture.start();
        e = tar.getNextEntry();
        headers = capture.stop();
        pax = PaxCapture.records(headers);
      } catch (IOException ex) {
        capture.stop();
        throw new OstreeException("reading tar" + (previous == null ? "" : " after entry '" + previous + "'")
            + ": " + ex.getMessage(), ex);
      }
      if (e == null) {
        requireEndMarker(headers, previousSize, previous);
        break;
      }
      previousSize = e.getSize();
      String name = entryName(e, pax);
      importEntry(tar, e, name, pax, root, defaultMeta);
      try {
        // whatever the entry's handling left unread (skipped entries), outside the header capture
        tar.transferTo(OutputStream.nullOutputStream());
      } catch (IOException ex) {
        throw new OstreeException("tar entry '" + name + "': " + ex.getMessage(), ex);
      }
      previous = name;
    }
    for (PendingPut p : pending.values()) {
      Checksum c;
      try {
        c = p.content.join();
      } catch (CompletionException ex) {
        Throwable cause = ex.getCause();
        if (cause instanceof IOException) {
          throw new OstreeException("tar entry '" + p.entryName + "': " + cause.getMessage(), cause);
        }
        throw ex;
      }
      p.parent.putFile(p.leaf, c);
    }
    if (root.metaChecksum() == null) {
      root.setMetaChecksum(defaultMeta);
    }
    return root;
  }

  /**
   * Fails unless the archive ended with an end-of-archive record: commons-compress reports an
   * archive that stops inside or after a header (a PAX header without its entry, half a header
   * record) as ending normally. The bytes read for the last header start with the padding of the
   * previous entry's data; were the padding skipped unread, the end-of-archive records (two, in
   * practice) would still cover the place checked.
   */
  private static void requireEndMarker(byte[] headers, long previousSize, String previous)
      throws OstreeException {
    if (previous == null && headers.length == 0) {
      return; // an empty stream is an empty archive, as libarchive's "empty" format has it
    }
    int padding = (int) ((512 - previousSize % 512) % 512);
    // (checking at 0 could mistake padding plus a cut-off end record for a whole zero record)
    if (!endMarkerAt(headers, padding)) {
      throw new OstreeException("reading tar" + (previous == null ? "" : " after entry '" + previous + "'")
          + ": truncated archive (no end-of-archive record)");
    }
  }

  /** Whether a zero record (the end-of-archive marker) starts at {@code offset}. */
  private static boolean endMarkerAt(byte[] b, int offset) {
    if (b.length < offset + 512) {
      return false;
    }
    for (int i = offset; i < offset + 512; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * Splits an entry name into path components, dropping {@code .} and leading slashes.
   *
   * @throws OstreeException if a component is {@code ..}
   */
  public static List<String> components(String entryName) throws OstreeException {
    List<String> parts = new ArrayList<>();
    for (String p : entryName.split("/")) {
      if (p.isEmpty() || p.equals(".")) {
        continue;
      }
      if (p.equals("..")) {
        throw new OstreeException("tar entry '" + entryName + "': path contains '..' and would escape the tree");
      }
      parts.add(p);
    }
    return parts;
  }

  /**
   * The entry's name: the PAX {@code path} record if there is one (normalized to NFC, as
   * libarchive and so ostree do), else the header or GNU long name; either must be UTF-8.
   */
  private static String entryName(TarArchiveEntry e, List<PaxCapture.Record> pax) throws OstreeException {
    byte[] paxPath = lastValue(pax, "path");
    if (paxPath != null) {
      String name = utf8(paxPath, "name");
      return Normalizer.normalize(name, Normalizer.Form.NFC);
    }
    String raw = e.getName();
    return utf8(raw.getBytes(StandardCharsets.ISO_8859_1), "name");
  }

  /** The entry's link target (PAX {@code linkpath} first, normalized to NFC), or null. */
  private static String linkName(TarArchiveEntry e, String name, List<PaxCapture.Record> pax) throws OstreeException {
    byte[] paxLink = lastValue(pax, "linkpath");
    if (paxLink != null) {
      return Normalizer.normalize(utf8(paxLink, "link target of '" + name + "'"), Normalizer.Form.NFC);
    }
    String raw = e.getLinkName();
    if (raw == null || raw.isEmpty()) {
      return raw;
    }
    return utf8(raw.getBytes(StandardCharsets.ISO_8859_1), "link target of '" + name + "'");
  }

  /** Decodes strict UTF-8; the error shows the bytes with invalid sequences replaced. */
  private static String utf8(byte[] raw, String what) throws OstreeException {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(raw))
          .toString();
    } catch (CharacterCodingException ex) {
      throw new OstreeException("tar entry: " + what + " '" + new String(raw, StandardCharsets.UTF_8)
          + "' is not valid UTF-8");
    }
  }

  private static TarEntryFilter.Type type(TarArchiveEntry e) {
    if (e.isDirectory()) {
      return TarEntryFilter.Type.DIRECTORY;
    }
    if (e.isSymbolicLink()) {
      return TarEntryFilter.Type.SYMLINK;
    }
    if (e.isLink()) {
      return TarEntryFilter.Type.HARDLINK;
    }
    // (commons-compress's isFile() is also true for device and fifo entries)
    if (e.isFile() && !e.isCharacterDevice() && !e.isBlockDevice() && !e.isFIFO()) {
      return TarEntryFilter.Type.REGULAR;
    }
    return TarEntryFilter.Type.OTHER;
  }

  private void importEntry(TarArchiveInputStream tar, TarArchiveEntry e, String name, List<PaxCapture.Record> pax,
      MutableTree root, Checksum defaultMeta) throws IOException {
    TarEntryFilter.Type type = type(e);
    String link = type == TarEntryFilter.Type.SYMLINK || type == TarEntryFilter.Type.HARDLINK
        ? linkName(e, name, pax) : null;
    TarEntryFilter.Entry view = new TarEntryFilter.Entry(name, type, link, e.getModTime().getTime() / 1000);
    TarEntryFilter.Placement placement = filter.place(view);
    switch (placement.action()) {
      case SKIP:
        return;
      case LINK_SOURCE:
        if (type == TarEntryFilter.Type.REGULAR) {
          String key = String.join("/", components(placement.path()));
          regularFiles.put(key, storeRegular(tar, e, name, pax));
        }
        return;
      default:
        break;
    }
    List<String> parts = components(placement.path());
    int uid = policy.uid((int) e.getLongUserId());
    int gid = policy.gid((int) e.getLongGroupId());
    int perms = policy.permissions(e.getMode());
    if (parts.isEmpty()) {
      if (e.isDirectory()) {
        root.setMetaChecksum(repo.writeMetadata(ObjectType.DIR_META,
            DirMeta.of(uid, gid, perms, xattrs(e, pax)).serialize()));
        return;
      }
      throw new OstreeException("tar entry '" + name + "': not a directory but names the root");
    }
    String leaf = parts.get(parts.size() - 1);
    if (type == TarEntryFilter.Type.OTHER) {
      String kind = e.isCharacterDevice() ? "character device" : e.isBlockDevice() ? "block device"
          : e.isFIFO() ? "fifo" : "entry type '" + (char) e.getLinkFlag() + "'";
      throw new OstreeException("tar entry '" + name + "': unsupported file type (" + kind + ")");
    }
    if (!pending.isEmpty()) {
      StringBuilder prefix = new StringBuilder();
      for (int i = 0; i < parts.size() - 1; i++) {
        if (i > 0) {
          prefix.append('/');
        }
        prefix.append(parts.get(i));
        pending.remove(prefix.toString());
      }
    }
    MutableTree parent = root.ensurePath(parts.subList(0, parts.size() - 1), defaultMeta);
    String path = String.join("/", parts);
    if (e.isDirectory()) {
      pending.remove(path);
      MutableTree d = parent.ensureDir(leaf);
      d.setMetaChecksum(repo.writeMetadata(ObjectType.DIR_META, DirMeta.of(uid, gid, perms, xattrs(e, pax)).serialize()));
      regularFiles.remove(path);
    } else if (type == TarEntryFilter.Type.SYMLINK) {
      if (link == null || link.isEmpty()) {
        throw new OstreeException("tar entry '" + name + "': symlink with an empty target");
      }
      Checksum c = repo.writeContent(FileHeader.symlink(uid, gid, link, Xattrs.EMPTY), InputStream.nullInputStream(), 0);
      pending.remove(path);
      parent.putFile(leaf, c);
      regularFiles.put(path, CompletableFuture.completedFuture(c));
    } else if (type == TarEntryFilter.Type.HARDLINK) {
      if (link == null || link.isEmpty()) {
        throw new OstreeException("tar entry '" + name + "': hardlink with an empty target");
      }
      String target = String.join("/", components(filter.hardlinkTarget(view)));
      CompletableFuture<Checksum> c = regularFiles.get(target);
      if (c == null) {
        throw new OstreeException("tar entry '" + name + "': hardlink to '" + link
            + "', which is not an earlier file in the archive");
      }
      defer(path, new PendingPut(parent, leaf, name, c));
      regularFiles.put(path, c);
    } else {
      CompletableFuture<Checksum> c = storeRegular(tar, e, name, pax);
      defer(path, new PendingPut(parent, leaf, name, c));
      regularFiles.put(path, c);
    }
  }

  /** Stores a regular file's content (small files in the background). */
  private CompletableFuture<Checksum> storeRegular(TarArchiveInputStream tar, TarArchiveEntry e, String name,
      List<PaxCapture.Record> pax) throws IOException {
    if (e.isSparse()) {
      throw new OstreeException("tar entry '" + name + "': sparse files are not supported");
    }
    int uid = policy.uid((int) e.getLongUserId());
    int gid = policy.gid((int) e.getLongGroupId());
    FileHeader h = FileHeader.regular(uid, gid, policy.permissions(e.getMode()), xattrs(e, pax));
    long size = e.getSize();
    if (size <= SMALL_FILE) {
      return storeInBackground(h, tar, size, name);
    }
    try {
      return CompletableFuture.completedFuture(repo.writeContent(h, tar, size));
    } catch (OstreeException ex) {
      throw new OstreeException("tar entry '" + name + "': " + ex.getMessage(), ex);
    }
  }

  private void defer(String path, PendingPut put) {
    pending.remove(path);
    pending.put(path, put);
  }

  private CompletableFuture<Checksum> storeInBackground(FileHeader h, InputStream tar, long size, String name)
      throws IOException {
    int kib = (int) Math.max(1, (size + 1023) / 1024);
    try {
      buffered.acquire(kib);
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new OstreeException("interrupted while reading tar entry '" + name + "'", ex);
    }
    byte[] data;
    try {
      data = tar.readNBytes((int) size);
    } catch (IOException ex) {
      buffered.release(kib);
      throw new OstreeException("tar entry '" + name + "': " + ex.getMessage(), ex);
    }
    if (data.length != size) {
      buffered.release(kib);
      throw new OstreeException("tar entry '" + name + "': truncated, " + data.length + " of " + size + " bytes");
    }
    CompletableFuture<Checksum> f = new CompletableFuture<>();
    if (inFlight.size() >= 1024) {
      inFlight.removeIf(CompletableFuture::isDone);
    }
    inFlight.add(f);
    BlockDeflater.pool().execute(() -> {
      try {
        f.complete(repo.writeContent(h, new ByteArrayInputStream(data), size));
      } catch (IOException | RuntimeException ex) {
        f.completeExceptionally(ex);
      } finally {
        buffered.release(kib);
      }
    });
    return f;
  }

  private static byte[] lastValue(List<PaxCapture.Record> pax, String key) {
    byte[] v = null;
    for (PaxCapture.Record r : pax) {
      if (r.key.equals(key)) {
        v = r.value;
      }
    }
    return v;
  }

  /**
   * Extended attributes of an entry as libostree gets them from libarchive: from PAX
   * {@code SCHILY.xattr.NAME} records with their raw bytes (empty values kept), in the reverse of
   * the archive's order; {@code LIBARCHIVE.xattr.*} (base64) when there are no SCHILY records.
   */
  private Xattrs xattrs(TarArchiveEntry e, List<PaxCapture.Record> pax) {
    if (policy.skipXattrs()) {
      return Xattrs.EMPTY;
    }
    List<String> names = new ArrayList<>();
    List<byte[]> values = new ArrayList<>();
    for (PaxCapture.Record r : pax) {
      if (r.key.startsWith("SCHILY.xattr.") && r.key.length() > "SCHILY.xattr.".length()) {
        String attr = r.key.substring("SCHILY.xattr.".length());
        int idx = names.indexOf(attr);
        if (idx >= 0) {
          names.remove(idx);
          values.remove(idx);
        }
        names.add(attr);
        values.add(r.value);
      }
    }
    if (names.isEmpty()) {
      for (Map.Entry<String, String> h : e.getExtraPaxHeaders().entrySet()) {
        String k = h.getKey();
        if (k.startsWith("SCHILY.xattr.")) {
          names.add(k.substring("SCHILY.xattr.".length()));
          values.add(h.getValue().getBytes(StandardCharsets.UTF_8));
        } else if (k.startsWith("LIBARCHIVE.xattr.")) {
          names.add(java.net.URLDecoder.decode(k.substring("LIBARCHIVE.xattr.".length()), StandardCharsets.UTF_8));
          values.add(Base64.getDecoder().decode(h.getValue()));
        }
      }
    }
    if (names.isEmpty()) {
      return Xattrs.EMPTY;
    }
    Xattrs.Builder b = Xattrs.builder();
    for (int i = names.size() - 1; i >= 0; i--) {
      b.add(names.get(i), values.get(i));
    }
    return b.buildInOrder();
  }

}
