package io.github.ostree4j.ostree.internal;

import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.ostree.Committer;
import io.github.ostree4j.ostree.DirMeta;
import io.github.ostree4j.ostree.FileHeader;
import io.github.ostree4j.ostree.MutableTree;
import io.github.ostree4j.ostree.ObjectType;
import io.github.ostree4j.ostree.OstreeException;
import io.github.ostree4j.ostree.OstreeRepo;
import io.github.ostree4j.ostree.Xattrs;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
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
 * resolved to earlier entries. Entries that would escape the tree ({@code ..}) and device nodes are
 * rejected with an error naming the entry; missing parent directories are created 0755.
 */
public final class TarImporter {

  /** Regular files up to this size are read into memory and stored by the pool in parallel. */
  private static final int SMALL_FILE = 1 << 20;
  /** Bytes of small files held in memory while they wait for the pool. */
  private static final int MAX_BUFFERED_KIB = 32 * 1024;

  private final OstreeRepo repo;
  private final Committer.ContentPolicy policy;
  /** Regular files seen so far, for hardlinks: path to its (future) checksum. */
  private final Map<String, CompletableFuture<Checksum>> regularFiles = new HashMap<>();
  /** File entries waiting for their checksum, in archive order; a later entry for a path wins. */
  private final Map<String, PendingPut> pending = new LinkedHashMap<>();
  private final Semaphore buffered = new Semaphore(MAX_BUFFERED_KIB);

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

  /** An importer writing into {@code repo} with the given policy. */
  public TarImporter(OstreeRepo repo, Committer.ContentPolicy policy) {
    this.repo = repo;
    this.policy = policy;
  }

  /**
   * Imports every entry of the stream.
   *
   * @throws OstreeException naming the first bad entry
   */
  public MutableTree importTree(InputStream in) throws IOException {
    MutableTree root = new MutableTree();
    Checksum defaultMeta = repo.writeMetadata(ObjectType.DIR_META,
        DirMeta.of(policy.uid(0), policy.gid(0), 0755, Xattrs.EMPTY).serialize());
    PaxCapture capture = new PaxCapture(in);
    TarArchiveInputStream tar = new TarArchiveInputStream(capture, StandardCharsets.UTF_8.name());
    TarArchiveEntry e;
    while (true) {
      List<PaxCapture.Record> pax;
      try {
        capture.start();
        e = tar.getNextEntry();
        pax = PaxCapture.records(capture.stop());
      } catch (IOException ex) {
        throw new OstreeException("reading tar: " + ex.getMessage(), ex);
      }
      if (e == null) {
        break;
      }
      importEntry(tar, e, pax, root, defaultMeta);
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

  private void importEntry(TarArchiveInputStream tar, TarArchiveEntry e, List<PaxCapture.Record> pax,
      MutableTree root, Checksum defaultMeta) throws IOException {
    String name = e.getName();
    // libarchive (and so ostree) normalizes UTF-8 names from PAX records to NFC.
    if (hasKey(pax, "path")) {
      name = Normalizer.normalize(name, Normalizer.Form.NFC);
    }
    List<String> parts = components(name);
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
    } else if (e.isSymbolicLink()) {
      String target = e.getLinkName();
      if (target != null && hasKey(pax, "linkpath")) {
        target = Normalizer.normalize(target, Normalizer.Form.NFC);
      }
      if (target == null || target.isEmpty()) {
        throw new OstreeException("tar entry '" + name + "': symlink with an empty target");
      }
      Checksum c = repo.writeContent(FileHeader.symlink(uid, gid, target, Xattrs.EMPTY), InputStream.nullInputStream(), 0);
      pending.remove(path);
      parent.putFile(leaf, c);
      regularFiles.remove(path);
    } else if (e.isLink()) {
      String target = String.join("/", components(e.getLinkName()));
      CompletableFuture<Checksum> c = regularFiles.get(target);
      if (c == null) {
        throw new OstreeException("tar entry '" + name + "': hardlink to '" + e.getLinkName()
            + "', which is not an earlier regular file in the archive");
      }
      defer(path, new PendingPut(parent, leaf, name, c));
      regularFiles.put(path, c);
    } else if (e.isFile() && !e.isCharacterDevice() && !e.isBlockDevice() && !e.isFIFO()) {
      // (commons-compress's isFile() is also true for device and fifo entries)
      if (e.isSparse()) {
        throw new OstreeException("tar entry '" + name + "': sparse files are not supported");
      }
      FileHeader h = FileHeader.regular(uid, gid, perms, xattrs(e, pax));
      long size = e.getSize();
      CompletableFuture<Checksum> c;
      if (size <= SMALL_FILE) {
        c = storeInBackground(h, tar, size, name);
      } else {
        try {
          c = CompletableFuture.completedFuture(repo.writeContent(h, tar, size));
        } catch (OstreeException ex) {
          throw new OstreeException("tar entry '" + name + "': " + ex.getMessage(), ex);
        }
      }
      defer(path, new PendingPut(parent, leaf, name, c));
      regularFiles.put(path, c);
    } else {
      String kind = e.isCharacterDevice() ? "character device" : e.isBlockDevice() ? "block device"
          : e.isFIFO() ? "fifo" : "entry type '" + (char) e.getLinkFlag() + "'";
      throw new OstreeException("tar entry '" + name + "': unsupported file type (" + kind + ")");
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

  private static boolean hasKey(List<PaxCapture.Record> pax, String key) {
    for (PaxCapture.Record r : pax) {
      if (r.key.equals(key)) {
        return true;
      }
    }
    return false;
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
