package io.github.ostree4j.deploy;

import io.github.ostree4j.container.ContainerStore;
import io.github.ostree4j.deploy.UpdateAgent.Outcome;
import io.github.ostree4j.deploy.internal.AgentState;
import io.github.ostree4j.deploy.internal.AgentStateStore;
import io.github.ostree4j.deploy.internal.FleetLockClient;
import io.github.ostree4j.deploy.internal.RebootCommand;
import io.github.ostree4j.transport.InvalidReferenceException;
import io.github.ostree4j.transport.OstreeImageReference;
import java.io.Closeable;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** One cycle of the {@link UpdateAgent}: see its description for the steps. */
final class AgentCycle {

  private final UpdateAgent agent;
  private final AgentConfig cfg;
  private final Instant now;
  private AgentStateStore store;
  private AgentState st;
  private boolean live;

  AgentCycle(UpdateAgent agent, AgentConfig cfg) {
    this.agent = agent;
    this.cfg = cfg;
    this.now = agent.clockOf().instant();
  }

  /** Whether the sysroot is the running system (its booted deployment is known). */
  boolean liveSystem() {
    return live;
  }

  Outcome run() throws IOException {
    Sysroot s = Sysroot.open(agent.sysroot());
    if (s.stateroots().isEmpty()) {
      agent.emit(agent.line("warn", "idle").with("reason", "no stateroot in " + s.path()));
      return Outcome.IDLE;
    }
    String os = s.stateroot(agent.staterootName());
    Optional<Deployment> def = s.defaultDeployment(os);
    if (def.isEmpty()) {
      agent.emit(agent.line("warn", "idle").with("reason", "no deployment").with("stateroot", os));
      return Outcome.IDLE;
    }
    live = s.bootedDeployment().isPresent();
    store = agent.store(s, os);
    Optional<Closeable> lock = store.tryLock();
    if (lock.isEmpty()) {
      agent.emit(agent.line("warn", "idle").with("reason", "another agent cycle is running")
          .with("state", store.file()));
      return Outcome.IDLE;
    }
    try (Closeable held = lock.get()) {
      st = readState();
      return locked(s, os, def.get());
    }
  }

  private AgentState readState() throws IOException {
    try {
      return store.read();
    } catch (AgentStateStore.CorruptStateException e) {
      java.nio.file.Path aside = store.moveAside();
      agent.emit(agent.line("warn", "state-reset").with("reason", e.getMessage())
          .with("moved_to", aside));
      return new AgentState();
    }
  }

  private Outcome locked(Sysroot s, String os, Deployment dflt) throws IOException {
    Deployment booted = booted(s, os, dflt);
    if (booted == null) {
      agent.emit(agent.line("warn", "idle").with("reason", "the booted deployment is not of stateroot " + os));
      return Outcome.IDLE;
    }
    if (st.reboot != null && st.reboot.deployment.equals(id(booted))) {
      st.reboot.completed = time(now);
      st.lastReboot = st.reboot;
      st.reboot = null;
      agent.emit(agent.line("info", "rebooted").with("deployment", id(booted))
          .with("digest", booted.imageDigest().orElse(null)));
    }
    if (st.fleetLock != null && booted.sameAs(dflt)) {
      if (!release()) {
        save();
        return Outcome.FAILED;
      }
    }
    save();
    if (booted.sameAs(dflt)) {
      Outcome o = checkAndStage(dflt, booted);
      if (o != null) {
        return o;
      }
      s = s.reload();
      dflt = s.defaultDeployment(os).orElseThrow();
      if (booted.sameAs(dflt)) {
        return Outcome.NO_UPDATE;
      }
    }
    return finalizeUpdate(dflt);
  }

  /** The deployment the node runs (see {@link UpdateAgent}); null when it is of another stateroot. */
  private Deployment booted(Sysroot s, String os, Deployment dflt) {
    if (live) {
      Deployment b = s.bootedDeployment().get();
      return b.stateroot().equals(os) ? b : null;
    }
    if (st.booted != null) {
      for (Deployment d : s.deployments()) {
        if (id(d).equals(st.booted)) {
          return d;
        }
      }
      agent.emit(agent.line("warn", "booted-reset").with("reason", "deployment " + st.booted
          + " is gone").with("deployment", id(dflt)));
    }
    st.booted = id(dflt);
    return dflt;
  }

  // ------------------------------------------------------------------ check and stage

