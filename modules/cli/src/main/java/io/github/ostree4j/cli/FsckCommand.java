package io.github.ostree4j.cli;

import io.github.ostree4j.ostree.Fsck;
import io.github.ostree4j.ostree.FsckReport;
import io.github.ostree4j.ostree.OstreeException;
import io.github.ostree4j.ostree.OstreeRepo;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code ostree4j fsck}: re-hash every object and check that commits and refs are complete. Each
 * problem is printed on its own line to stderr, then {@code error: fsck found N problems}.
 */
@Command(name = "fsck", description = "Check the repository for consistency.")
final class FsckCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin RepoOption repo;

  @Option(names = {"-q", "--quiet"}, description = "Only print error messages.")
  boolean quiet;

  @Option(names = "--delete", description = "Remove corrupted objects (and mark the commits needing them partial).")
  boolean delete;

  @Option(names = {"-a", "--all"}, description = "Don't stop on first error (always the case).")
  boolean all;

  @Override
  public Integer call() throws Exception {
    OstreeRepo r = repo.open();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Fsck fsck = new Fsck(r).deleteCorrupt(delete);
    if (!quiet) {
      fsck.progress(line -> {
        out.println(line);
        out.flush();
      });
    }
    FsckReport report = fsck.run();
    for (String d : report.deletedObjects()) {
      err.println("Deleted corrupted object " + d);
    }
    int partial = report.partialCommitCount();
    if (partial > 0 && !quiet) {
      out.println(partial + " partial commits not verified");
    }
    if (report.isClean()) {
      out.println(report.successLine());
      out.flush();
      return 0;
    }
    out.flush();
    for (FsckReport.Problem p : report.problems()) {
      err.println(p.message());
    }
    err.flush();
    int n = report.problems().size();
    throw new OstreeException("fsck found " + n + (n == 1 ? " problem" : " problems"));
  }
}
