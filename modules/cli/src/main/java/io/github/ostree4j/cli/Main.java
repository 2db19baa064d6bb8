package io.github.ostree4j.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code ostree4j} command: verbs that mirror {@code ostree}, {@code ostree container},
 * skopeo, rpm-ostree/bootc and podman build.
 *
 * <p>Errors are one line on stderr, {@code error: <what was being done>: <why>}, exit status 1;
 * usage errors exit 2; {@code upgrade --check} exits 77 when no update is available, as
 * rpm-ostree does. {@code --stacktrace} adds the Java stack trace.
 */
@Command(
    name = "ostree4j",
    mixinStandardHelpOptions = true,
    scope = ScopeType.INHERIT,
    versionProvider = Main.Version.class,
    description = "Build, move and deploy ostree native container images.")
public final class Main implements Runnable {

  /**
   * The verbs. They are registered with picocli only when needed: building picocli's model of a
   * command takes reflection over all its options, and doing that for every verb on every run
   * cost more start-up time than the rest of a short command.
   */
  private static final List<Class<?>> VERBS = List.of(
      InitCommand.class,
      CommitCommand.class,
      LsCommand.class,
      CatCommand.class,
      LogCommand.class,
      ShowCommand.class,
      RefsCommand.class,
      RevParseCommand.class,
      CheckoutCommand.class,
      FsckCommand.class,
      SummaryCommand.class,
      PruneCommand.class,
      GpgSignCommand.class,
      CopyCommand.class,
      InspectCommand.class,
      GenerateKeyPairCommand.class,
      SignCommand.class,
      ContainerCommand.class,
      BuildCommand.class,
      AdminCommand.class,
      RebaseCommand.class,
      UpgradeCommand.class,
      RollbackCommand.class,
      StatusCommand.class,
      CleanupCommand.class,
      AgentCommand.class,
      CommandLine.HelpCommand.class);

  @Option(names = "--stacktrace", scope = ScopeType.INHERIT, description = "Print the Java stack trace of errors.")
  boolean stacktrace;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(new CommandLine(this), "missing command; see 'ostree4j --help'");
  }

  /** Entry point. */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /**
   * Runs the CLI with the given streams and returns the exit status (0, 1 error, 2 usage, 77
   * {@code upgrade --check} without an update).
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    CommandLine cl = new CommandLine(new Main());
    addVerbs(cl, args);
    cl.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      boolean trace = parseResult.hasMatchedOption("--stacktrace")
          || parseResult.subcommands().stream().anyMatch(p -> p.hasMatchedOption("--stacktrace"))
          || hasStacktrace(parseResult);
      commandLine.getErr().println("error: " + Errors.message(ex));
      if (trace) {
        ex.printStackTrace(commandLine.getErr());
      }
      commandLine.getErr().flush();
      return 1;
    });
    cl.setParameterExceptionHandler((ex, args2) -> {
      CommandLine c = ex.getCommandLine();
      c.getErr().println("error: " + ex.getMessage());
      c.getErr().println("Run '" + c.getCommandSpec().qualifiedName() + " --help' for usage.");
      c.getErr().flush();
      return 2;
    });
    int rc = cl.execute(args);
    out.flush();
    return rc;
  }

  /**
   * Registers the verb named (or aliased, like {@code switch} for {@code rebase}) by the first
   * argument that is not an option, or every verb when there is none, it is unknown, or it is
   * {@code help}.
   */
  private static void addVerbs(CommandLine cl, String[] args) {
    String verb = null;
    for (String a : args) {
      if (!a.startsWith("-")) {
        verb = a;
        break;
      }
    }
    for (Class<?> c : VERBS) {
      Command cmd = c.getAnnotation(Command.class);
      if (verb != null && c != CommandLine.HelpCommand.class
          && (cmd.name().equals(verb) || java.util.Arrays.asList(cmd.aliases()).contains(verb))) {
        cl.addSubcommand(c);
        return;
      }
    }
    for (Class<?> c : VERBS) {
      cl.addSubcommand(c);
    }
  }

  private static boolean hasStacktrace(CommandLine.ParseResult pr) {
    CommandLine.ParseResult p = pr;
    while (p != null) {
      if (p.hasMatchedOption("--stacktrace")) {
        return true;
      }
      p = p.subcommand();
    }
    return false;
  }

  /** Version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"ostree4j " + (v == null ? "development" : v)};
    }
  }
}
