package io.github.ostree4j.cli;

import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.ostree.OstreeException;
import io.github.ostree4j.ostree.OstreeRepo;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ostree4j refs}: list, create, alias or delete refs. */
@Command(name = "refs", description = "List refs.")
final class RefsCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin RepoOption repo;

  @Option(names = "--delete", description = "Delete the given refs.")
  boolean delete;

  @Option(names = "--list", description = "Do not remove the prefix from the refs.")
  boolean list;

  @Option(names = {"-A", "--alias"}, description = "With --create, make an alias; otherwise list aliases as 'alias -> target'.")
  boolean alias;

  @Option(names = "--create", paramLabel = "NEWREF", description = "Create a new ref for an existing commit.")
  String create;

  @Option(names = {"-c", "--collections"}, description = "Include mirror refs as (collection, ref).")
  boolean collections;

  @Option(names = "--force", description = "Overwrite an existing ref with --create.")
  boolean force;

  @Parameters(arity = "0..*", paramLabel = "PREFIX")
  List<String> args = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    OstreeRepo r = repo.open();
    PrintWriter out = spec.commandLine().getOut();
    if (create != null) {
      if (args.size() != 1) {
        throw new OstreeException("--create requires exactly one existing ref or commit");
      }
      if (alias) {
        r.refs().createAlias(create, args.get(0));
        return 0;
      }
      if (!force && r.refs().resolve(create).isPresent()) {
        throw new OstreeException("--create specified but ref " + create + " already exists");
      }
      r.refs().set(create, r.resolveRev(args.get(0)));
      return 0;
    }
    if (delete) {
      if (args.isEmpty()) {
        throw new OstreeException("At least one ref must be given with --delete");
      }
      for (String a : args) {
        Map<String, Checksum> all = r.refs().list();
        boolean any = false;
        for (String name : all.keySet()) {
          if (name.equals(a) || name.startsWith(a + "/") || name.startsWith(a.endsWith(":") ? a : a + ":")) {
            r.refs().delete(name);
            any = true;
          }
        }
        if (!any) {
          r.refs().delete(a);
        }
      }
      return 0;
    }
    Map<String, String> aliases = r.refs().aliases();
    if (alias) {
      for (Map.Entry<String, String> e : aliases.entrySet()) {
        out.println(e.getKey() + " -> " + e.getValue());
      }
      return 0;
    }
    String prefix = args.isEmpty() ? null : args.get(0);
    // ostree prints refs in the iteration order of the hash table it collects them in.
    for (String name : io.github.ostree4j.ostree.Refs.inHashTableOrder(r.refs().namesInStorageOrder(prefix, list))) {
      out.println(name);
    }
    if (collections) {
      for (String name : r.refs().listMirrors().keySet()) {
        int colon = name.indexOf(':');
        out.println("(" + name.substring(0, colon) + ", " + name.substring(colon + 1) + ")");
      }
    }
    return 0;
  }
}
