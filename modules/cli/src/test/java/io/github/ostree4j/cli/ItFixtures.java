package io.github.ostree4j.cli;

import io.github.ostree4j.testing.Cmd;
import io.github.ostree4j.testing.Peers;
import io.github.ostree4j.testing.TreeCorpus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Work directories and JVM-wide cached fixtures for the integration tests.
 *
 * <p>Everything lives below {@code target/it-work/<pid>-...}, which is deleted when the JVM exits;
 * directories left behind by JVMs that are gone are removed on first use. Corpus trees are written
 * once per JVM and shared by all test classes (they must be treated as read-only).
 */
final class ItFixtures {

  private static final Map<String, Path> CORPUS = new ConcurrentHashMap<>();

  private ItFixtures() {}

  /** This JVM's root work directory (see {@link io.github.ostree4j.testing.WorkDirs}). */
  static Path jvmRoot() {
    return io.github.ostree4j.testing.WorkDirs.jvmRoot();
  }

  /** A new, empty directory below this JVM's work directory. */
  static Path newDir(String prefix) {
    return io.github.ostree4j.testing.WorkDirs.newDir(prefix);
  }

  /**
   * The tree of corpus case {@code name}, written once per JVM. Skips the test when the case
   * needs {@code user.*} xattrs and the filesystem has none, and (for {@code owners}) when not
   * running as root.
   */
  static Path corpus(String name) {
    if (name.equals(TreeCorpus.OWNERS)) {
      Peers.requireRoot("the owners corpus case needs chown");
    }
    if (name.equals("special-modes")) {
      Peers.requireRoot("committing files of mode 0000 and 0111 needs to read them");
    }
    if (TreeCorpus.usesXattrs(name)) {
      Assumptions.assumeTrue(TreeCorpus.supportsUserXattrs(jvmRoot()),
          "the filesystem of " + jvmRoot() + " has no user.* xattrs");
    }
    return CORPUS.computeIfAbsent(name, n -> TreeCorpus.write(jvmRoot().resolve("corpus").resolve(n), n));
  }

  /**
   * The Debian minbase root filesystem (built on first use); committing it needs root because
   * some of its files (etc/shadow, ...) are readable by root only.
   */
  static Path minbase() {
    Peers.requireRoot("the Debian tree has files only root can read");
    return io.github.ostree4j.testing.DebianRootfs.minbase();
  }

  /** The small corpus cases (everything but {@code big-file}). */
  static List<String> smallCases() {
    return TreeCorpus.names(false);
  }

  /**
   * Makes {@code tarFile} from {@code tree} with GNU tar, keeping {@code user.*} xattrs and
   * numeric owners.
   */
  static Path gnuTar(Path tree, Path tarFile) {
    Cmd.of("tar", "--xattrs", "--xattrs-include=user.*", "--numeric-owner", "-C", tree.toString(),
            "-cf", tarFile.toString(), ".")
        .env("LC_ALL", "C.UTF-8")
        .run()
        .checkSuccess();
    return tarFile;
  }

  /** Relative paths ({@code /}-separated) of the regular files below {@code tree}, sorted. */
  static List<String> regularFiles(Path tree) {
    List<String> out = new ArrayList<>();
    try (Stream<Path> s = Files.walk(tree)) {
      s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
          .forEach(p -> out.add(tree.relativize(p).toString()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.sort(null);
    return out;
  }

  /**
   * A listing of everything below {@code dir} (type, size, mtime), skipping the given relative
   * top-level names: used to prove that a command wrote nothing outside its repo/destination.
   */
  static Map<String, String> snapshot(Path dir, String... skipTopLevel) {
    Map<String, String> out = new TreeMap<>();
    List<String> skip = List.of(skipTopLevel);
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
          if (!d.equals(dir) && d.getParent().equals(dir)
              && skip.contains(d.getFileName().toString())) {
            return FileVisitResult.SKIP_SUBTREE;
          }
          out.put(dir.relativize(d).toString() + "/", "dir");
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
          if (f.getParent().equals(dir) && skip.contains(f.getFileName().toString())) {
            return FileVisitResult.CONTINUE;
          }
          out.put(dir.relativize(f).toString(),
              (attrs.isSymbolicLink() ? "link " : attrs.isRegularFile() ? "file " : "other ")
                  + attrs.size() + " " + attrs.lastModifiedTime().toMillis());
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** Finds the object file {@code <checksum>.<ext>} of a repository, if present. */
  static Optional<Path> objectFile(Path repo, String checksum, String ext) {
    Path p = repo.resolve("objects").resolve(checksum.substring(0, 2))
        .resolve(checksum.substring(2) + "." + ext);
    return Files.exists(p, LinkOption.NOFOLLOW_LINKS) ? Optional.of(p) : Optional.empty();
  }

  /** Lowercase hex SHA-256. */
  static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  /** Deletes a tree (not following symlinks); problems are ignored. */
  static void deleteQuietly(Path root) {
    io.github.ostree4j.testing.WorkDirs.deleteQuietly(root);
  }
}
