package io.github.ostree4j.deploy;

import io.github.ostree4j.deploy.internal.ConfigDropIns;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The update agent's configuration: TOML drop-ins in Zincati's layout and with Zincati's keys
 * where they apply.
 *
 * <p>Drop-ins are the {@code *.toml} files of {@code /usr/lib/ostree4j/config.d}, {@code
 * /etc/ostree4j/config.d} and {@code /run/ostree4j/config.d} (in this order of precedence: a file
 * replaces one of the same name in an earlier directory, a symlink to {@code /dev/null} masks it),
 * merged in the lexicographic order of their names, later files winning key by key; maintenance
 * windows add up across files. The keys:
 *
 * <pre>
 * [updates]
 * enabled = true                  # false: the agent stays idle
 * strategy = "immediate"          # immediate | periodic | fleet_lock
 * allow_downgrade = false         # refuse an image older than the running one
 * [updates.periodic]
 * time_zone = "UTC"               # an IANA name, or "localtime" (/etc/localtime)
 * [[updates.periodic.window]]
 * days = ["Sat", "Sun"]           # full or three-letter English names
 * start_time = "22:30"            # hh:mm, wall clock of time_zone
 * length_minutes = 60             # 1 to 10080
 * [updates.fleet_lock]
 * base_url = "http://fleetlock.example.com:8080/${group}/"
 * [identity]
 * group = "default"               # [a-zA-Z0-9.-]+
 * node_uuid = "…"                 # 32 hex digits; default: from /etc/machine-id, as Zincati
 * rollout_wariness = 0.5          # 0.0 to 1.0; reported only
 * [agent]
 * poll_interval_seconds = 300     # wins over [agent.timing] steady_interval_secs
 * reboot_command = ["systemctl", "reboot"]
 * [agent.timing]
 * steady_interval_secs = 300
 * </pre>
 *
 * <p>Unknown keys are reported as warnings and otherwise ignored ({@code [cincinnati]} too: the
 * agent follows the image reference of the deployment, not an update graph). Immutable.
 */
public final class AgentConfig {

  /** The drop-in directories, lowest precedence first. */
  public static final List<Path> DEFAULT_DIRS = List.of(Path.of("/usr/lib/ostree4j/config.d"),
      Path.of("/etc/ostree4j/config.d"), Path.of("/run/ostree4j/config.d"));

  /** Poll interval when none is configured: Zincati's steady interval. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(300);

  /** The default reboot command. */
  public static final List<String> DEFAULT_REBOOT_COMMAND = List.of("systemctl", "reboot");

  /** The default reboot group. */
  public static final String DEFAULT_GROUP = "default";

  private final boolean enabled;
  private final UpdateStrategy strategy;
  private final boolean allowDowngrade;
  private final MaintenanceWindows windows;
  private final String timeZone;
  private final String fleetLockBaseUrl;
  private final String group;
  private final String nodeUuid;
  private final Double rolloutWariness;
  private final Duration pollInterval;
  private final List<String> rebootCommand;
  private final List<Path> sources;
  private final Map<String, Path> keySources;
  private final List<String> warnings;

  AgentConfig(boolean enabled, UpdateStrategy strategy, boolean allowDowngrade,
      MaintenanceWindows windows, String timeZone, String fleetLockBaseUrl, String group,
      String nodeUuid, Double rolloutWariness, Duration pollInterval, List<String> rebootCommand,
      List<Path> sources, Map<String, Path> keySources, List<String> warnings) {
    this.enabled = enabled;
    this.strategy = strategy;
    this.allowDowngrade = allowDowngrade;
    this.windows = windows;
    this.timeZone = timeZone;
    this.fleetLockBaseUrl = fleetLockBaseUrl;
    this.group = group;
    this.nodeUuid = nodeUuid;
    this.rolloutWariness = rolloutWariness;
    this.pollInterval = pollInterval;
    this.rebootCommand = List.copyOf(rebootCommand);
    this.sources = List.copyOf(sources);
    this.keySources = Map.copyOf(keySources);
    this.warnings = List.copyOf(warnings);
  }

  /**
   * Reads the drop-ins of directories.
   *
   * @param dirs the directories, lowest precedence first (e.g. {@link #DEFAULT_DIRS})
   * @return the merged configuration
   * @throws AgentConfigException when a drop-in cannot be used
   * @throws IOException when a directory cannot be listed
   */
  public static AgentConfig load(List<Path> dirs) throws IOException {
    return parse(ConfigDropIns.scan(dirs));
  }

  /**
   * Reads the drop-ins of directories, resolving {@code time_zone = "localtime"} through the
   * given link instead of {@code /etc/localtime}.
   *
   * @param dirs the directories, lowest precedence first
   * @param localtime the link to a zoneinfo file
   * @return the merged configuration
   * @throws AgentConfigException when a drop-in cannot be used
   * @throws IOException when a directory cannot be listed
   */
  public static AgentConfig load(List<Path> dirs, Path localtime) throws IOException {
    return new AgentConfigParser(localtime).parse(ConfigDropIns.scan(dirs));
  }

  /**
   * Merges drop-in files in the given order.
   *
   * @param files the files, later ones winning
   * @return the merged configuration
   * @throws AgentConfigException when a file cannot be used
   */
  public static AgentConfig parse(List<Path> files) throws AgentConfigException {
    return new AgentConfigParser(Path.of("/etc/localtime")).parse(files);
  }

  /** The configuration without any drop-in. */
  public static AgentConfig defaults() {
    try {
      return parse(List.of());
    } catch (AgentConfigException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code updates.enabled}: whether the agent acts at all. */
  public boolean enabled() {
    return enabled;
  }

  /** {@code updates.strategy}. */
  public UpdateStrategy strategy() {
    return strategy;
  }

  /** {@code updates.allow_downgrade}: whether an image older than the running one is staged. */
  public boolean allowDowngrade() {
    return allowDowngrade;
  }

  /** The maintenance windows of the periodic strategy, in their time zone. */
  public MaintenanceWindows windows() {
    return windows;
  }

  /** {@code updates.periodic.time_zone} as configured ({@code UTC} by default). */
  public String timeZone() {
    return timeZone;
  }

  /** {@code updates.fleet_lock.base_url}, a template. */
  public Optional<String> fleetLockBaseUrl() {
    return Optional.ofNullable(fleetLockBaseUrl);
  }

  /** {@code identity.group}. */
  public String group() {
    return group;
  }

  /** {@code identity.node_uuid}, 32 lowercase hex digits, when configured. */
  public Optional<String> nodeUuid() {
    return Optional.ofNullable(nodeUuid);
  }

  /** {@code identity.rollout_wariness}, when configured. */
  public Optional<Double> rolloutWariness() {
    return Optional.ofNullable(rolloutWariness);
  }

  /** How long the agent waits between two cycles. */
  public Duration pollInterval() {
    return pollInterval;
  }

  /** {@code agent.reboot_command}: program and arguments. */
  public List<String> rebootCommand() {
    return rebootCommand;
  }

  /** The drop-ins read, in merge order. */
  public List<Path> sources() {
    return sources;
  }

  /**
   * The drop-in that set a key last.
   *
   * @param key a dotted key, e.g. {@code updates.strategy}
   * @return the file, empty when the key has its default
   */
  public Optional<Path> source(String key) {
    return Optional.ofNullable(keySources.get(key));
  }

  /** Things ignored while reading: unknown keys, Zincati keys that do not apply. */
  public List<String> warnings() {
    return warnings;
  }
}
