package io.github.ostree4j.cli;

import io.github.ostree4j.ostree.OstreeException;
import io.github.ostree4j.ostree.OstreeRepo;
import io.github.ostree4j.ostree.Summary;
import io.github.ostree4j.ostree.gvariant.Variant;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ostree4j summary}: regenerate ({@code -u}) or show ({@code --view}) the summary file. */
@Command(name = "summary", description = "Manage summary metadata.")
final class SummaryCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin RepoOption repo;

  @Option(names = {"-u", "--update"}, description = "Update the summary.")
  boolean update;

  @Option(names = {"-v", "--view"}, description = "View the local summary file.")
  boolean view;

  @Option(names = "--raw", description = "View the raw bytes of the summary file.")
  boolean raw;

  @Option(names = {"-m", "--add-metadata"}, paramLabel = "KEY=VALUE",
      description = "Additional metadata field to add to the summary (VALUE in GVariant text format, e.g. \"'text'\" or 'uint32 5').")
  List<String> metadata = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    OstreeRepo r = repo.open();
    PrintWriter out = spec.commandLine().getOut();
    if (update) {
      Map<String, Variant> md = new LinkedHashMap<>();
      for (String kv : metadata) {
        int eq = kv.indexOf('=');
        if (eq < 0) {
          throw new OstreeException("Missing '=' in KEY=VALUE metadata '" + kv + "'");
        }
        md.put(kv.substring(0, eq), Summary.parseMetadataValue(kv.substring(eq + 1)));
      }
      Summary.update(r, md);
      return 0;
    }
    if (view) {
      Optional<Summary> s = Summary.read(r);
      if (s.isEmpty()) {
        throw new OstreeException("No summary file in " + r.path() + " (create one with 'summary -u')");
      }
      if (raw) {
        out.println(RawVariants.byteswap(s.get().toVariant()).print());
      } else {
        out.print(s.get().view());
      }
      out.flush();
      return 0;
    }
    throw new OstreeException("No option specified; use -u to update summary");
  }
}
