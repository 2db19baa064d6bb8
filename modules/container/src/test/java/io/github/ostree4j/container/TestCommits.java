package io.github.ostree4j.container;

import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.ostree.CommitOptions;
import io.github.ostree4j.ostree.Committer;
import io.github.ostree4j.ostree.OstreeRepo;
import io.github.ostree4j.ostree.RepoMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Small trees written to a directory and committed into an archive repository, for unit tests. */
final class TestCommits {

  final OstreeRepo repo;
  final Checksum commit;
  final Map<Checksum, ChunkObject> objects;

  private TestCommits(OstreeRepo repo, Checksum commit) throws IOException {
    this.repo = repo;
    this.commit = commit;
    this.objects = ChunkObjects.of(repo, commit);
  }

  /** Commits {@code tree} into a new repository under {@code work}. */
  static TestCommits commit(Path work, Path tree) throws IOException {
    OstreeRepo repo = OstreeRepo.init(work.resolve("repo"), RepoMode.ARCHIVE);
    Checksum c = new Committer(repo).commitDirectory(tree,
        CommitOptions.builder().branch("test").timestamp(0).build());
    return new TestCommits(repo, c);
  }

  /** Writes a file, creating its parents. */
  static void write(Path root, String path, String content) throws IOException {
    Path p = root.resolve(path);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content, StandardCharsets.UTF_8);
  }

  /** Creates a symlink, creating its parents. */
  static void link(Path root, String path, String target) throws IOException {
    Path p = root.resolve(path);
    Files.createDirectories(p.getParent());
    Files.createSymbolicLink(p, Path.of(target));
  }
}
