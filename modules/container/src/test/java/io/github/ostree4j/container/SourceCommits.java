package io.github.ostree4j.container;

import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.ostree.CommitOptions;
import io.github.ostree4j.ostree.Committer;
import io.github.ostree4j.ostree.OstreeRepo;
import io.github.ostree4j.ostree.RepoMode;
import io.github.ostree4j.testing.OstreeCli;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Commits to export, made once per JVM: corpus trees committed by the real {@code ostree commit},
 * the Debian minbase tree committed by our {@link Committer}; and their exported tar files.
 */
final class SourceCommits {

  /** A commit in a source repository. */
  record Source(Path repo, Checksum commit) {
    OstreeRepo open() {
      try {
        return OstreeRepo.open(repo);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static final Map<String, Source> SOURCES = new ConcurrentHashMap<>();
  private static final Map<String, Path> TARS = new ConcurrentHashMap<>();

  private SourceCommits() {}

  /** {@code tree} committed with the real {@code ostree commit} into a repository of {@code mode}. */
  static synchronized Source ostree(String key, Path tree, String mode) {
    return SOURCES.computeIfAbsent("ostree-" + key + "-" + mode, k -> {
      Path repo = ItWork.newDir("src-" + key).resolve("repo");
      OstreeCli.init(repo, mode);
      String c = OstreeCli.commit(repo, List.of("--orphan", "--timestamp=2020-01-01T00:00:00Z",
          "--subject=export " + key, "--add-metadata-string=version=1.0"), tree);
      return new Source(repo, Checksum.parse(c));
    });
  }

  /** The Debian minbase tree committed with our committer into a bare-user repository. */
  static synchronized Source minbase() {
    return SOURCES.computeIfAbsent("minbase", k -> {
      try {
        Path repo = ItWork.newDir("src-minbase").resolve("repo");
        OstreeRepo r = OstreeRepo.init(repo, RepoMode.BARE_USER);
        Checksum c = new Committer(r).commitDirectory(ItWork.minbase(),
            CommitOptions.builder().timestamp(1_600_000_000L).subject("minbase").build());
        return new Source(repo, c);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /** The whole-commit export of {@code source}, written once to a file. */
  static synchronized Path exported(String key, Source source) {
    return TARS.computeIfAbsent(key + "-" + source.commit(), k -> {
      Path tar = ItWork.newDir("tar-" + key).resolve(key + ".tar");
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tar), 1 << 16)) {
        new CommitTarExporter(source.open(), source.commit()).exportCommit(out);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return tar;
    });
  }

  /** Forgets an exported file (and deletes it), to free disk space after big cases. */
  static synchronized void forgetExport(String key, Source source) {
    Path tar = TARS.remove(key + "-" + source.commit());
    if (tar != null) {
      ItWork.deleteQuietly(tar.getParent());
    }
  }
}
