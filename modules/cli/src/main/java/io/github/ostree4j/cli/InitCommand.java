package io.github.ostree4j.cli;

import io.github.ostree4j.ostree.OstreeException;
import io.github.ostree4j.ostree.OstreeRepo;
import io.github.ostree4j.ostree.RepoMode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ostree4j init}: create a repository. */
@Command(name = "init", description = "Initialize a new empty repository.")
final class InitCommand implements Callable<Integer> {

  @Mixin RepoOption repo;

  @Option(names = "--mode", paramLabel = "MODE", defaultValue = "bare",
      description = "Repository mode: bare (default, needs root), bare-user, bare-user-only, archive.")
  String mode;

  @Option(names = "--collection-id", paramLabel = "COLLECTION-ID", description = "Globally unique ID for this repository.")
  String collectionId;

  @Override
  public Integer call() throws Exception {
    RepoMode m;
    try {
      m = RepoMode.parse(mode);
    } catch (IllegalArgumentException e) {
      throw new OstreeException(e.getMessage());
    }
    OstreeRepo r = OstreeRepo.init(repo.path(), m);
    if (collectionId != null) {
      r.config().set("core", "collection-id", collectionId);
      r.saveConfig();
    }
    return 0;
  }
}
