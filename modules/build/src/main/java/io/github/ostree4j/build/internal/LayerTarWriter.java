package io.github.ostree4j.build.internal;

import io.github.ostree4j.oci.DigestingOutputStream;
import io.github.ostree4j.oci.Whiteouts;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes a change tree (overlayfs upper directory) as an uncompressed OCI layer tar, computing its
 * diff ID and size while streaming.
 *
 * <p>The bytes depend only on the tree's content and metadata:
 *
 * <ul>
 *   <li>entries depth first, a directory before its children, siblings ordered by the bytes of
 *       their UTF-8 entry names (after whiteouts are renamed); the root itself has no entry;
 *   <li>names relative without {@code ./}, directories with a trailing {@code /};
 *   <li>numeric uid/gid, empty user and group names, permission bits with setuid, setgid and
 *       sticky (no file type bits), whole-second modification times, no access or change times;
 *   <li>with a clamp, each time is {@code min(mtime, clamp)} (BuildKit's
 *       {@code rewrite-timestamp}: files older than the clamp keep their times; buildah's
 *       {@code --timestamp} instead sets every time to the value);
 *   <li>a whiteout (0/0 character device) becomes an empty regular file {@code .wh.NAME}, an
 *       opaque directory its directory entry followed at once by an empty {@code .wh..wh..opq};
 *       both markers have mode 0, owner 0:0 and time 0, so they do not depend on when or how the
 *       deletion happened;
 *   <li>files sharing an inode become one regular entry (the first in order) and hard links to
 *       it; device nodes and fifos are kept, sockets dropped (tar cannot hold them);
 *   <li>a PAX header, written raw, carries names and link targets of 100 bytes or more and the
 *       xattrs ({@code SCHILY.xattr.NAME}, sorted), except overlayfs' and ostree's bookkeeping
 *       and {@code security.selinux} (the build host's label); numbers too large for octal fields
 *       use the base-256 form; the archive ends with two zero blocks and no further padding.
 * </ul>
 */
final class LayerTarWriter {

  private static final String PAX_HEADER_NAME = "././@PaxHeader";
  private static final int NAME_FIELD = 100;
  private static final FileTime EPOCH = FileTime.fromMillis(0);

  private final OptionalLong clamp;
  private final Map<String, SortedMap<String, byte[]>> hostXattrs;
  private final Map<List<Long>, String> linkTargets = new HashMap<>();
  private final byte[] buffer = new byte[128 * 1024];
  private TarArchiveOutputStream tar;
  private long entries;

  private LayerTarWriter(OptionalLong clamp, Map<String, SortedMap<String, byte[]>> hostXattrs) {
    this.clamp = clamp;
    this.hostXattrs = hostXattrs;
  }

  /**
   * Writes {@code tree} as a layer to {@code tarFile} (replaced if present).
   *
   * @param clamp upper bound of the entries' modification times, in seconds since the epoch
   * @param hostXattrs xattrs the JDK cannot read, by relative path (see {@link HostXattrs})
   * @throws IOException naming the entry that cannot be written
   */
  static LayerCapture write(Path tree, Path tarFile, OptionalLong clamp,
      Map<String, SortedMap<String, byte[]>> hostXattrs) throws IOException {
    LayerTarWriter w = new LayerTarWriter(clamp, hostXattrs);
    boolean ok = false;
    try (OutputStream file = Files.newOutputStream(tarFile)) {
      DigestingOutputStream digesting = new DigestingOutputStream(new BufferedOutputStream(file, 1 << 16));
      w.tar = new TarArchiveOutputStream(digesting, TarConstants.DEFAULT_RCDSIZE, StandardCharsets.UTF_8.name());
      w.tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_ERROR);
      w.tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_STAR);
      w.tar.setAddPaxHeadersForNonAsciiNames(false);
      w.directory(tree, "");
      w.tar.finish();
      digesting.flush();
      ok = true;
      return new LayerCapture(tarFile, digesting.digest(), digesting.size(), w.entries == 0);
    } finally {
      if (!ok) {
        Files.deleteIfExists(tarFile);
      }
    }
  }

  private record Child(String name, String entryName, byte[] sortKey, Path path, FileMeta meta) {}

  private void directory(Path dir, String prefix) throws IOException {
    List<Child> children = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String name = p.getFileName().toString();
        FileMeta meta = FileMeta.read(p);
        String entryName;
        if (meta.isWhiteout()) {
          entryName = Whiteouts.PREFIX + name;
        } else if (name.startsWith(Whiteouts.PREFIX)) {
          throw new IOException("cannot write /" + prefix + name + " to a layer: names starting with "
              + Whiteouts.PREFIX + " are reserved for whiteouts");
        } else {
          entryName = name;
        }
        children.add(new Child(name, entryName, entryName.getBytes(StandardCharsets.UTF_8), p, meta));
      }
    }
    children.sort((a, b) -> Arrays.compareUnsigned(a.sortKey(), b.sortKey()));
    for (Child c : children) {
      String rel = prefix + c.name();
      FileMeta m = c.meta();
      if (m.isWhiteout()) {
        marker(prefix + c.entryName());
      } else if (m.isDir()) {
        put(rel + "/", TarConstants.LF_DIR, m, xattrs(rel, c.path(), m), null, 0);
        if (ChangeTreeFormat.isOpaque(c.path())) {
          marker(rel + "/" + Whiteouts.OPAQUE);
        }
        directory(c.path(), rel + "/");
      } else if (m.type() == FileMeta.S_IFSOCK) {
        continue;
      } else if (m.nlink() > 1 && linkTargets.containsKey(key(m))) {
        put(rel, TarConstants.LF_LINK, m, new TreeMap<>(), linkTargets.get(key(m)), 0);
      } else {
        if (m.nlink() > 1) {
          linkTargets.put(key(m), rel);
        }
        other(rel, c.path(), m);
      }
    }
  }

  private void other(String rel, Path p, FileMeta m) throws IOException {
    SortedMap<String, byte[]> x = xattrs(rel, p, m);
    switch (m.type()) {
      case FileMeta.S_IFREG:
        put(rel, TarConstants.LF_NORMAL, m, x, null, m.size());
        copyContent(rel, p, m.size());
        tar.closeArchiveEntry();
        return;
      case FileMeta.S_IFLNK:
        put(rel, TarConstants.LF_SYMLINK, m, x, Files.readSymbolicLink(p).toString(), 0);
        return;
      case FileMeta.S_IFCHR:
        put(rel, TarConstants.LF_CHR, m, x, null, 0);
        return;
      case FileMeta.S_IFBLK:
        put(rel, TarConstants.LF_BLK, m, x, null, 0);
        return;
      case FileMeta.S_IFIFO:
        put(rel, TarConstants.LF_FIFO, m, x, null, 0);
        return;
      default:
        throw new IOException("cannot write /" + rel + " to a layer: unsupported " + m.typeName());
    }
  }

  private SortedMap<String, byte[]> xattrs(String rel, Path p, FileMeta m) throws IOException {
    SortedMap<String, byte[]> x = new TreeMap<>(ChangeTreeFormat.userXattrs(p, m));
    SortedMap<String, byte[]> host = hostXattrs.get(rel);
    if (host != null) {
      x.putAll(host);
    }
    return x;
  }

  /** Writes a header (with its PAX header first when needed); regular files get their content after. */
  private void put(String name, byte type, FileMeta m, SortedMap<String, byte[]> xattrs, String link, long size)
      throws IOException {
    PaxRecords pax = new PaxRecords();
    String headerName = name;
    if (name.getBytes(StandardCharsets.UTF_8).length >= NAME_FIELD) {
      pax.add("path", name);
      headerName = shortName(name);
    }
    String headerLink = link;
    if (link != null && link.getBytes(StandardCharsets.UTF_8).length >= NAME_FIELD) {
      pax.add("linkpath", link);
      headerLink = shortName(link);
    }
    for (var e : xattrs.entrySet()) {
      pax.add(PaxRecords.XATTR_PREFIX + e.getKey(), e.getValue());
    }
    if (!pax.isEmpty()) {
      byte[] body = pax.toBytes();
      TarArchiveEntry h = entry(PAX_HEADER_NAME, TarConstants.LF_PAX_EXTENDED_HEADER_LC, 0, 0, 0644, EPOCH);
      h.setSize(body.length);
      tar.putArchiveEntry(h);
      tar.write(body);
      tar.closeArchiveEntry();
    }
    long mtime = m.mtimeSeconds();
    if (clamp.isPresent()) {
      mtime = Math.min(mtime, clamp.getAsLong());
    }
    TarArchiveEntry e = entry(headerName, type, m.uid(), m.gid(), m.perms(), FileTime.from(mtime, TimeUnit.SECONDS));
    e.setSize(size);
    if (headerLink != null) {
      e.setLinkName(headerLink);
    }
    if (type == TarConstants.LF_CHR || type == TarConstants.LF_BLK) {
      e.setDevMajor(Math.toIntExact(m.major()));
      e.setDevMinor(Math.toIntExact(m.minor()));
    }
    tar.putArchiveEntry(e);
    if (type != TarConstants.LF_NORMAL) {
      tar.closeArchiveEntry();
    }
    entries++;
  }

  /** A whiteout or opaque marker: an empty regular file with fixed metadata. */
  private void marker(String name) throws IOException {
    PaxRecords pax = new PaxRecords();
    String headerName = name;
    if (name.getBytes(StandardCharsets.UTF_8).length >= NAME_FIELD) {
      pax.add("path", name);
      headerName = shortName(name);
      byte[] body = pax.toBytes();
      TarArchiveEntry h = entry(PAX_HEADER_NAME, TarConstants.LF_PAX_EXTENDED_HEADER_LC, 0, 0, 0644, EPOCH);
      h.setSize(body.length);
      tar.putArchiveEntry(h);
      tar.write(body);
      tar.closeArchiveEntry();
    }
    tar.putArchiveEntry(entry(headerName, TarConstants.LF_NORMAL, 0, 0, 0, EPOCH));
    tar.closeArchiveEntry();
    entries++;
  }

  private void copyContent(String rel, Path p, long size) throws IOException {
    long done = 0;
    try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
      while (done < size) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, size - done));
        if (n < 0) {
          throw new IOException("writing /" + rel + " to a layer: the file shrank to " + done + " of " + size
              + " bytes while being read");
        }
        tar.write(buffer, 0, n);
        done += n;
      }
      if (in.read() >= 0) {
        throw new IOException("writing /" + rel + " to a layer: the file grew while being read");
      }
    }
  }

  private static TarArchiveEntry entry(String name, byte type, int uid, int gid, int perms, FileTime mtime) {
    TarArchiveEntry e = new TarArchiveEntry(name, type);
    e.setUserId(Integer.toUnsignedLong(uid));
    e.setGroupId(Integer.toUnsignedLong(gid));
    e.setUserName("");
    e.setGroupName("");
    e.setMode(perms & 07777);
    e.setModTime(mtime);
    e.setSize(0);
    return e;
  }

  /** A stand-in for a name kept in a PAX record: printable ASCII, under 100 bytes. */
  private static String shortName(String name) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < name.length() && sb.length() < NAME_FIELD - 1; i++) {
      char c = name.charAt(i);
      sb.append(c >= 0x20 && c < 0x7f ? c : '_');
    }
    return sb.toString();
  }

  private static List<Long> key(FileMeta m) {
    return List.of(m.dev(), m.ino());
  }
}
