package io.github.ostree4j.cli;

import io.github.ostree4j.deploy.AgentConfig;
import io.github.ostree4j.deploy.AgentStatus;
import io.github.ostree4j.deploy.UpdateAgent;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ostree4j agent [--once | --status [--json]]}: the update agent. Long-running by default
 * (a cycle every poll interval until SIGTERM), one cycle with {@code --once} (for a timer).
 * Log lines go to standard error. {@code --once} exits with 1 when the cycle failed.
 *
 * <p>Test hook: {@code --now=INSTANT} (hidden) or the environment variable {@value #NOW_ENV} fix
 * the agent's clock, e.g. {@code 2024-06-03T10:00:00Z}, to check maintenance windows.
 */
@Command(name = "agent",
    description = "Follow the deployed image reference: stage new digests and reboot into them as the"
        + " strategy allows (immediate, periodic windows, FleetLock).")
final class AgentCommand implements Callable<Integer> {

  /** Environment variable fixing the agent's clock (test hook). */
  static final String NOW_ENV = "OSTREE4J_AGENT_NOW";

  /** How long SIGTERM waits for a cycle under way. */
  static final Duration STOP_GRACE = Duration.ofSeconds(60);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin NodeOptions node;
  @Mixin RegistryOptions registry;

  @Option(names = "--config-dir", paramLabel = "DIR",
      description = "A drop-in directory (repeatable, lowest precedence first); replaces the default"
          + " /usr/lib/ostree4j/config.d, /etc/ostree4j/config.d, /run/ostree4j/config.d.")
  List<Path> configDirs;

  @Option(names = "--once", description = "Run one cycle and exit (1 when it failed).")
  boolean once;

  @Option(names = "--status", description = "Show the configuration in effect, the last check and"
      + " update, a pending reboot and the FleetLock slot held.")
  boolean status;

  @Option(names = "--json", description = "With --status: print the status as JSON.")
  boolean json;

  @Option(names = "--now", hidden = true, paramLabel = "INSTANT",
      description = "Test hook: fix the agent's clock.")
  String now;

  @Override
  public Integer call() throws Exception {
    if (once && status) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--once and --status cannot be used together");
    }
    if (json && !status) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--json needs --status");
    }
    PrintWriter err = spec.commandLine().getErr();
    UpdateAgent agent = UpdateAgent.of(node.sysroot).stateroot(node.os)
        .transport(registry.nodeOptions())
        .configDirs(configDirs == null || configDirs.isEmpty() ? AgentConfig.DEFAULT_DIRS : configDirs)
        .clock(clock())
        .log(l -> {
          err.println(l);
          err.flush();
        });
    if (status) {
      AgentStatus st;
      try {
        st = agent.status();
      } catch (IOException e) {
        throw ActionFailedException.during("reading the agent status of " + node.sysroot, e);
      }
      PrintWriter out = spec.commandLine().getOut();
      out.print(json ? st.toJsonText() : st.toText());
      out.flush();
      return 0;
    }
    if (once) {
      return agent.runOnce() == UpdateAgent.Outcome.FAILED ? 1 : 0;
    }
    Thread stopper = new Thread(() -> {
      agent.stop();
      try {
        agent.awaitStopped(STOP_GRACE);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "ostree4j-agent-stop");
    Runtime.getRuntime().addShutdownHook(stopper);
    agent.run();
    return 0;
  }

  private Clock clock() {
    String fixed = now != null ? now : System.getenv(NOW_ENV);
    if (fixed == null || fixed.isEmpty()) {
      return Clock.systemUTC();
    }
    try {
      return Clock.fixed(Instant.parse(fixed), ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "invalid "
          + (now != null ? "--now" : NOW_ENV) + " '" + fixed + "': expected an instant like 2024-06-03T10:00:00Z");
    }
  }
}
