package io.github.ostree4j.cli;

import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.ostree.CommitSignatures;
import io.github.ostree4j.ostree.GpgSigningKey;
import io.github.ostree4j.ostree.OstreeRepo;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ostree4j gpg-sign --repo=R COMMIT KEY-ID...}: sign a commit, as {@code ostree gpg-sign}. */
@Command(name = "gpg-sign", description = "Sign a commit with GPG keys (or delete signatures).")
final class GpgSignCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin RepoOption repo;
  @Mixin GpgOptions gpg;

  @Option(names = {"-d", "--delete"}, description = "Delete signatures having any of the GPG KEY-IDs.")
  boolean delete;

  @Parameters(index = "0", paramLabel = "COMMIT", description = "The commit (checksum or ref).")
  String commit;

  @Parameters(index = "1..*", arity = "1..*", paramLabel = "KEY-ID",
      description = "Key fingerprints, key IDs or user IDs.")
  List<String> keyIds;

  @Override
  public Integer call() throws Exception {
    OstreeRepo r = repo.open();
    Checksum c = r.resolveRev(commit);
    if (delete) {
      int n = CommitSignatures.delete(r, c, keyIds);
      spec.commandLine().getOut().println("Signatures deleted: " + n);
      return 0;
    }
    for (GpgSigningKey k : gpg.keys(keyIds)) {
      CommitSignatures.sign(r, c, k);
    }
    return 0;
  }
}
