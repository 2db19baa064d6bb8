package io.github.ostree4j.bench;

import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.ostree.Commit;
import io.github.ostree4j.ostree.DirTree;
import io.github.ostree4j.ostree.gvariant.GVariantFormatException;
import io.github.ostree4j.ostree.gvariant.Variant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * GVariant serialization and parsing of ostree metadata objects.
 *
 * <ul>
 *   <li>dirtree: 1000 entries, 900 files {@code (say)} and 100 subdirectories {@code (sayay)},
 *       names of 4 to 40 characters (like {@code /usr/lib/x86_64-linux-gnu}); about 50 KiB.
 *       {@link #dirTreeSerialize} serializes a built tree, {@link #dirTreeBuildAndSerialize}
 *       also builds it from unsorted entry lists (what committing a directory does per directory),
 *       {@link #dirTreeParse} parses and validates the bytes.
 *   <li>commit: parent, subject, body, timestamp, root checksums and 24 metadata entries (version,
 *       ref binding, bootable, linux, 16 strings, a uint64, a 256-byte array, a string array).
 *       {@link #commitSerialize} builds it, {@link #commitParse} parses it.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class GVariantBenchmark {

  static final int FILES = 900;
  static final int DIRS = 100;

  private List<DirTree.FileEntry> fileEntries;
  private List<DirTree.DirEntry> dirEntries;
  private DirTree dirTree;
  private byte[] dirTreeBytes;
  private Commit.Builder commitBuilder;
  private byte[] commitBytes;

  @Setup(Level.Trial)
  public void setUp() throws GVariantFormatException {
    SplittableRandom r = new SplittableRandom(7);
    fileEntries = new ArrayList<>();
    for (int i = 0; i < FILES; i++) {
      fileEntries.add(new DirTree.FileEntry(name(r, i, ".so." + (i % 7)), checksum(r)));
    }
    dirEntries = new ArrayList<>();
    for (int i = 0; i < DIRS; i++) {
      dirEntries.add(new DirTree.DirEntry(name(r, i, ".d"), checksum(r), checksum(r)));
    }
    dirTree = new DirTree(fileEntries, dirEntries);
    dirTreeBytes = dirTree.serialize();
    DirTree back = DirTree.parse(dirTreeBytes);
    if (!Arrays.equals(back.serialize(), dirTreeBytes) || back.files().size() + back.dirs().size() != FILES + DIRS) {
      throw new IllegalStateException("dirtree does not round-trip");
    }

    commitBuilder = Commit.builder()
        .subject("Debian 12 minbase")
        .body("Built from debootstrap --variant=minbase bookworm.\n\nReproducible benchmark commit.")
        .timestamp(1577836800L)
        .parent(checksum(r))
        .root(checksum(r), checksum(r))
        .metadata(Commit.KEY_VERSION, Variant.string("12.4.20240101.0"))
        .metadata(Commit.KEY_REF_BINDING, Variant.strings(List.of("bench", "debian/12/x86_64/minbase")))
        .metadata(Commit.KEY_LINUX, Variant.string("6.1.0-18-amd64"))
        .metadata(Commit.KEY_BOOTABLE, Variant.bool(true));
    for (int i = 0; i < 16; i++) {
      commitBuilder.metadata("org.example.label." + i, Variant.string("value-" + i + "-" + Long.toHexString(r.nextLong())));
    }
    commitBuilder.metadata("org.example.size", Variant.uint64(Long.reverseBytes(215_000_000L)))
        .metadata("org.example.blob", Variant.bytes(bytes(r, 256)))
        .metadata("org.example.packages", Variant.strings(List.of("base-files", "bash", "coreutils", "dpkg", "libc6")));
    Commit commit = commitBuilder.build();
    commitBytes = commit.bytes();
    if (!Commit.parse(commitBytes).checksum().equals(commit.checksum())) {
      throw new IllegalStateException("commit does not round-trip");
    }
  }

  private static String name(SplittableRandom r, int i, String suffix) {
    StringBuilder b = new StringBuilder();
    int len = 4 + r.nextInt(37) - suffix.length();
    while (b.length() < Math.max(1, len)) {
      b.append((char) ('a' + r.nextInt(26)));
      if (r.nextInt(8) == 0) {
        b.append(r.nextBoolean() ? '-' : '_');
      }
    }
    return b.append(i).append(suffix).toString();
  }

  private static byte[] bytes(SplittableRandom r, int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) r.nextInt(256);
    }
    return b;
  }

  private static Checksum checksum(SplittableRandom r) {
    return Checksum.fromBytes(bytes(r, 32));
  }

  @Benchmark
  public byte[] dirTreeSerialize() {
    return dirTree.serialize();
  }

  @Benchmark
  public byte[] dirTreeBuildAndSerialize() {
    return new DirTree(fileEntries, dirEntries).serialize();
  }

  @Benchmark
  public DirTree dirTreeParse() throws GVariantFormatException {
    return DirTree.parse(dirTreeBytes);
  }

  @Benchmark
  public Commit commitSerialize() {
    return commitBuilder.build();
  }

  @Benchmark
  public Commit commitParse() throws GVariantFormatException {
    return Commit.parse(commitBytes);
  }
}
