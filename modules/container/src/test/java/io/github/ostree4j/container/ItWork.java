package io.github.ostree4j.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ostree4j.testing.CmdResult;
import io.github.ostree4j.testing.DebianRootfs;
import io.github.ostree4j.testing.OstreeCli;
import io.github.ostree4j.testing.Peers;
import io.github.ostree4j.testing.TreeCorpus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Work directories, shared fixtures and repository checks for the integration tests.
 *
 * <p>Everything lives below {@code target/it-work/<pid>-...}, deleted when the JVM exits;
 * directories of JVMs that are gone are removed on first use. Corpus trees are written once per
 * JVM and must be treated as read-only.
 */
final class ItWork {

  private static final Map<String, Path> CORPUS = new ConcurrentHashMap<>();

  private ItWork() {}

  static Path jvmRoot() {
    return io.github.ostree4j.testing.WorkDirs.jvmRoot();
  }

  /** A new, empty directory (mode 0755). */
  static Path newDir(String prefix) {
    return io.github.ostree4j.testing.WorkDirs.newDir(prefix);
  }

  /**
   * The tree of corpus case {@code name}, written once per JVM. Skips the test when the case needs
   * root or {@code user.*} xattrs that this machine cannot give.
   */
  static Path corpus(String name) {
    if (name.equals(TreeCorpus.OWNERS)) {
      Peers.requireRoot("the owners case needs chown");
    }
    if (name.equals("special-modes")) {
      Peers.requireRoot("files of mode 0000 can only be read by root");
    }
    if (TreeCorpus.usesXattrs(name)) {
      Assumptions.assumeTrue(TreeCorpus.supportsUserXattrs(jvmRoot()), "no user.* xattrs on " + jvmRoot());
    }
    return CORPUS.computeIfAbsent(name, n -> TreeCorpus.write(jvmRoot().resolve("corpus").resolve(n), n));
  }

  /** The Debian minbase root filesystem; reading all of it needs root. */
  static Path minbase() {
    Peers.requireRoot("the Debian tree has files only root can read");
    return DebianRootfs.minbase();
  }

  /**
   * Asserts that the real {@code ostree fsck} finds nothing wrong, that the repository has no
   * refs, and that no temporary file was left in its {@code tmp/}.
   */
  static void assertCleanRepo(Path repo) {
    CmdResult fsck = OstreeCli.tryRun("--repo=" + repo, "fsck");
    assertEquals(0, fsck.exitCode(), "ostree fsck failed:\n" + fsck.stdout() + fsck.stderr());
    String refs = OstreeCli.run("--repo=" + repo, "refs").stdout().strip();
    assertEquals("", refs, "the repository has refs");
    assertEquals(List.of(), regularFilesBelow(repo.resolve("tmp")), "files left in tmp/");
  }

  static List<String> regularFilesBelow(Path dir) {
    List<String> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.filter(p -> !Files.isDirectory(p)).forEach(p -> out.add(dir.relativize(p).toString()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** Asserts the message names the entry (quoted) and contains the reason. */
  static void assertNames(Exception e, String entry, String reason) {
    String m = e.getMessage();
    assertTrue(m.contains("'" + entry + "'"), "message does not name entry " + entry + ": " + m);
    assertTrue(m.contains(reason), "message does not give the reason '" + reason + "': " + m);
    assertTrue(!m.contains("\n"), "message is not one line: " + m);
  }

  static void deleteQuietly(Path p) {
    io.github.ostree4j.testing.WorkDirs.deleteQuietly(p);
  }
}
