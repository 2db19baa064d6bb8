// Commits a directory into a new (or existing) archive repository with the ostree4j library and
// lists the result, like `ostree init` + `ostree commit` + `ostree ls -R`.
//
// Run from the project root (after `bin/ostree4j --version` has built the jar):
//   java -cp modules/cli/target/ostree4j.jar examples/CommitTree.java REPO DIR BRANCH

import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.ostree.CommitOptions;
import io.github.ostree4j.ostree.Committer;
import io.github.ostree4j.ostree.OstreeRepo;
import io.github.ostree4j.ostree.RepoFile;
import io.github.ostree4j.ostree.RepoMode;
import java.io.IOException;
import java.nio.file.Path;

public class CommitTree {
  public static void main(String[] args) throws IOException {
    if (args.length != 3) {
      System.err.println("usage: CommitTree REPO DIR BRANCH");
      System.exit(2);
    }
    OstreeRepo repo = OstreeRepo.init(Path.of(args[0]), RepoMode.ARCHIVE);
    Checksum commit = new Committer(repo).commitDirectory(Path.of(args[1]),
        CommitOptions.builder().branch(args[2]).subject("Committed by the library example").build());
    System.out.println("commit " + commit);
    list(RepoFile.root(repo, repo.readCommit(commit)));
  }

  private static void list(RepoFile dir) throws IOException {
    for (RepoFile f : dir.children()) {
      System.out.println((f.isDirectory() ? "d " : "- ") + f.path());
      if (f.isDirectory()) {
        list(f);
      }
    }
  }
}
