package io.github.ostree4j.oci.internal;

import io.github.ostree4j.oci.OciFormatException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** Tar helpers shared by the archive formats: safe entry names, entry kinds, deterministic output. */
public final class TarEntries {

  private TarEntries() {}

  /**
   * Normalizes an entry name to a relative path without {@code .} or empty components; returns
   * {@code ""} for the archive root.
   *
   * @param what names the archive in messages, e.g. {@code "oci-archive image.tar"}
   * @throws OciFormatException if the name is absolute, contains {@code ..} or a NUL byte
   */
  public static String safeName(String name, String what) throws OciFormatException {
    if (name == null || name.indexOf('\0') >= 0) {
      throw new OciFormatException(what + ": entry name contains a NUL byte");
    }
    if (name.startsWith("/")) {
      throw new OciFormatException(what + ": entry '" + name + "' has an absolute path");
    }
    StringBuilder sb = new StringBuilder(name.length());
    for (String part : name.split("/", -1)) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        throw new OciFormatException(what + ": entry '" + name + "' contains '..'");
      }
      if (sb.length() > 0) {
        sb.append('/');
      }
      sb.append(part);
    }
    return sb.toString();
  }

  /** Whether the entry holds file data that can be read directly (regular or contiguous file). */
  public static boolean isRegular(TarArchiveEntry e) {
    byte f = e.getLinkFlag();
    return (f == TarConstants.LF_NORMAL || f == TarConstants.LF_OLDNORM || f == TarConstants.LF_CONTIG)
        && !e.isSparse() && !e.getName().endsWith("/");
  }

  /** A short name for the kind of entry, for messages. */
  public static String kind(TarArchiveEntry e) {
    if (e.isDirectory()) {
      return "directory";
    }
    if (e.isSymbolicLink()) {
      return "symlink to '" + e.getLinkName() + "'";
    }
    if (e.isLink()) {
      return "hard link to '" + e.getLinkName() + "'";
    }
    if (e.isCharacterDevice()) {
      return "character device";
    }
    if (e.isBlockDevice()) {
      return "block device";
    }
    if (e.isFIFO()) {
      return "fifo";
    }
    if (e.isSparse()) {
      return "sparse file";
    }
    if (isRegular(e)) {
      return "regular file";
    }
    return "entry of type '" + (char) e.getLinkFlag() + "'";
  }

  /** A tar writer with POSIX (PAX) long names and big numbers, UTF-8 names, GNU-compatible blocking. */
  public static TarArchiveOutputStream newWriter(OutputStream out) {
    TarArchiveOutputStream tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name());
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    return tar;
  }

  /** A reproducible directory entry: mode 0755, owner 0:0 with empty names, mtime 0. */
  public static TarArchiveEntry directory(String name) {
    TarArchiveEntry e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR);
    normalize(e, 040755);
    return e;
  }

  /** A reproducible regular file entry: mode 0644, owner 0:0 with empty names, mtime 0. */
  public static TarArchiveEntry file(String name, long size) {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_NORMAL);
    normalize(e, 0100644);
    e.setSize(size);
    return e;
  }

  private static void normalize(TarArchiveEntry e, int mode) {
    e.setMode(mode);
    e.setUserId(0);
    e.setGroupId(0);
    e.setUserName("");
    e.setGroupName("");
    e.setModTime(FileTime.fromMillis(0));
  }

  /** Adds a file entry whose content is {@code bytes}. */
  public static void putBytes(TarArchiveOutputStream tar, String name, byte[] bytes) throws IOException {
    tar.putArchiveEntry(file(name, bytes.length));
    tar.write(bytes);
    tar.closeArchiveEntry();
  }
}
