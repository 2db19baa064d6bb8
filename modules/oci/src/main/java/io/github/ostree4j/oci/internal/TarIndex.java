package io.github.ostree4j.oci.internal;

import io.github.ostree4j.oci.OciFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;

/**
 * Random access to the regular files of an uncompressed tar file: the headers are read once,
 * entries are then opened by name without extracting anything. Symlinks and hard links between
 * entries are followed by name, but only inside the archive (absolute targets and targets escaping
 * with {@code ..} are refused). Each opened stream has its own file channel, so streams may be read
 * concurrently. Duplicate names are refused.
 */
public final class TarIndex {

  private static final int MAX_LINK_HOPS = 16;

  private final Path file;
  private final String what;
  private final Map<String, TarArchiveEntry> regular = new HashMap<>();
  private final Map<String, String> links = new HashMap<>();

  private TarIndex(Path file, String what) {
    this.file = file;
    this.what = what;
  }

  /**
   * Indexes the entries of {@code file}.
   *
   * @param what names the archive in messages
   * @throws OciFormatException for unsafe or duplicate names, or a file that is not a tar
   */
  public static TarIndex open(Path file, String what) throws IOException {
    TarIndex idx = new TarIndex(file, what);
    try (TarFile tf = new TarFile(file, "UTF-8")) {
      for (TarArchiveEntry e : tf.getEntries()) {
        String name = TarEntries.safeName(e.getName(), what);
        if (name.isEmpty() || e.isDirectory()) {
          continue;
        }
        if (idx.regular.containsKey(name) || idx.links.containsKey(name)) {
          throw new OciFormatException(what + ": entry '" + name + "' appears twice");
        }
        if (TarEntries.isRegular(e)) {
          idx.regular.put(name, e);
        } else if (e.isSymbolicLink()) {
          idx.links.put(name, symlinkTarget(name, e.getLinkName(), what));
        } else if (e.isLink()) {
          idx.links.put(name, TarEntries.safeName(e.getLinkName(), what + ": hard link '" + name + "'"));
        }
        // devices, fifos and sparse files are ignored: nothing in an image archive refers to them
      }
    } catch (OciFormatException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new OciFormatException(what + ": not a readable tar file: " + e.getMessage(), e);
    }
    return idx;
  }

  private static String symlinkTarget(String name, String target, String what) throws OciFormatException {
    if (target.startsWith("/")) {
      throw new OciFormatException(what + ": symlink '" + name + "' points outside the archive ('" + target + "')");
    }
    Deque<String> parts = new ArrayDeque<>();
    String[] dir = name.split("/");
    for (int i = 0; i < dir.length - 1; i++) {
      parts.addLast(dir[i]);
    }
    for (String p : target.split("/")) {
      if (p.isEmpty() || p.equals(".")) {
        continue;
      }
      if (p.equals("..")) {
        if (parts.isEmpty()) {
          throw new OciFormatException(what + ": symlink '" + name + "' points outside the archive ('" + target + "')");
        }
        parts.removeLast();
      } else {
        parts.addLast(p);
      }
    }
    return String.join("/", parts);
  }

  /**
   * The name of the regular file {@code name} refers to (following links inside the archive).
   *
   * @throws OciFormatException if there is no such file or the links loop
   */
  public String resolve(String name) throws OciFormatException {
    String n = TarEntries.safeName(name, what);
    for (int i = 0; i <= MAX_LINK_HOPS; i++) {
      if (regular.containsKey(n)) {
        return n;
      }
      String next = links.get(n);
      if (next == null) {
        throw new OciFormatException(what + ": no file '" + name + "' in the archive");
      }
      n = next;
    }
    throw new OciFormatException(what + ": too many links resolving '" + name + "'");
  }

  /** Whether {@code name} resolves to a regular file. */
  public boolean contains(String name) {
    try {
      resolve(name);
      return true;
    } catch (OciFormatException e) {
      return false;
    }
  }

  /** The size of the file {@code name} refers to. */
  public long size(String name) throws OciFormatException {
    return regular.get(resolve(name)).getSize();
  }

  /** Opens the file {@code name} refers to. */
  public InputStream open(String name) throws IOException {
    TarArchiveEntry e = regular.get(resolve(name));
    return new RangeInputStream(FileChannel.open(file, StandardOpenOption.READ), e.getDataOffset(), e.getSize());
  }

  /** A window of a file channel; closing it closes the channel. */
  private static final class RangeInputStream extends InputStream {
    private final FileChannel ch;
    private long pos;
    private final long end;

    RangeInputStream(FileChannel ch, long offset, long size) {
      this.ch = ch;
      this.pos = offset;
      this.end = offset + size;
    }

    @Override
    public int read() throws IOException {
      byte[] b = new byte[1];
      return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (pos >= end) {
        return -1;
      }
      int want = (int) Math.min(len, end - pos);
      int n = ch.read(ByteBuffer.wrap(b, off, want), pos);
      if (n < 0) {
        throw new IOException("unexpected end of file inside a tar entry (truncated archive?)");
      }
      pos += n;
      return n;
    }

    @Override
    public long skip(long n) {
      long k = Math.max(0, Math.min(n, end - pos));
      pos += k;
      return k;
    }

    @Override
    public int available() {
      return (int) Math.min(Integer.MAX_VALUE, end - pos);
    }

    @Override
    public void close() throws IOException {
      ch.close();
    }
  }
}
