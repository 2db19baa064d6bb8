package io.github.ostree4j.container.internal;

import io.github.ostree4j.ostree.CorruptObjectException;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.util.HashSet;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes the entries of an ostree-ext tar stream with fully determined headers: mtime 0, empty
 * user and group names, the given uid, gid and permission bits (never file type bits), GNU long
 * name records for names over 100 bytes, base-256 numbers where octal does not fit, and raw PAX
 * extended headers built by {@link PaxRecords}. The end of the stream is two zero records, with no
 * padding to a larger block size. The same calls therefore always give the same bytes.
 *
 * <p>Every path is written at most once: a second directory, hard link or empty file at a path
 * already written is skipped and reported by the return value. The caller's stream is never
 * closed.
 */
public final class OstreeTarWriter {

  private static final FileTime EPOCH = FileTime.fromMillis(0);
  private static final String PAX_HEADER_NAME = "././@PaxHeader";
  private static final int COPY_BUFFER = 128 * 1024;

  private final BufferedOutputStream buffer;
  private final TarArchiveOutputStream tar;
  private final Set<String> written = new HashSet<>();
  private final byte[] copyBuffer = new byte[COPY_BUFFER];

  /** A writer appending to {@code out}. */
  public OstreeTarWriter(OutputStream out) {
    this.buffer = new BufferedOutputStream(new FilterOutputStream(out) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        flush();
      }
    }, 1 << 16);
    this.tar = new TarArchiveOutputStream(buffer, TarConstants.DEFAULT_RCDSIZE, StandardCharsets.UTF_8.name());
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_STAR);
  }

  /**
   * Whether something was written at {@code path} (relative, without {@code ./} or trailing
   * slash; the root is {@code .}).
   */
  public boolean contains(String path) {
    return written.contains(path);
  }

  /**
   * A directory entry, unless one was written at this path already.
   *
   * @return whether the entry was written
   */
  public boolean directory(String path, int uid, int gid, int perms) throws IOException {
    if (!claim(path)) {
      return false;
    }
    String name = path.equals(".") ? "./" : path + "/";
    put(entry(name, TarConstants.LF_DIR, uid, gid, perms, 0));
    tar.closeArchiveEntry();
    return true;
  }

  /**
   * A regular file with the given bytes, unless something was written at this path already.
   *
   * @return whether the entry was written
   */
  public boolean regularFile(String path, int uid, int gid, int perms, byte[] data) throws IOException {
    if (!claim(path)) {
      return false;
    }
    put(entry(path, TarConstants.LF_NORMAL, uid, gid, perms, data.length));
    tar.write(data);
    tar.closeArchiveEntry();
    return true;
  }

  /**
   * A regular file copied from {@code data}, which must hold exactly {@code size} bytes; it is
   * read to its end, so that a verifying stream checks its content. {@code pax} (may be empty)
   * goes into a PAX header in front of the entry.
   *
   * @throws CorruptObjectException if {@code data} holds fewer or more bytes than {@code size}
   */
  public void regularFile(String path, int uid, int gid, int perms, long size, InputStream data, PaxRecords pax)
      throws IOException {
    claimNew(path);
    writePax(pax);
    put(entry(path, TarConstants.LF_NORMAL, uid, gid, perms, size));
    long done = 0;
    while (done < size) {
      int n = data.read(copyBuffer, 0, (int) Math.min(copyBuffer.length, size - done));
      if (n < 0) {
        throw new CorruptObjectException(path + ": content ended after " + done + " of " + size + " bytes");
      }
      tar.write(copyBuffer, 0, n);
      done += n;
    }
    if (data.read() >= 0) {
      throw new CorruptObjectException(path + ": content is longer than its declared " + size + " bytes");
    }
    tar.closeArchiveEntry();
  }

  /** A symbolic link whose target is written literally (no normalization). */
  public void symlink(String path, int uid, int gid, int perms, String target, PaxRecords pax) throws IOException {
    claimNew(path);
    writePax(pax);
    TarArchiveEntry e = entry(path, TarConstants.LF_SYMLINK, uid, gid, perms, 0);
    e.setLinkName(target);
    put(e);
    tar.closeArchiveEntry();
  }

  /**
   * A hard link to an earlier entry, unless something was written at this path already.
   *
   * @return whether the entry was written
   */
  public boolean hardlink(String path, String target, int uid, int gid, int perms) throws IOException {
    if (!claim(path)) {
      return false;
    }
    TarArchiveEntry e = entry(path, TarConstants.LF_LINK, uid, gid, perms, 0);
    e.setLinkName(target);
    put(e);
    tar.closeArchiveEntry();
    return true;
  }

  /**
   * Ends the archive (two zero records) and flushes; the underlying stream stays open.
   *
   * @throws IOException on write failure
   */
  public void finish() throws IOException {
    tar.finish();
    buffer.flush();
  }

  private boolean claim(String path) {
    return written.add(path);
  }

  private void claimNew(String path) {
    if (!written.add(path)) {
      throw new IllegalStateException("tar path written twice: " + path);
    }
  }

  private void writePax(PaxRecords pax) throws IOException {
    if (pax == null || pax.isEmpty()) {
      return;
    }
    byte[] body = pax.toBytes();
    put(entry(PAX_HEADER_NAME, TarConstants.LF_PAX_EXTENDED_HEADER_LC, 0, 0, 0644, body.length));
    tar.write(body);
    tar.closeArchiveEntry();
  }

  private void put(TarArchiveEntry e) throws IOException {
    tar.putArchiveEntry(e);
  }

  private static TarArchiveEntry entry(String name, byte type, int uid, int gid, int perms, long size) {
    TarArchiveEntry e = new TarArchiveEntry(name, type);
    e.setModTime(EPOCH);
    e.setUserId(Integer.toUnsignedLong(uid));
    e.setGroupId(Integer.toUnsignedLong(gid));
    e.setUserName("");
    e.setGroupName("");
    e.setMode(perms & 07777);
    e.setSize(size);
    return e;
  }
}
