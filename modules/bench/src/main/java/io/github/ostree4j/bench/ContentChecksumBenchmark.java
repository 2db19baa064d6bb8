package io.github.ostree4j.bench;

import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.ostree.FileHeader;
import io.github.ostree4j.ostree.ObjectType;
import io.github.ostree4j.ostree.OstreeRepo;
import io.github.ostree4j.ostree.RepoMode;
import io.github.ostree4j.ostree.Xattrs;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput of computing an ostree content checksum, compared with raw SHA-256 over the same
 * payload.
 *
 * <ul>
 *   <li>{@link #rawSha256}: {@code MessageDigest("SHA-256")} over the payload only: the baseline.
 *   <li>{@link #contentChecksum}: the ostree content checksum exactly as the object writer computes
 *       it: the 8-byte prefix (header length, big-endian, and 4 zero bytes), the serialized
 *       {@link FileHeader#checksumHeader()} and the payload fed in 128 KiB chunks. No I/O.
 *   <li>{@code write*}: a full {@link OstreeRepo#writeContent} into a bare-user or archive
 *       repository in a RAM-backed directory ({@code /dev/shm} when present): temp file, hashing,
 *       copy or zlib compression, chmod, xattr, utimes and rename. {@code *FromFile} reads the
 *       payload from a file in the same directory (the path used when committing a directory);
 *       {@code *FromStream} reads it from memory (the path used when committing a tar stream).
 *       The object is deleted after each write so that every invocation stores a new object; the
 *       unlink is part of the measured time.
 * </ul>
 *
 * <p>JMH reports operations per second; one operation processes {@code size} payload bytes, so
 * MB/s = score &times; size / 10<sup>6</sup> ({@code scripts/run-jmh.sh} prints that column).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class ContentChecksumBenchmark {

  /** Same chunk size as the object writer. */
  private static final int CHUNK = 128 * 1024;

  /** Payload size in bytes. */
  @Param({"4096", "65536", "1048576", "16777216"})
  public int size;

  private byte[] payload;
  private FileHeader header;
  private MessageDigest raw;
  private MessageDigest md;
  private Path workDir;
  private Path sourceFile;
  private OstreeRepo bareUser;
  private OstreeRepo archive;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    payload = Payloads.mixed(size, 42);
    header = FileHeader.regular(0, 0, 0644, Xattrs.EMPTY);
    raw = sha256();
    md = sha256();
    workDir = Payloads.ramDir("ostree4j-bench-content-");
    sourceFile = workDir.resolve("payload");
    Files.write(sourceFile, payload);
    bareUser = OstreeRepo.init(workDir.resolve("bare-user"), RepoMode.BARE_USER);
    archive = OstreeRepo.init(workDir.resolve("archive"), RepoMode.ARCHIVE);

    // The pure checksum must name the object the repository stores, or we measure the wrong thing.
    Checksum expected = contentChecksum();
    for (Checksum c : new Checksum[] {
        writeBareUserFromFile(), writeArchiveFromFile(), writeBareUserFromStream(), writeArchiveFromStream()}) {
      if (!c.equals(expected)) {
        throw new IllegalStateException("checksum mismatch: pure " + expected + ", repository " + c);
      }
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    Payloads.deleteTree(workDir);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Baseline: SHA-256 of the payload bytes. */
  @Benchmark
  public byte[] rawSha256() {
    raw.update(payload);
    return raw.digest();
  }

  /** The ostree content checksum of the payload as a regular file, without I/O. */
  @Benchmark
  public Checksum contentChecksum() {
    byte[] h = header.checksumHeader();
    int n = h.length;
    md.update(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n, 0, 0, 0, 0});
    md.update(h);
    for (int off = 0; off < payload.length; off += CHUNK) {
      md.update(payload, off, Math.min(CHUNK, payload.length - off));
    }
    return Checksum.fromBytes(md.digest());
  }

  /** Store into a bare-user repository from a file (directory commits). */
  @Benchmark
  public Checksum writeBareUserFromFile() throws IOException {
    Checksum c = bareUser.writeContent(header, sourceFile, size);
    bareUser.deleteObject(c, ObjectType.FILE);
    return c;
  }

  /** Store into an archive repository from a file (directory commits). */
  @Benchmark
  public Checksum writeArchiveFromFile() throws IOException {
    Checksum c = archive.writeContent(header, sourceFile, size);
    archive.deleteObject(c, ObjectType.FILE);
    return c;
  }

  /** Store into a bare-user repository from memory (tar commits). */
  @Benchmark
  public Checksum writeBareUserFromStream() throws IOException {
    Checksum c = bareUser.writeContent(header, new ByteArrayInputStream(payload), size);
    bareUser.deleteObject(c, ObjectType.FILE);
    return c;
  }

  /** Store into an archive repository from memory (tar commits). */
  @Benchmark
  public Checksum writeArchiveFromStream() throws IOException {
    Checksum c = archive.writeContent(header, new ByteArrayInputStream(payload), size);
    archive.deleteObject(c, ObjectType.FILE);
    return c;
  }
}
