package io.github.ostree4j.deploy;

import java.util.Optional;

/** When a staged update is finalized (the node rebooted into it): Zincati's strategies. */
public enum UpdateStrategy {
  /** Reboot as soon as an update is staged. */
  IMMEDIATE("immediate"),
  /** Reboot only inside a maintenance window ({@code [[updates.periodic.window]]}). */
  PERIODIC("periodic"),
  /** Reboot after a FleetLock server granted a slot ({@code [updates.fleet_lock] base_url}). */
  FLEET_LOCK("fleet_lock");

  private final String configName;

  UpdateStrategy(String configName) {
    this.configName = configName;
  }

  /** The name in {@code [updates] strategy}. */
  public String configName() {
    return configName;
  }

  /**
   * The strategy of a configuration value.
   *
   * @param name e.g. {@code fleet_lock}
   * @return the strategy, empty when unknown
   */
  public static Optional<UpdateStrategy> of(String name) {
    for (UpdateStrategy s : values()) {
      if (s.configName.equals(name)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return configName;
  }
}
