package io.github.ostree4j.deploy;

import io.github.ostree4j.deploy.internal.AgentState;
import io.github.ostree4j.deploy.internal.AgentStateStore;
import io.github.ostree4j.deploy.internal.LogLine;
import io.github.ostree4j.oci.Platform;
import io.github.ostree4j.transport.TransportOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The update agent: watches the image reference the node follows, stages new digests and
 * reboots into them when the strategy allows, like Zincati does for Fedora CoreOS.
 *
 * <p>Each cycle ({@link #runOnce()}):
 *
 * <ol>
 *   <li>reads the configuration ({@link AgentConfig}); a drop-in that cannot be used is logged
 *       with its file and key and the last good configuration is kept (none yet: the agent stays
 *       idle); {@code updates.enabled = false} makes it idle;
 *   <li>finds the deployment the node runs (see below) and the default one, which boots next;
 *   <li>when the node runs the deployment a reboot was requested for, records the reboot as
 *       completed, and when it holds a FleetLock slot and runs the default deployment, gives the
 *       slot back ({@code POST v1/steady-state}; until that succeeds nothing else happens);
 *   <li>when no update is pending (the node runs the default deployment), fetches the manifest of
 *       the default deployment's image reference; a digest other than the deployed one is pulled
 *       and deployed as the new default (the node's upgrade path: pre-flight checks, layered pull,
 *       {@code /etc} merge), unless it is older than the running image and downgrades are not
 *       allowed;
 *   <li>when an update is pending, finalizes it by strategy: {@code immediate} reboots, {@code
 *       periodic} reboots inside a maintenance window only, {@code fleet_lock} reboots after
 *       {@code POST v1/pre-reboot} was granted and otherwise tries again next cycle (without
 *       downloading anything again). The reboot is the configured command.
 * </ol>
 *
 * <p><b>The deployment the node runs.</b> On a booted ostree system with {@code --sysroot=/} it is
 * the booted deployment ({@code /run/ostree-booted} and the inode of {@code /}). For a sysroot
 * that is not the running system (an image being prepared, tests) nothing is booted; there the
 * state file records it: the default deployment when the agent first sees the sysroot, then the
 * deployment each successful reboot command was run for. So in such a sysroot the cycle after a
 * "reboot" runs the new deployment, as a node would after its reboot.
 *
 * <p><b>State</b> is a small JSON file, replaced atomically: {@code /var/lib/ostree4j/agent/state.json}
 * on a booted system, {@code SYSROOT/ostree/deploy/STATEROOT/var/lib/ostree4j/agent/state.json}
 * (the same file as seen from outside) otherwise. It records the last check and its result, the
 * last update staged, a requested reboot, the FleetLock slot held and counters.
 *
 * <p><b>Logs</b> are one {@code key=value} line per event ({@code time=… level=info
 * event=update-staged image=… digest=sha256:… version=… deployment=…}), given to the {@link
 * #log(Consumer)} sink. Failures (registry unreachable, FleetLock server down, reboot command
 * failing) are logged at level {@code error}; nothing is rebooted then and the state stays as it
 * was, so the next cycle tries again.
 *
 * <p>Not thread-safe, except {@link #stop()} which may be called from any thread.
 */
public final class UpdateAgent {

  /** How long the reboot command may run. */
  public static final Duration REBOOT_TIMEOUT = Duration.ofMinutes(5);

  /**
   * How long after running the reboot command a booted system is taken to be shutting down: no
   * reboot is requested again in that time, also not by another agent process (a timer's).
   */
  public static final Duration REBOOT_GRACE = Duration.ofMinutes(10);

  /** Connect and request timeout of FleetLock requests. */
  public static final Duration FLEET_LOCK_TIMEOUT = Duration.ofSeconds(30);

  /** What a cycle ended with. */
  public enum Outcome {
    /** {@code updates.enabled = false}. */
    DISABLED,
    /** Nothing to do: no deployment, not a container image, another agent busy, downgrade refused. */
    IDLE,
    /** The followed image has the deployed digest. */
    NO_UPDATE,
    /** An update is staged and the periodic strategy waits for a window. */
    REBOOT_DEFERRED,
    /** An update is staged and the FleetLock server refused a slot. */
    LOCK_DENIED,
    /** The reboot command ran. */
    REBOOTING,
    /** A reboot was requested earlier by this agent; waiting for it. */
    AWAITING_REBOOT,
    /** Something failed (logged); nothing was rebooted. */
    FAILED
  }

  private final Path sysroot;
  private String stateroot;
  private List<Path> configDirs = AgentConfig.DEFAULT_DIRS;
  private Path localtime = Path.of("/etc/localtime");
  private Path machineIdFile = Path.of("/etc/machine-id");
  private Path cmdlineFile = Path.of("/proc/cmdline");
  private Path stateFile;
  private TransportOptions transport = TransportOptions.defaults();
  private Platform platform = Platform.current();
  private Clock clock = Clock.systemUTC();
  private Consumer<String> log = System.err::println;

  private AgentConfig lastGood;
  private boolean configBroken;
  private boolean rebootRequested;
  private volatile boolean stopping;
  private final Object wakeUp = new Object();
  private final CountDownLatch stopped = new CountDownLatch(1);

  private UpdateAgent(Path sysroot) {
    this.sysroot = Objects.requireNonNull(sysroot, "sysroot");
  }

  /**
   * An agent for a sysroot.
   *
   * @param sysroot the sysroot ({@code /} on a booted node)
   * @return the agent
   */
  public static UpdateAgent of(Path sysroot) {
    return new UpdateAgent(sysroot);
  }

  /**
   * The stateroot; default: the booted or default deployment's.
   *
   * @param name the stateroot, or null
   * @return this
   */
  public UpdateAgent stateroot(String name) {
    this.stateroot = name;
    return this;
  }

  /**
   * The configuration directories, lowest precedence first; default {@link
   * AgentConfig#DEFAULT_DIRS}, read from the host's root whatever the sysroot.
   *
   * @param dirs the directories
   * @return this
   */
  public UpdateAgent configDirs(List<Path> dirs) {
    this.configDirs = List.copyOf(dirs);
    return this;
  }

  /**
   * The link {@code time_zone = "localtime"} resolves; default {@code /etc/localtime}.
   *
   * @param link the link
   * @return this
   */
  public UpdateAgent localtime(Path link) {
    this.localtime = Objects.requireNonNull(link, "link");
    return this;
  }

  /**
   * The machine id file the default node id is derived from; default {@code /etc/machine-id}.
   *
   * @param file the file
   * @return this
   */
  public UpdateAgent machineIdFile(Path file) {
    this.machineIdFile = Objects.requireNonNull(file, "file");
    return this;
  }

  /**
   * The kernel command line the {@code ${platform}} URL variable comes from ({@code
   * ignition.platform.id=}); default {@code /proc/cmdline}.
   *
   * @param file the file
   * @return this
   */
  public UpdateAgent cmdlineFile(Path file) {
    this.cmdlineFile = Objects.requireNonNull(file, "file");
    return this;
  }

  /**
   * The state file; default: see the class description.
   *
   * @param file the file, or null for the default
   * @return this
   */
  public UpdateAgent stateFile(Path file) {
    this.stateFile = file;
    return this;
  }

  /**
   * Credentials, TLS and retries for reading images.
   *
   * @param options the options
   * @return this
   */
  public UpdateAgent transport(TransportOptions options) {
    this.transport = Objects.requireNonNull(options, "options");
    return this;
  }

  /**
   * The platform images must be built for; default this machine's.
   *
   * @param p the platform
   * @return this
   */
  public UpdateAgent platform(Platform p) {
    this.platform = Objects.requireNonNull(p, "p");
    return this;
  }

  /**
   * The clock: the time maintenance windows are checked against and log lines carry.
   *
   * @param c the clock
   * @return this
   */
  public UpdateAgent clock(Clock c) {
    this.clock = Objects.requireNonNull(c, "c");
    return this;
  }

  /**
   * Where log lines go; default standard error.
   *
   * @param sink the receiver of one line per event
   * @return this
   */
  public UpdateAgent log(Consumer<String> sink) {
    this.log = Objects.requireNonNull(sink, "sink");
    return this;
  }

  /**
   * Runs one cycle. Never throws: failures are logged and end the cycle with {@link
   * Outcome#FAILED}.
   *
   * @return what the cycle ended with
   */
  public Outcome runOnce() {
    try {
      AgentConfig cfg = config();
      if (cfg == null) {
        return Outcome.FAILED;
      }
      if (!cfg.enabled()) {
        emit(line("info", "idle").with("reason", "disabled")
            .with("file", cfg.source("updates.enabled").orElse(null)));
        return Outcome.DISABLED;
      }
      AgentCycle cycle = new AgentCycle(this, cfg);
      Outcome o = cycle.run();
      if (o == Outcome.REBOOTING && cycle.liveSystem()) {
        rebootRequested = true;
      }
      return o;
    } catch (IOException e) {
      emit(line("error", "cycle-failed").with("reason", reason(e)));
      return Outcome.FAILED;
    } catch (RuntimeException e) {
      emit(line("error", "cycle-failed").with("reason", e.getClass().getName() + ": " + e.getMessage()));
      return Outcome.FAILED;
    }
  }

  /**
   * Runs cycles until {@link #stop()} is called, waiting the configured poll interval between
   * two. A cycle under way when {@code stop()} is called runs to its end.
   */
  public void run() {
    emit(line("info", "started").with("sysroot", sysroot).with("config_dirs", dirsText()));
    try {
      while (!stopping) {
        runOnce();
        Duration wait = lastGood != null ? lastGood.pollInterval() : AgentConfig.DEFAULT_POLL_INTERVAL;
        synchronized (wakeUp) {
          if (!stopping) {
            wakeUp.wait(Math.max(1, wait.toMillis()));
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      emit(line("info", "stopped"));
      stopped.countDown();
    }
  }

  /** Asks {@link #run()} to return after the cycle under way, if any. */
  public void stop() {
    stopping = true;
    synchronized (wakeUp) {
      wakeUp.notifyAll();
    }
  }

  /**
   * Waits until {@link #run()} has returned.
   *
   * @param timeout how long to wait
   * @return whether it has
   * @throws InterruptedException when interrupted
   */
  public boolean awaitStopped(Duration timeout) throws InterruptedException {
    return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * The agent's status: the configuration in effect and where it comes from, the strategy, the
   * last check and update, a pending reboot and the FleetLock slot held.
   *
   * @return the status
   * @throws IOException when the sysroot cannot be read
   */
  public AgentStatus status() throws IOException {
    AgentConfig cfg = null;
    String error = null;
    try {
      cfg = AgentConfig.load(configDirs, localtime);
    } catch (AgentConfigException e) {
      error = e.getMessage();
    }
    return AgentStatus.of(this, cfg, error);
  }

  // ------------------------------------------------------------------ for the cycle and status

  Path sysroot() {
    return sysroot;
  }

  String staterootName() {
    return stateroot;
  }

  TransportOptions transportOptions() {
    return transport;
  }

  Platform platformOf() {
    return platform;
  }

  Clock clockOf() {
    return clock;
  }

  Path machineIdFileOf() {
    return machineIdFile;
  }

  Path cmdlineFileOf() {
    return cmdlineFile;
  }

  boolean rebootRequested() {
    return rebootRequested;
  }

  List<Path> configDirsOf() {
    return configDirs;
  }

  /** The state store of a sysroot and stateroot. */
  AgentStateStore store(Sysroot s, String os) {
    if (stateFile != null) {
      return new AgentStateStore(stateFile);
    }
    if (s.bootedDeployment().isPresent()) {
      return new AgentStateStore(Path.of("/var/lib/ostree4j/agent/state.json"));
    }
    return new AgentStateStore(s.path().resolve("ostree/deploy").resolve(os)
        .resolve("var/lib/ostree4j/agent/state.json"));
  }

  LogLine line(String level, String event) {
    return LogLine.of(clock.instant(), level, event);
  }

  void emit(LogLine l) {
    log.accept(l.toString());
  }

  static String reason(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.replace('\n', ' ');
  }

  static AgentState.Counters counters(AgentState s) {
    if (s.counters == null) {
      s.counters = new AgentState.Counters();
    }
    return s.counters;
  }

  private String dirsText() {
    return String.join(",", configDirs.stream().map(Path::toString).toList());
  }

  /** Reads the configuration; on failure logs and falls back to the last good one. */
  private AgentConfig config() throws IOException {
    try {
      AgentConfig cfg = AgentConfig.load(configDirs, localtime);
      for (String w : cfg.warnings()) {
        emit(line("warn", "config-warning").with("message", w));
      }
      if (lastGood == null || configBroken || !lastGood.sources().equals(cfg.sources())
          || lastGood.strategy() != cfg.strategy() || lastGood.enabled() != cfg.enabled()) {
        emit(line("info", "config-loaded").with("strategy", cfg.strategy())
            .with("enabled", cfg.enabled())
            .with("files", String.join(",", cfg.sources().stream().map(Path::toString).toList())));
      }
      lastGood = cfg;
      configBroken = false;
      return cfg;
    } catch (AgentConfigException e) {
      configBroken = true;
      emit(line("error", "config-invalid").with("file", e.file().orElse(null))
          .with("key", e.key().orElse(null)).with("reason", e.reason()));
      if (lastGood == null) {
        emit(line("warn", "idle").with("reason", "no valid configuration yet"));
        return null;
      }
      emit(line("warn", "config-kept").with("strategy", lastGood.strategy())
          .with("files", String.join(",", lastGood.sources().stream().map(Path::toString).toList())));
      return lastGood;
    }
  }
}
