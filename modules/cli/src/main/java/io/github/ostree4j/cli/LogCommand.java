package io.github.ostree4j.cli;

import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.ostree.Commit;
import io.github.ostree4j.ostree.MissingObjectException;
import io.github.ostree4j.ostree.OstreeRepo;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ostree4j log}: the history of a ref. */
@Command(name = "log", description = "Show log starting at commit or ref.")
final class LogCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin RepoOption repo;

  @Option(names = "--raw", description = "Show raw variant data.")
  boolean raw;

  @Parameters(index = "0", paramLabel = "REF")
  String rev;

  @Override
  public Integer call() throws Exception {
    OstreeRepo r = repo.open();
    PrintWriter out = spec.commandLine().getOut();
    Checksum c = r.resolveRev(rev);
    boolean first = true;
    while (c != null) {
      Commit commit;
      try {
        commit = r.readCommit(c);
      } catch (MissingObjectException e) {
        if (first) {
          throw e;
        }
        out.println("<< History beyond this commit not fetched >>");
        break;
      }
      if (raw) {
        out.println(RawVariants.printByteswapped(commit));
      } else {
        CommitPrinter.print(out, c, commit);
      }
      first = false;
      c = commit.parent().orElse(null);
    }
    out.flush();
    return 0;
  }
}