  /** Checks the followed image and stages a new digest; null when one was staged. */
  private Outcome checkAndStage(Deployment dflt, Deployment booted) throws IOException {
    Optional<String> text = dflt.imageReference();
    if (text.isEmpty()) {
      agent.emit(agent.line("info", "idle").with("reason", "the default deployment is not of a"
          + " container image").with("deployment", id(dflt)));
      return Outcome.IDLE;
    }
    OstreeImageReference ref;
    try {
      ref = OstreeImageReference.parse(text.get());
    } catch (InvalidReferenceException e) {
      agent.emit(agent.line("error", "check-failed").with("image", text.get())
          .with("reason", "invalid image reference in the origin: " + e.getMessage()));
      return Outcome.FAILED;
    }
    AgentState.Check c = new AgentState.Check();
    c.time = time(now);
    c.image = ref.toString();
    st.lastCheck = c;
    UpdateAgent.counters(st).checks++;
    ContainerStore.FetchedImage f;
    try {
      f = ContainerStore.fetchManifest(ref, agent.transportOptions());
    } catch (IOException e) {
      return checkFailed(c, "check-failed", "reading the manifest of " + ref.imageReference() + ": "
          + UpdateAgent.reason(e));
    }
    String digest = f.manifestResponse().digest().toString();
    c.digest = digest;
    if (dflt.imageDigest().equals(Optional.of(digest))) {
      c.result = "no-update";
      save();
      agent.emit(agent.line("info", "no-update").with("image", ref).with("digest", digest));
      return Outcome.NO_UPDATE;
    }
    Optional<Instant> created = f.config().created().flatMap(AgentCycle::instant);
    if (!cfg.allowDowngrade() && created.isPresent() && booted.timestamp().isPresent()
        && created.get().isBefore(booted.timestamp().get())) {
      c.result = "downgrade-refused";
      save();
      agent.emit(agent.line("warn", "downgrade-refused").with("image", ref).with("digest", digest)
          .with("created", created.get()).with("running_created", booted.timestamp().get()));
      return Outcome.IDLE;
    }
    c.result = "update-available";
    save();
    agent.emit(agent.line("info", "update-available").with("image", ref).with("digest", digest));
    UpdateResult r;
    try {
      r = Node.of(agent.sysroot()).stateroot(dflt.stateroot()).transport(agent.transportOptions())
          .platform(agent.platformOf())
          .messages(m -> agent.emit(agent.line("info", "progress").with("message", m)))
          .upgrade(f);
    } catch (IOException e) {
      return checkFailed(c, "stage-failed", UpdateAgent.reason(e));
    }
    if (r.deployed().isEmpty()) {
      c.result = "no-update";
      c.digest = r.digest();
      save();
      agent.emit(agent.line("info", "no-update").with("image", ref).with("digest", r.digest()));
      return Outcome.NO_UPDATE;
    }
    Deployment nd = r.deployed().get().deployment();
    AgentState.Update u = new AgentState.Update();
    u.time = time(agent.clockOf().instant());
    u.image = r.image();
    u.digest = r.digest();
    u.version = nd.version().orElse(null);
    u.deployment = id(nd);
    u.layersFetched = r.layersFetched();
    u.bytesFetched = r.bytesFetched();
    st.lastUpdate = u;
    c.result = "staged";
    c.digest = r.digest();
    UpdateAgent.counters(st).updatesStaged++;
    save();
    agent.emit(agent.line("info", "update-staged").with("image", u.image).with("digest", u.digest)
        .with("version", u.version).with("deployment", u.deployment)
        .with("layers_fetched", u.layersFetched).with("bytes_fetched", u.bytesFetched));
    return null;
  }

  private Outcome checkFailed(AgentState.Check c, String event, String reason) throws IOException {
    c.result = "error";
    c.error = reason;
    UpdateAgent.counters(st).checkErrors++;
    save();
    agent.emit(agent.line("error", event).with("image", c.image).with("reason", reason));
    return Outcome.FAILED;
  }

  // ------------------------------------------------------------------ finalize

  private Outcome finalizeUpdate(Deployment dflt) throws IOException {
    if (live && (agent.rebootRequested() || recentRebootRequest(dflt))) {
      agent.emit(agent.line("info", "awaiting-reboot").with("deployment", id(dflt)));
      return Outcome.AWAITING_REBOOT;
    }
    switch (cfg.strategy()) {
      case PERIODIC -> {
        MaintenanceWindows w = cfg.windows();
        if (!w.contains(now)) {
          agent.emit(agent.line("info", "reboot-deferred").with("reason", "outside the maintenance windows")
              .with("deployment", id(dflt)).with("digest", dflt.imageDigest().orElse(null))
              .with("next_window", w.nextOpening(now).map(Instant::toString).orElse("none"))
              .with("time_zone", w.zone()));
          return Outcome.REBOOT_DEFERRED;
        }
      }
      case FLEET_LOCK -> {
        Outcome o = acquire(dflt);
        if (o != null) {
          return o;
        }
      }
      default -> { }
    }
    return reboot(dflt);
  }

