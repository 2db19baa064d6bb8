package io.github.ostree4j.ostree.internal;

import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.ostree.CorruptObjectException;
import io.github.ostree4j.ostree.FileHeader;
import io.github.ostree4j.ostree.FileMode;
import io.github.ostree4j.ostree.ObjectType;
import io.github.ostree4j.ostree.OstreeException;
import io.github.ostree4j.ostree.OstreeRepo;
import io.github.ostree4j.ostree.RepoMode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes objects into a repository: hashes while streaming into a temp file under {@code tmp/},
 * applies the mode's storage form, then renames into {@code objects/}.
 */
public final class ObjectWriter {

  private static final int CHUNK = 128 * 1024;
  private static final AtomicLong COUNTER = new AtomicLong();

  private final OstreeRepo repo;
  private final int zlibLevel;
  private final ThreadLocal<State> state;

  /** Per-thread buffers, digest and deflater. */
  private final class State {
    final MessageDigest md = sha256();
    final ByteBuffer in = ByteBuffer.allocateDirect(CHUNK);
  }

  /** Creates the writer for a repository. */
  public ObjectWriter(OstreeRepo repo, int zlibLevel) {
    this.repo = repo;
    this.zlibLevel = Math.max(0, Math.min(9, zlibLevel));
    this.state = ThreadLocal.withInitial(State::new);
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private Path newTempPath() {
    return repo.tmpDir().resolve("ostree4j-" + Long.toHexString(ThreadLocalRandom.current().nextLong())
        + "-" + COUNTER.incrementAndGet());
  }

  /** Stores a metadata object unless present. */
  public void writeMetadata(Checksum c, ObjectType type, byte[] bytes) throws IOException {
    writeMetadata(c, type, bytes, false);
  }

  /** Stores a metadata object; replaces an existing one when {@code replace}. */
  public void writeMetadata(Checksum c, ObjectType type, byte[] bytes, boolean replace) throws IOException {
    Path dest = repo.objectPath(c, type);
    if (!replace && Files.exists(dest)) {
      return;
    }
    repo.ensureObjectDir(c);
    Path tmp = newTempPath();
    try {
      Files.write(tmp, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      PosixFiles.chmod(tmp, 0644);
      Files.move(tmp, dest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Writes a content object from a stream; verifies against {@code expected} when not null. */
  public Checksum writeContent(FileHeader header, InputStream payload, long size, Checksum expected)
      throws IOException {
    return write(header, size, expected, new StreamSource(payload, size));
  }

  /** Writes a regular file from disk as a content object. */
  public Checksum writeContentFromFile(FileHeader header, Path source, long size) throws IOException {
    try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ)) {
      return write(header, size, null, new ChannelSource(in, source));
    }
  }

  private Checksum write(FileHeader header, long size, Checksum expected, Source src) throws IOException {
    State st = state.get();
    MessageDigest md = st.md;
    md.reset();
    byte[] h = header.checksumHeader();
    md.update(prefix(h.length));
    md.update(h);
    Path tmp = newTempPath();
    try {
      if (header.isSymlink()) {
        writeSymlinkObject(tmp, header);
      } else {
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
          if (repo.mode() == RepoMode.ARCHIVE) {
            writeArchivePayload(out, header, size, md, src);
          } else {
            copyPayload(st, out, size, md, src);
          }
        }
        applyRegularAttributes(tmp, header);
      }
      Checksum c = Checksum.fromBytes(md.digest());
      if (expected != null && !expected.equals(c)) {
        throw new CorruptObjectException("content object " + expected + ": checksum mismatch, content has " + c);
      }
      commit(tmp, c);
      return c;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private void writeArchivePayload(FileChannel out, FileHeader header, long size, MessageDigest md, Source src)
      throws IOException {
    byte[] ah = header.archiveHeader(size);
    ByteBuffer hb = ByteBuffer.allocate(8 + ah.length);
    hb.put(prefix(ah.length)).put(ah).flip();
    while (hb.hasRemaining()) {
      out.write(hb);
    }
    if (size == 0) {
      src.expectEnd(0);
      ByteBuffer e = ByteBuffer.wrap(BlockDeflater.empty(zlibLevel));
      while (e.hasRemaining()) {
        out.write(e);
      }
      return;
    }
    BlockDeflater bd = new BlockDeflater(out, zlibLevel);
    long total = 0;
    while (total < size) {
      int len = (int) Math.min(BlockDeflater.BLOCK, size - total);
      byte[] block = new byte[len];
      src.readFully(block, len, total, size);
      md.update(block, 0, len);
      total += len;
      bd.add(block, len, total == size);
    }
    src.expectEnd(size);
    bd.finish();
  }

  private void copyPayload(State st, FileChannel out, long size, MessageDigest md, Source src) throws IOException {
    long total = 0;
    ByteBuffer buf = st.in;
    while (total < size) {
      buf.clear();
      buf.limit((int) Math.min(buf.capacity(), size - total));
      src.read(buf, total, size);
      buf.flip();
      total += buf.remaining();
      md.update(buf.duplicate());
      while (buf.hasRemaining()) {
        out.write(buf);
      }
    }
    src.expectEnd(size);
  }

  /** Where payload bytes come from: a stream or a file channel. */
  private interface Source {
    /** Fills {@code b} (up to its limit) with at least one byte; fails at a premature end. */
    void read(ByteBuffer b, long done, long size) throws IOException;

    /** Fills {@code len} bytes of {@code b}; fails at a premature end. */
    void readFully(byte[] b, int len, long done, long size) throws IOException;

    /** Fails unless the source is exhausted after {@code size} bytes. */
    void expectEnd(long size) throws IOException;
  }

  private static final class StreamSource implements Source {
    private final InputStream in;

    StreamSource(InputStream in, long size) {
      this.in = in;
    }

    @Override
    public void read(ByteBuffer b, long done, long size) throws IOException {
      int want = b.remaining();
      byte[] tmp = new byte[Math.min(want, 65536)];
      int n = in.read(tmp, 0, tmp.length);
      if (n < 0) {
        throw new OstreeException("writing content object: input ended after " + done + " of " + size + " bytes");
      }
      b.put(tmp, 0, n);
    }

    @Override
    public void readFully(byte[] b, int len, long done, long size) throws IOException {
      int n = in.readNBytes(b, 0, len);
      if (n < len) {
        throw new OstreeException("writing content object: input ended after " + (done + n) + " of " + size + " bytes");
      }
    }

    @Override
    public void expectEnd(long size) throws IOException {
      if (in.read() >= 0) {
        throw new OstreeException("writing content object: input is longer than the declared " + size + " bytes");
      }
    }
  }

  private static final class ChannelSource implements Source {
    private final FileChannel in;
    private final Path path;

    ChannelSource(FileChannel in, Path path) {
      this.in = in;
      this.path = path;
    }

    @Override
    public void read(ByteBuffer b, long done, long size) throws IOException {
      int n;
      do {
        n = in.read(b);
      } while (n == 0);
      if (n < 0) {
        throw new OstreeException("committing " + path + ": file shrank while being read (" + done + " of " + size + " bytes)");
      }
    }

    @Override
    public void readFully(byte[] b, int len, long done, long size) throws IOException {
      ByteBuffer bb = ByteBuffer.wrap(b, 0, len);
      while (bb.hasRemaining()) {
        if (in.read(bb) < 0) {
          throw new OstreeException("committing " + path + ": file shrank while being read");
        }
      }
    }

    @Override
    public void expectEnd(long size) throws IOException {
      if (in.read(ByteBuffer.allocate(1)) > 0) {
        throw new OstreeException("committing " + path + ": file grew while being read");
      }
    }
  }

  private static byte[] prefix(int headerLength) {
    return new byte[] {
      (byte) (headerLength >>> 24), (byte) (headerLength >>> 16), (byte) (headerLength >>> 8),
      (byte) headerLength, 0, 0, 0, 0
    };
  }

  private void commit(Path tmp, Checksum c) throws IOException {
    Path dest = repo.objectPath(c, ObjectType.FILE);
    if (Files.exists(dest, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    repo.ensureObjectDir(c);
    try {
      Files.move(tmp, dest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (NoSuchFileException e) {
      repo.ensureObjectDir(c);
      Files.move(tmp, dest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private void writeSymlinkObject(Path tmp, FileHeader header) throws IOException {
    switch (repo.mode()) {
      case ARCHIVE:
        {
          byte[] ah = header.archiveHeader(0);
          ByteBuffer hb = ByteBuffer.allocate(8 + ah.length);
          hb.put(prefix(ah.length)).put(ah).flip();
          try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            while (hb.hasRemaining()) {
              out.write(hb);
            }
          }
          PosixFiles.chmod(tmp, 0644);
          break;
        }
      case BARE_USER:
        {
          byte[] t = header.symlinkTarget().getBytes(StandardCharsets.UTF_8);
          byte[] content = java.util.Arrays.copyOf(t, t.length + 1);
          Files.write(tmp, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
          PosixFiles.chmod(tmp, 0644);
          PosixFiles.writeUserXattr(tmp, "user.ostreemeta", header.ostreemeta());
          PosixFiles.setTimesToEpoch(tmp);
          break;
        }
      default:
        Files.createSymbolicLink(tmp, Path.of(header.symlinkTarget()));
        if (repo.mode() == RepoMode.BARE) {
          PosixFiles.lchown(tmp, header.uid(), header.gid());
        }
        PosixFiles.setTimesToEpoch(tmp);
    }
  }

  private void applyRegularAttributes(Path tmp, FileHeader header) throws IOException {
    int perms = header.mode() & 07777;
    switch (repo.mode()) {
      case ARCHIVE:
        PosixFiles.chmod(tmp, 0644);
        break;
      case BARE_USER:
        PosixFiles.chmod(tmp, (perms & 0775) | 0400);
        PosixFiles.writeUserXattr(tmp, "user.ostreemeta", header.ostreemeta());
        PosixFiles.setTimesToEpoch(tmp);
        break;
      case BARE:
        PosixFiles.lchown(tmp, header.uid(), header.gid());
        PosixFiles.chmod(tmp, perms);
        PosixFiles.writeXattrs(tmp, header.xattrs());
        PosixFiles.setTimesToEpoch(tmp);
        break;
      default:
        PosixFiles.chmod(tmp, perms & 0755 & ~FileMode.S_ISVTX);
        PosixFiles.setTimesToEpoch(tmp);
    }
  }

  /** Flushes the repository's filesystem ({@code syncfs(2)} through coreutils' {@code sync -f}). */
  public void syncFilesystem() throws IOException {
    try {
      Process p = new ProcessBuilder("sync", "-f", repo.path().toString())
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (p.waitFor() != 0) {
        Process q = new ProcessBuilder("sync").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        q.waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while syncing " + repo.path(), e);
    }
  }
}
