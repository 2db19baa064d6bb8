package io.github.ostree4j.cli;

import io.github.ostree4j.ostree.OstreeRepo;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ostree4j rev-parse}: print the commit checksum of a revision. */
@Command(name = "rev-parse", description = "Output the target of a rev.")
final class RevParseCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin RepoOption repo;

  @Parameters(arity = "1..*", paramLabel = "REV")
  List<String> revs;

  @Override
  public Integer call() throws Exception {
    OstreeRepo r = repo.open();
    for (String rev : revs) {
      spec.commandLine().getOut().println(r.resolveRev(rev).hex());
    }
    return 0;
  }
}
