package io.github.ostree4j.cli;

import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.ostree.Commit;
import io.github.ostree4j.ostree.OstreeException;
import io.github.ostree4j.ostree.OstreeRepo;
import io.github.ostree4j.ostree.gvariant.Variant;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ostree4j show}: one commit, or one of its metadata values. */
@Command(name = "show", description = "Output a metadata object.")
final class ShowCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin RepoOption repo;

  @Option(names = "--print-metadata-key", paramLabel = "KEY", description = "Print string value of metadata key.")
  String metadataKey;

  @Option(names = "--print-detached-metadata-key", paramLabel = "KEY", description = "Print string value of detached metadata key.")
  String detachedKey;

  @Option(names = "--raw", description = "Show raw variant data.")
  boolean raw;

  @Option(names = {"-B", "--no-byteswap"}, description = "Do not byteswap the value before printing.")
  boolean noByteswap;

  @Parameters(index = "0", paramLabel = "OBJECT")
  String rev;

  @Override
  public Integer call() throws Exception {
    OstreeRepo r = repo.open();
    PrintWriter out = spec.commandLine().getOut();
    Checksum c = r.resolveRev(rev);
    Commit commit = r.readCommit(c);
    if (metadataKey != null) {
      Variant v = commit.metadata().get(metadataKey);
      if (v == null) {
        throw new OstreeException("No such metadata key '" + metadataKey + "'");
      }
      out.println((noByteswap ? v : RawVariants.byteswap(v)).print());
      return 0;
    }
    if (detachedKey != null) {
      Optional<Variant> dm = r.readCommitMeta(c);
      Variant v = dm.map(d -> d.asVardict().get(detachedKey)).orElse(null);
      if (v == null) {
        throw new OstreeException("No such detached metadata key '" + detachedKey + "'");
      }
      out.println((noByteswap ? v : RawVariants.byteswap(v)).print());
      return 0;
    }
    if (raw) {
      out.println("commit " + c.hex());
      out.println(RawVariants.printByteswapped(commit));
      return 0;
    }
    CommitPrinter.print(out, c, commit);
    return 0;
  }
}
