package io.github.ostree4j.cli;

import io.github.ostree4j.ostree.OstreeException;
import io.github.ostree4j.ostree.OstreeRepo;
import io.github.ostree4j.ostree.Prune;
import java.io.PrintWriter;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ostree4j prune}: delete unreachable objects, printing totals as {@code ostree prune}. */
@Command(name = "prune", description = "Search for unreachable objects.")
final class PruneCommand implements Callable<Integer> {

  private static final Pattern RELATIVE =
      Pattern.compile("(\\d+)\\s*(second|sec|minute|min|hour|day|week|fortnight|month|year)s?(\\s+ago)?");

  @Spec CommandSpec spec;

  @Mixin RepoOption repo;

  @Option(names = "--no-prune", description = "Only display unreachable objects; don't delete.")
  boolean noPrune;

  @Option(names = "--refs-only", description = "Only compute reachability via refs.")
  boolean refsOnly;

  @Option(names = "--depth", paramLabel = "DEPTH", description = "Only traverse DEPTH parents for each commit (default: -1=infinite).")
  int depth = -1;

  @Option(names = "--delete-commit", paramLabel = "COMMIT", description = "Specify a commit to delete.")
  String deleteCommit;

  @Option(names = "--keep-younger-than", paramLabel = "DATE",
      description = "Prune all commits older than the specified date (e.g. 2020-01-01, '2 weeks ago', @1577836800).")
  String keepYoungerThan;

  @Override
  public Integer call() throws Exception {
    if (deleteCommit != null && noPrune) {
      throw new CommandLine.ParameterException(spec.commandLine(), "Cannot specify both --delete-commit and --no-prune");
    }
    if (depth < -1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--depth must be -1 or more");
    }
    OstreeRepo r = repo.open();
    Prune prune = new Prune(r).refsOnly(refsOnly).depth(depth).dryRun(noPrune);
    if (deleteCommit != null) {
      prune.deleteCommit(r.resolveRev(deleteCommit));
    }
    if (keepYoungerThan != null) {
      prune.keepYoungerThan(parseDate(keepYoungerThan, System.currentTimeMillis() / 1000));
    }
    Prune.Result res = prune.run();
    PrintWriter out = spec.commandLine().getOut();
    out.println("Total objects: " + res.totalObjects());
    if (res.prunedObjects() == 0) {
      out.println("No unreachable objects");
    } else if (noPrune) {
      out.println("Would delete: " + res.prunedObjects() + " objects, freeing " + res.freedSizeText());
    } else {
      out.println("Deleted " + res.prunedObjects() + " objects, " + res.freedSizeText() + " freed");
    }
    out.flush();
    return 0;
  }

  /**
   * Seconds since the epoch for a date in the forms {@code --timestamp} accepts, or relative to
   * {@code now}: {@code now}, {@code today}, {@code yesterday}, {@code N UNIT[s] [ago]}.
   */
  static long parseDate(String s, long now) throws OstreeException {
    String t = s.strip().toLowerCase(Locale.ROOT);
    switch (t) {
      case "now":
        return now;
      case "today":
        return LocalDate.now(ZoneId.systemDefault()).atStartOfDay(ZoneId.systemDefault()).toEpochSecond();
      case "yesterday":
        return LocalDate.now(ZoneId.systemDefault()).minusDays(1).atStartOfDay(ZoneId.systemDefault()).toEpochSecond();
      default:
        break;
    }
    Matcher m = RELATIVE.matcher(t);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      long unit;
      switch (m.group(2)) {
        case "second":
        case "sec":
          unit = 1;
          break;
        case "minute":
        case "min":
          unit = 60;
          break;
        case "hour":
          unit = 3600;
          break;
        case "day":
          unit = 86400;
          break;
        case "week":
          unit = 7 * 86400L;
          break;
        case "fortnight":
          unit = 14 * 86400L;
          break;
        case "month":
          unit = 30 * 86400L;
          break;
        default:
          unit = 365 * 86400L;
      }
      long delta = n * unit;
      return m.group(3) != null ? now - delta : now + delta;
    }
    try {
      return TimestampParser.parse(s);
    } catch (OstreeException e) {
      throw new OstreeException("Could not parse '" + s + "'");
    }
  }
}
