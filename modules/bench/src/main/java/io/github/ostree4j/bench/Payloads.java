package io.github.ostree4j.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/** Deterministic benchmark inputs and scratch directories. */
final class Payloads {

  /** System property naming the directory for scratch repositories. */
  static final String DIR_PROPERTY = "ostree4j.bench.dir";

  private static final String[] WORDS = {
    "ostree", "commit", "dirtree", "dirmeta", "content", "object", "checksum", "archive",
    "bare", "user", "ref", "deploy", "usr", "lib", "share", "bin", "etc", "var", "x86_64",
    "linux", "gnu", "so", "debian", "package", "version", "the", "of", "and", "to", "in",
  };

  private Payloads() {}

  /**
   * {@code size} bytes that deflate roughly like executables and libraries do: 256-byte blocks,
   * alternately random bytes and text drawn from a small vocabulary (about 1.6:1 at zlib level 6).
   * The same seed gives the same bytes.
   */
  static byte[] mixed(int size, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    byte[] out = new byte[size];
    int p = 0;
    boolean random = true;
    while (p < size) {
      int end = Math.min(size, p + 256);
      if (random) {
        while (p < end) {
          out[p++] = (byte) r.nextInt(256);
        }
      } else {
        while (p < end) {
          byte[] w = (WORDS[r.nextInt(WORDS.length)] + ' ').getBytes(StandardCharsets.US_ASCII);
          int n = Math.min(w.length, end - p);
          System.arraycopy(w, 0, out, p, n);
          p += n;
        }
      }
      random = !random;
    }
    return out;
  }

  /**
   * A new empty directory in RAM: under {@code -Dostree4j.bench.dir} if set, else {@code /dev/shm}
   * if it is a writable directory, else the JVM's temp directory.
   */
  static Path ramDir(String prefix) throws IOException {
    String configured = System.getProperty(DIR_PROPERTY);
    Path base;
    if (configured != null && !configured.isEmpty()) {
      base = Path.of(configured);
      Files.createDirectories(base);
    } else {
      Path shm = Path.of("/dev/shm");
      base = Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
    }
    return Files.createTempDirectory(base, prefix);
  }

  /** Deletes a directory tree (if it exists). */
  static void deleteTree(Path dir) throws IOException {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }
}
