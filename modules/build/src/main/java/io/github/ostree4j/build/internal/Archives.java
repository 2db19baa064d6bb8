package io.github.ostree4j.build.internal;

import io.github.ostree4j.oci.Compression;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;

/**
 * ADD's local archives: recognizes tar files, plain or compressed with gzip, bzip2, xz or zstd
 * (xz through the {@code xz} command), and extracts them into a directory the way {@code tar -x}
 * chrooted there would: names are cleaned ({@code ..} and leading {@code /} cannot leave the
 * directory), symbolic links already extracted are followed only inside it, hard links must point
 * into it. Owners, modes and times come from the archive (owners overridden by {@code --chown});
 * devices and fifos are skipped.
 */
public final class Archives {

  private Archives() {}

  /** The compression of a file. */
  enum Kind { NONE, GZIP, BZIP2, XZ, ZSTD }

  /**
   * Whether a file is a tar archive, plain or compressed.
   *
   * @param file the file
   * @return true when its (decompressed) start is a tar header
   * @throws IOException when it cannot be read
   */
  public static boolean isArchive(Path file) throws IOException {
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    try (InputStream in = open(file)) {
      byte[] header = in.readNBytes(512);
      return header.length == 512 && TarArchiveInputStream.matches(header, header.length)
          || header.length == 512 && validChecksum(header);
    } catch (IOException e) {
      return false; // looks compressed but is not: a plain file
    }
  }

  private static boolean validChecksum(byte[] h) {
    long stored;
    try {
      String s = new String(h, 148, 8, java.nio.charset.StandardCharsets.US_ASCII).trim();
      int nul = s.indexOf('\0');
      if (nul >= 0) {
        s = s.substring(0, nul).trim();
      }
      if (s.isEmpty()) {
        return false;
      }
      stored = Long.parseLong(s, 8);
    } catch (NumberFormatException e) {
      return false;
    }
    long sum = 0;
    for (int i = 0; i < 512; i++) {
      sum += i >= 148 && i < 156 ? ' ' : h[i] & 0xff;
    }
    return sum == stored && h[0] != 0;
  }

  static Kind kind(byte[] b, int n) {
    if (n >= 2 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b) {
      return Kind.GZIP;
    }
    if (n >= 3 && b[0] == 'B' && b[1] == 'Z' && b[2] == 'h') {
      return Kind.BZIP2;
    }
    if (n >= 6 && (b[0] & 0xff) == 0xfd && b[1] == '7' && b[2] == 'z' && b[3] == 'X'
        && b[4] == 'Z' && b[5] == 0) {
      return Kind.XZ;
    }
    if (n >= 4 && (b[0] & 0xff) == 0x28 && (b[1] & 0xff) == 0xb5 && (b[2] & 0xff) == 0x2f
        && (b[3] & 0xff) == 0xfd) {
      return Kind.ZSTD;
    }
    return Kind.NONE;
  }

  /** Opens a file decompressed. */
  static InputStream open(Path file) throws IOException {
    InputStream raw = new BufferedInputStream(Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS), 1 << 16);
    raw.mark(8);
    byte[] magic = raw.readNBytes(6);
    raw.reset();
    switch (kind(magic, magic.length)) {
      case GZIP:
        return Compression.GZIP.decompress(raw);
      case ZSTD:
        return Compression.ZSTD.decompress(raw);
      case BZIP2:
        return new BZip2CompressorInputStream(raw, true);
      case XZ:
        raw.close();
        return xz(file);
      default:
        return raw;
    }
  }

  private static InputStream xz(Path file) throws IOException {
    Process p = new ProcessBuilder("xz", "-dc", "--", file.toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    p.getOutputStream().close();
    return new FilterInputStream(p.getInputStream()) {
      @Override
      public void close() throws IOException {
        super.close();
        p.destroy();
        try {
          p.waitFor();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
  }

  /**
   * Extracts an archive into a directory.
   *
   * @param archive the archive
   * @param dest the directory (exists)
   * @param chown the owner for every entry, or null to keep the archive's
   * @throws StepFailedException when the archive is malformed or a link points out of it
   * @throws IOException when reading or writing fails
   */
  public static void extract(Path archive, Path dest, TreeCopy.Owner chown)
      throws StepFailedException, IOException {
    List<Object[]> dirTimes = new ArrayList<>();
    try (InputStream in = open(archive);
        TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        String name = InRoot.clean(e.getName());
        if (name.isEmpty()) {
          continue;
        }
        int slash = name.lastIndexOf('/');
        Path parent = slash < 0 ? dest : mkdirs(dest, name.substring(0, slash));
        Path target = parent.resolve(name.substring(slash + 1));
        int uid = chown != null ? chown.uid() : (int) e.getLongUserId();
        int gid = chown != null ? chown.gid() : (int) e.getLongGroupId();
        int mode = e.getMode() & 07777;
        long mtime = e.getModTime().getTime();
        if (e.isDirectory()) {
          if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)
              && !Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            Files.delete(target);
          }
          if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectory(target);
          }
          FileAttrs.chown(target, uid, gid);
          FileAttrs.chmod(target, mode);
          dirTimes.add(new Object[] {target, mtime});
          continue;
        }
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
          throw new StepFailedException("archive " + archive.getFileName() + ": entry '"
              + e.getName() + "' would replace a directory");
        }
        Files.deleteIfExists(target);
        if (e.isSymbolicLink()) {
          Files.createSymbolicLink(target, Path.of(e.getLinkName()));
        } else if (e.isLink()) {
          Path existing = InRoot.resolve(dest, e.getLinkName(), false);
          if (!Files.isRegularFile(existing, LinkOption.NOFOLLOW_LINKS)) {
            throw new StepFailedException("archive " + archive.getFileName() + ": hard link '"
                + e.getName() + "' points to '" + e.getLinkName() + "', which is not a file in"
                + " the archive");
          }
          Files.createLink(target, existing);
          continue;
        } else if (e.isFile()) {
          Files.copy(tar, target);
        } else {
          continue; // devices, fifos
        }
        FileAttrs.chown(target, uid, gid);
        FileAttrs.chmod(target, mode);
        FileAttrs.setMtime(target, mtime);
      }
    } catch (IllegalArgumentException e) {
      throw new StepFailedException("archive " + archive.getFileName() + " is malformed: "
          + e.getMessage(), e);
    }
    for (int i = dirTimes.size() - 1; i >= 0; i--) {
      FileAttrs.setMtime((Path) dirTimes.get(i)[0], (Long) dirTimes.get(i)[1]);
    }
  }

  /** Creates (or enters) directories below dest, resolving links inside dest. */
  private static Path mkdirs(Path dest, String rel) throws StepFailedException, IOException {
    Path current = dest;
    StringBuilder sofar = new StringBuilder();
    for (String part : rel.split("/")) {
      sofar.append('/').append(part);
      Path next = InRoot.resolve(dest, sofar.toString(), true);
      if (!Files.isDirectory(next, LinkOption.NOFOLLOW_LINKS)) {
        if (Files.exists(next, LinkOption.NOFOLLOW_LINKS)) {
          throw new StepFailedException("archive entry directory " + sofar
              + ": a file is in the way");
        }
        InRoot.createMissing(dest, next, 0755, null);
      }
      current = next;
    }
    return current;
  }
}
