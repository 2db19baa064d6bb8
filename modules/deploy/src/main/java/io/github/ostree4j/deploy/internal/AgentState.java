package io.github.ostree4j.deploy.internal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What the update agent remembers between cycles and across restarts, stored as JSON by {@link
 * AgentStateStore}. Times are RFC 3339 (UTC) strings, deployments {@code STATEROOT/COMMIT.SERIAL}.
 * A plain data holder: one cycle at a time reads, changes and writes it.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class AgentState {

  /** Format version of the file. */
  public int version = 1;
  /**
   * The deployment the node runs, for a sysroot that is not the running system: the default one
   * when the agent first saw the sysroot, then each deployment the reboot command was run for.
   */
  public String booted;
  /** The last check of the followed image. */
  public Check lastCheck;
  /** The last update staged. */
  public Update lastUpdate;
  /** A reboot requested (the command ran or is about to) and not yet seen completed. */
  public Reboot reboot;
  /** The last reboot seen completed: the node runs the deployment it was for. */
  public Reboot lastReboot;
  /** The FleetLock slot held, if any. */
  public Lock fleetLock;
  /** Counters since the state was created. */
  public Counters counters = new Counters();

  /** One check. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static final class Check {
    /** When. */
    public String time;
    /** The image reference checked. */
    public String image;
    /** {@code no-update}, {@code update-available}, {@code staged}, {@code downgrade-refused}, {@code error}. */
    public String result;
    /** The manifest digest found. */
    public String digest;
    /** Why the check failed. */
    public String error;
  }

  /** One staged update. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static final class Update {
    /** When it was staged. */
    public String time;
    /** The image reference. */
    public String image;
    /** The manifest digest. */
    public String digest;
    /** The image's version, if it has one. */
    public String version;
    /** The new deployment. */
    public String deployment;
    /** Layers downloaded. */
    public int layersFetched;
    /** Bytes of layers downloaded. */
    public long bytesFetched;
  }

  /** One reboot. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static final class Reboot {
    /** When it was requested. */
    public String time;
    /** The deployment it boots into. */
    public String deployment;
    /** That deployment's manifest digest. */
    public String digest;
    /** When the node was seen running that deployment. */
    public String completed;
  }

  /** A FleetLock slot. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static final class Lock {
    /** When it was granted. */
    public String since;
    /** The server's base URL (expanded). */
    public String baseUrl;
    /** The node id it was taken with. */
    public String id;
    /** The group it was taken in. */
    public String group;
  }

  /** Counters. */
  public static final class Counters {
    /** Checks of the followed image. */
    public long checks;
    /** Checks that failed. */
    public long checkErrors;
    /** Updates staged. */
    public long updatesStaged;
    /** Reboot commands run successfully. */
    public long reboots;
    /** FleetLock refusals. */
    public long lockDenied;
    /** FleetLock requests that got no answer. */
    public long lockErrors;
  }
}
