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
import java.util.zip.Deflater;

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
    final ByteBuffer out = ByteBuffer.allocateDirect(CHUNK + 1024);
    final byte[] heap = new byte[CHUNK];
    final Deflater deflater = new Deflater(zlibLevel, true);
  }

  /** Creates the writer for a repository. */
  public ObjectWriter(OstreeRepo repo, int zlibLevel) {
    this.repo = repo;
    this.zlibLevel = zlibLevel;
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
          Sink sink = openSink(st, out, header, size);
          long total = 0;
          byte[] buf = st.heap;
          while (total < size) {
            int n = payload.read(buf, 0, (int) Math.min(buf.length, size - total));
            if (n < 0) {
              throw new OstreeException("writing content object: input ended after " + total + " of " + size + " bytes");
            }
            md.update(buf, 0, n);
            sink.write(ByteBuffer.wrap(buf, 0, n));
            total += n;
          }
          if (payload.read() >= 0) {
            throw new OstreeException("writing content object: input is longer than the declared " + size + " bytes");
          }
          sink.finish();
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

  /** Writes a regular file from disk as a content object. */
  public Checksum writeContentFromFile(FileHeader header, Path source, long size) throws IOException {
    State st = state.get();
    MessageDigest md = st.md;
    md.reset();
    byte[] h = header.checksumHeader();
    md.update(prefix(h.length));
    md.update(h);
    Path tmp = newTempPath();
    try {
      try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
          FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        Sink sink = openSink(st, out, header, size);
        ByteBuffer buf = st.in;
        long total = 0;
        while (true) {
          buf.clear();
          int n = in.read(buf);
          if (n < 0) {
            break;
          }
          if (n == 0) {
            continue;
          }
          buf.flip();
          total += n;
          if (total > size) {
            throw new OstreeException("committing " + source + ": file grew while being read");
          }
          md.update(buf.duplicate());
          sink.write(buf);
        }
        if (total != size) {
          throw new OstreeException("committing " + source + ": file changed size while being read");
        }
        sink.finish();
      }
      applyRegularAttributes(tmp, header);
      Checksum c = Checksum.fromBytes(md.digest());
      commit(tmp, c);
      return c;
    } finally {
      Files.deleteIfExists(tmp);
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

  /** Destination of payload bytes: raw copy or deflate. */
  private interface Sink {
    void write(ByteBuffer chunk) throws IOException;

    void finish() throws IOException;
  }

  private Sink openSink(State st, FileChannel out, FileHeader header, long size) throws IOException {
    if (repo.mode() != RepoMode.ARCHIVE) {
      return new Sink() {
        @Override
        public void write(ByteBuffer chunk) throws IOException {
          while (chunk.hasRemaining()) {
            out.write(chunk);
          }
        }

        @Override
        public void finish() {}
      };
    }
    byte[] ah = header.archiveHeader(size);
    ByteBuffer hb = ByteBuffer.allocate(8 + ah.length);
    hb.put(prefix(ah.length)).put(ah).flip();
    while (hb.hasRemaining()) {
      out.write(hb);
    }
    Deflater d = st.deflater;
    d.reset();
    ByteBuffer ob = st.out;
    return new Sink() {
      @Override
      public void write(ByteBuffer chunk) throws IOException {
        d.setInput(chunk);
        while (!d.needsInput()) {
          drain();
        }
      }

      private void drain() throws IOException {
        ob.clear();
        d.deflate(ob, Deflater.NO_FLUSH);
        ob.flip();
        while (ob.hasRemaining()) {
          out.write(ob);
        }
      }

      @Override
      public void finish() throws IOException {
        d.setInput(new byte[0]);
        d.finish();
        while (!d.finished()) {
          ob.clear();
          d.deflate(ob, Deflater.NO_FLUSH);
          ob.flip();
          while (ob.hasRemaining()) {
            out.write(ob);
          }
        }
      }
    };
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