  /**
   * Whether a reboot into {@code dflt} was requested less than {@link UpdateAgent#REBOOT_GRACE}
   * ago (by this or an earlier process): the system is shutting down, asking again would only run
   * the reboot command twice.
   */
  private boolean recentRebootRequest(Deployment dflt) {
    if (st.reboot == null || !id(dflt).equals(st.reboot.deployment)) {
      return false;
    }
    try {
      Instant asked = Instant.parse(st.reboot.time);
      return !now.isBefore(asked) && now.isBefore(asked.plus(UpdateAgent.REBOOT_GRACE));
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  /** Asks for a reboot slot; null when granted. */
  private Outcome acquire(Deployment dflt) throws IOException {
    AgentIdentity ident;
    FleetLockClient client;
    try {
      ident = AgentIdentity.of(agent, cfg, dflt);
      client = ident.fleetLock(cfg);
    } catch (IOException | IllegalArgumentException e) {
      UpdateAgent.counters(st).lockErrors++;
      save();
      agent.emit(agent.line("error", "lock-request-failed").with("reason", UpdateAgent.reason(e)));
      return Outcome.FAILED;
    }
    FleetLockClient.Answer a;
    try {
      a = client.preReboot();
    } catch (IOException e) {
      UpdateAgent.counters(st).lockErrors++;
      save();
      agent.emit(agent.line("error", "lock-request-failed")
          .with("url", client.base().resolve(FleetLockClient.PRE_REBOOT))
          .with("reason", UpdateAgent.reason(e)));
      return Outcome.FAILED;
    }
    if (!a.ok()) {
      UpdateAgent.counters(st).lockDenied++;
      save();
      agent.emit(agent.line("warn", "lock-denied").with("url", a.endpoint()).with("status", a.status())
          .with("kind", a.kind()).with("value", a.value()).with("deployment", id(dflt)));
      return Outcome.LOCK_DENIED;
    }
    if (st.fleetLock == null) {
      st.fleetLock = new AgentState.Lock();
      st.fleetLock.since = time(now);
    }
    st.fleetLock.baseUrl = client.base().toString();
    st.fleetLock.id = ident.nodeId();
    st.fleetLock.group = ident.group();
    save();
    agent.emit(agent.line("info", "lock-acquired").with("url", a.endpoint()).with("status", a.status())
        .with("deployment", id(dflt)));
    return null;
  }

  /** Gives the slot back; whether that worked. */
  private boolean release() {
    AgentState.Lock l = st.fleetLock;
    FleetLockClient client;
    try {
      client = new FleetLockClient(l.baseUrl, l.id, l.group, UpdateAgent.FLEET_LOCK_TIMEOUT);
    } catch (RuntimeException e) {
      agent.emit(agent.line("error", "lock-release-failed").with("reason", "the recorded slot is"
          + " unusable (" + e.getMessage() + "); forgetting it"));
      st.fleetLock = null;
      return true;
    }
    try {
      FleetLockClient.Answer a = client.steadyState();
      if (a.ok()) {
        st.fleetLock = null;
        agent.emit(agent.line("info", "lock-released").with("url", a.endpoint()).with("status", a.status()));
        return true;
      }
      UpdateAgent.counters(st).lockErrors++;
      agent.emit(agent.line("error", "lock-release-failed").with("url", a.endpoint())
          .with("status", a.status()).with("kind", a.kind()).with("value", a.value()));
    } catch (IOException e) {
      UpdateAgent.counters(st).lockErrors++;
      agent.emit(agent.line("error", "lock-release-failed")
          .with("url", client.base().resolve(FleetLockClient.STEADY_STATE))
          .with("reason", UpdateAgent.reason(e)));
    }
    return false;
  }

  private Outcome reboot(Deployment dflt) throws IOException {
    AgentState.Reboot r = new AgentState.Reboot();
    r.time = time(now);
    r.deployment = id(dflt);
    r.digest = dflt.imageDigest().orElse(null);
    st.reboot = r;
    save();
    agent.emit(agent.line("info", "reboot").with("deployment", r.deployment).with("digest", r.digest)
        .with("strategy", cfg.strategy()).with("command", String.join(" ", cfg.rebootCommand())));
    RebootCommand.Result res = RebootCommand.run(cfg.rebootCommand(), UpdateAgent.REBOOT_TIMEOUT);
    if (!res.ok()) {
      st.reboot = null;
      save();
      agent.emit(agent.line("error", "reboot-failed").with("command", String.join(" ", cfg.rebootCommand()))
          .with("exit", res.exitCode()).with("reason", res.failure().isEmpty() ? null : res.failure())
          .with("output", res.output().isEmpty() ? null : res.output()));
      return Outcome.FAILED;
    }
    UpdateAgent.counters(st).reboots++;
    if (!live) {
      st.booted = r.deployment;
    }
    save();
    return Outcome.REBOOTING;
  }

  // ------------------------------------------------------------------ helpers

  private void save() throws IOException {
    store.write(st);
  }

  static String id(Deployment d) {
    return d.stateroot() + "/" + d.dirName();
  }

  static String time(Instant t) {
    return t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
  }

  private static Optional<Instant> instant(String rfc3339) {
    try {
      return Optional.of(OffsetDateTime.parse(rfc3339).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
