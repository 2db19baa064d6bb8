package io.github.ostree4j.cli;

import io.github.ostree4j.ostree.OstreeException;
import io.github.ostree4j.ostree.OstreeRepo;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --repo=PATH} option shared by repository commands (default: {@code OSTREE_REPO}). */
final class RepoOption {

  @Option(names = "--repo", paramLabel = "PATH", description = "Path to the OSTree repository (default: $OSTREE_REPO).")
  Path repo;

  Path path() throws OstreeException {
    if (repo != null) {
      return repo;
    }
    String env = System.getenv("OSTREE_REPO");
    if (env != null && !env.isEmpty()) {
      return Path.of(env);
    }
    throw new OstreeException("no repository given: use --repo=PATH or set OSTREE_REPO");
  }

  OstreeRepo open() throws IOException {
    return OstreeRepo.open(path());
  }
}
