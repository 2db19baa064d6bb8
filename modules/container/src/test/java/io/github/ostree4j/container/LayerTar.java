package io.github.ostree4j.container;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** Builds small layer tars in memory for tests. */
final class LayerTar {

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final TarArchiveOutputStream tar;
  private long mtime = 1_700_000_000L;

  LayerTar() {
    this("UTF-8");
  }

  LayerTar(String encoding) {
    tar = new TarArchiveOutputStream(bytes, encoding);
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
  }

  /** Entries added from now on get this modification time (seconds). */
  LayerTar mtime(long seconds) {
    this.mtime = seconds;
    return this;
  }

  LayerTar dir(String name, int mode) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/", true);
    e.setMode(040000 | mode);
    return put(e, null);
  }

  LayerTar file(String name, String content) throws IOException {
    return file(name, content, 0644, 0, 0);
  }

  LayerTar file(String name, String content, int mode, int uid, int gid) throws IOException {
    byte[] b = content.getBytes(StandardCharsets.UTF_8);
    TarArchiveEntry e = new TarArchiveEntry(name, true);
    e.setMode(0100000 | mode);
    e.setSize(b.length);
    e.setUserId(uid);
    e.setGroupId(gid);
    return put(e, b);
  }

  LayerTar fileWithXattr(String name, String content, String xattr, String value) throws IOException {
    byte[] b = content.getBytes(StandardCharsets.UTF_8);
    TarArchiveEntry e = new TarArchiveEntry(name, true);
    e.setMode(0100644);
    e.setSize(b.length);
    e.addPaxHeader("SCHILY.xattr." + xattr, value);
    return put(e, b);
  }

  LayerTar symlink(String name, String target) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
    e.setLinkName(target);
    return put(e, null);
  }

  LayerTar hardlink(String name, String target) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_LINK, true);
    e.setLinkName(target);
    return put(e, null);
  }

  LayerTar special(String name, byte type) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, type, true);
    e.setMode(0644);
    return put(e, null);
  }

  private LayerTar put(TarArchiveEntry e, byte[] data) throws IOException {
    e.setModTime(new Date(mtime * 1000));
    tar.putArchiveEntry(e);
    if (data != null) {
      tar.write(data);
    }
    tar.closeArchiveEntry();
    return this;
  }

  byte[] bytes() throws IOException {
    tar.close();
    return bytes.toByteArray();
  }

  InputStream stream() throws IOException {
    return new ByteArrayInputStream(bytes());
  }
}
