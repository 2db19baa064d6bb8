package io.github.ostree4j.cli;

import io.github.ostree4j.ostree.Checkout;
import io.github.ostree4j.ostree.CheckoutOptions;
import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.ostree.OstreeException;
import io.github.ostree4j.ostree.OstreeRepo;
import io.github.ostree4j.ostree.RepoFile;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ostree4j checkout}: write a commit's tree to a directory, as {@code ostree checkout}. */
@Command(name = "checkout", description = "Check out a commit into a filesystem tree.")
final class CheckoutCommand implements Callable<Integer> {

  @Mixin RepoOption repo;

  @Option(names = {"-U", "--user-mode"}, description = "Do not change file ownership or initialize extended attributes.")
  boolean userMode;

  @Option(names = "--disable-cache",
      description = "Do not use the uncompressed object cache (accepted for compatibility; it is never used).")
  boolean disableCache;

  @Option(names = "--subpath", paramLabel = "PATH", description = "Checkout sub-directory PATH.")
  String subpath;

  @Option(names = "--union", description = "Keep existing directories, overwrite existing files.")
  boolean union;

  @Option(names = "--union-add", description = "Keep existing files/directories, only add new.")
  boolean unionAdd;

  @Option(names = "--allow-noent", description = "Do nothing if specified path does not exist.")
  boolean allowNoent;

  @Option(names = {"-H", "--require-hardlinks"}, description = "Do not fall back to full copies if hardlinking fails.")
  boolean requireHardlinks;

  @Option(names = {"-C", "--force-copy"}, description = "Never hardlink.")
  boolean forceCopy;

  @Option(names = {"-M", "--bareuseronly-dirs"},
      description = "Suppress mode bits outside of 0775 for directories (suid, world writable, etc.).")
  boolean bareUserOnlyDirs;

  @Parameters(index = "0", paramLabel = "COMMIT")
  String rev;

  @Parameters(index = "1", arity = "0..1", paramLabel = "DESTINATION", description = "Default: the COMMIT argument.")
  Path destination;

  @Override
  public Integer call() throws Exception {
    if (union && unionAdd) {
      throw new OstreeException("Cannot specify both --union and --union-add");
    }
    if (requireHardlinks && forceCopy) {
      throw new OstreeException("Cannot specify both --require-hardlinks and --force-copy");
    }
    OstreeRepo r = repo.open();
    Checksum commit = r.resolveRev(rev);
    CheckoutOptions.Builder b = CheckoutOptions.builder()
        .userMode(userMode)
        .overwrite(union ? CheckoutOptions.Overwrite.UNION
            : unionAdd ? CheckoutOptions.Overwrite.UNION_ADD : CheckoutOptions.Overwrite.NONE)
        .requireHardlinks(requireHardlinks)
        .forceCopy(forceCopy)
        .bareUserOnlyDirs(bareUserOnlyDirs);
    if (subpath != null) {
      b.subpath(subpath);
      if (allowNoent) {
        try {
          RepoFile.root(r, r.readCommit(commit)).resolve(subpath);
        } catch (OstreeException e) {
          if (e.getMessage() != null && e.getMessage().startsWith("No such file or directory")) {
            return 0;
          }
          throw e;
        }
      }
    }
    new Checkout(r).checkout(commit, destination != null ? destination : Path.of(rev), b.build());
    return 0;
  }
}
