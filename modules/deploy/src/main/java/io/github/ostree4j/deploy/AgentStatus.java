package io.github.ostree4j.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ostree4j.deploy.internal.AgentState;
import io.github.ostree4j.deploy.internal.AgentStateStore;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code ostree4j agent --status} shows: the configuration in effect (its drop-ins, or why
 * it cannot be used), the strategy with its windows or FleetLock server, the image followed, the
 * deployment running and one staged (a pending reboot), the last check and update, a requested
 * reboot, the FleetLock slot held and the counters of the state file. Immutable; {@link
 * #toJson()} is the document, {@link #toText()} its rendering for people.
 */
public final class AgentStatus {

  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ObjectNode root;

  private AgentStatus(ObjectNode root) {
    this.root = root;
  }

  static AgentStatus of(UpdateAgent agent, AgentConfig cfg, String configError) throws IOException {
    ObjectNode root = F.objectNode();
    Instant now = agent.clockOf().instant();
    root.put("time", AgentCycle.time(now));
    root.put("sysroot", agent.sysroot().toString());
    root.set("config", config(agent, cfg, configError, now));

    Sysroot s = Sysroot.open(agent.sysroot());
    String os = s.stateroots().isEmpty() ? null : s.stateroot(agent.staterootName());
    root.put("stateroot", os);
    Optional<Deployment> dflt = os == null ? Optional.empty() : s.defaultDeployment(os);
    AgentStateStore store = os == null ? null : agent.store(s, os);
    AgentState st = new AgentState();
    if (store != null) {
      root.put("stateFile", store.file().toString());
      try {
        st = store.readExisting().orElse(st);
      } catch (AgentStateStore.CorruptStateException e) {
        root.put("stateError", e.getMessage());
      }
    }
    Optional<Deployment> running = s.bootedDeployment();
    if (running.isEmpty() && st.booted != null) {
      String id = st.booted;
      running = s.deployments().stream().filter(d -> AgentCycle.id(d).equals(id)).findFirst();
    }
    if (running.isEmpty()) {
      running = dflt;
    }
    root.put("image", dflt.flatMap(Deployment::imageReference).orElse(null));
    root.set("running", deployment(running));
    boolean pending = running.isPresent() && dflt.isPresent() && !running.get().sameAs(dflt.get());
    root.set("staged", pending ? deployment(dflt) : F.nullNode());
    root.put("pendingReboot", pending);
    JsonNode state = JSON.valueToTree(st);
    for (String k : new String[] {"lastCheck", "lastUpdate", "reboot", "lastReboot", "fleetLock"}) {
      root.set(k.equals("reboot") ? "rebootRequested" : k, state.has(k) ? state.get(k) : F.nullNode());
    }
    root.set("counters", state.get("counters"));
    return new AgentStatus(root);
  }

  private static ObjectNode config(UpdateAgent agent, AgentConfig cfg, String error, Instant now) {
    ObjectNode c = F.objectNode();
    ArrayNode dirs = c.putArray("dirs");
    agent.configDirsOf().forEach(d -> dirs.add(d.toString()));
    c.put("error", error);
    if (cfg == null) {
      return c;
    }
    ArrayNode files = c.putArray("files");
    cfg.sources().forEach(f -> files.add(f.toString()));
    ArrayNode warnings = c.putArray("warnings");
    cfg.warnings().forEach(warnings::add);
    c.put("enabled", cfg.enabled());
    c.put("strategy", cfg.strategy().configName());
    c.put("allowDowngrade", cfg.allowDowngrade());
    c.put("pollIntervalSeconds", cfg.pollInterval().toSeconds());
    ArrayNode cmd = c.putArray("rebootCommand");
    cfg.rebootCommand().forEach(cmd::add);
    ObjectNode id = c.putObject("identity");
    id.put("group", cfg.group());
    try {
      id.put("nodeUuid", AgentIdentity.nodeId(agent, cfg));
    } catch (IOException e) {
      id.putNull("nodeUuid");
      id.put("nodeUuidError", e.getMessage());
    }
    if (cfg.rolloutWariness().isPresent()) {
      id.put("rolloutWariness", cfg.rolloutWariness().get());
    } else {
      id.putNull("rolloutWariness");
    }
    ObjectNode p = c.putObject("periodic");
    p.put("timeZone", cfg.timeZone());
    p.put("zone", cfg.windows().zone().getId());
    ArrayNode ws = p.putArray("windows");
    cfg.windows().windows().forEach(w -> ws.add(w.toString()));
    p.put("nextWindow", cfg.windows().nextOpening(now).map(Instant::toString).orElse(null));
    c.putObject("fleetLock").put("baseUrl", cfg.fleetLockBaseUrl().orElse(null));
    return c;
  }

  private static JsonNode deployment(Optional<Deployment> d) {
    if (d.isEmpty()) {
      return F.nullNode();
    }
    ObjectNode n = F.objectNode();
    n.put("deployment", AgentCycle.id(d.get()));
    n.put("digest", d.get().imageDigest().orElse(null));
    n.put("version", d.get().version().orElse(null));
    return n;
  }

  /** The status document. */
  public ObjectNode toJson() {
    return root.deepCopy();
  }

  /**
   * The status document as indented JSON.
   *
   * @return the text, newline terminated
   */
  public String toJsonText() {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The strategy in effect, when the configuration could be read. */
  public Optional<UpdateStrategy> strategy() {
    return UpdateStrategy.of(root.at("/config/strategy").asText(""));
  }

  /** Whether a staged update waits for a reboot. */
  public boolean pendingReboot() {
    return root.path("pendingReboot").asBoolean();
  }

  /** Whether the node holds a FleetLock slot. */
  public boolean holdsLock() {
    return root.path("fleetLock").isObject();
  }

  /** The result of the last check ({@code no-update}, {@code staged}, {@code error}, …). */
  public Optional<String> lastCheckResult() {
    return Optional.ofNullable(root.at("/lastCheck/result").textValue());
  }

  /**
   * The status for people.
   *
   * @return the text, newline terminated
   */
  public String toText() {
    StringBuilder sb = new StringBuilder();
    JsonNode c = root.get("config");
    ArrayNode files = (ArrayNode) c.get("files");
    if (files != null) {
      line(sb, "Configuration", files.isEmpty() ? "defaults (no drop-ins in " + join(c.get("dirs")) + ")"
          : join(files));
    }
    if (!c.path("error").isNull() && c.has("error")) {
      line(sb, "Config error", c.get("error").asText());
    }
    if (c.has("warnings")) {
      for (JsonNode w : c.get("warnings")) {
        line(sb, "Config warning", w.asText());
      }
    }
    if (c.has("strategy")) {
      line(sb, "Updates", c.get("enabled").asBoolean() ? "enabled" : "disabled");
      String strategy = c.get("strategy").asText();
      if (strategy.equals("periodic")) {
        JsonNode p = c.get("periodic");
        strategy += ": " + join(p.get("windows")) + " (" + p.get("zone").asText() + ")";
        if (p.hasNonNull("nextWindow")) {
          strategy += "; next window " + p.get("nextWindow").asText();
        }
      } else if (strategy.equals("fleet_lock")) {
        strategy += ": " + c.at("/fleetLock/baseUrl").asText();
      }
      line(sb, "Strategy", strategy);
      line(sb, "Poll interval", c.get("pollIntervalSeconds").asLong() + " s");
      JsonNode id = c.get("identity");
      line(sb, "Identity", "group " + id.get("group").asText() + ", node "
          + (id.get("nodeUuid").isNull() ? "unknown (" + id.path("nodeUuidError").asText() + ")"
              : id.get("nodeUuid").asText()));
      List<String> cmd = new ArrayList<>();
      c.get("rebootCommand").forEach(a -> cmd.add(a.asText()));
      line(sb, "Reboot command", String.join(" ", cmd));
    }
    line(sb, "Following", text(root.get("image"), "(nothing: no container image deployed)"));
    line(sb, "Running", describe(root.get("running")));
    if (root.get("pendingReboot").asBoolean()) {
      line(sb, "Staged", describe(root.get("staged")) + "; reboot pending");
    }
    JsonNode lc = root.get("lastCheck");
    if (lc.isObject()) {
      line(sb, "Last check", lc.path("time").asText() + " " + lc.path("result").asText()
          + (lc.hasNonNull("digest") ? " " + lc.get("digest").asText() : "")
          + (lc.hasNonNull("error") ? ": " + lc.get("error").asText() : ""));
    } else {
      line(sb, "Last check", "never");
    }
    JsonNode lu = root.get("lastUpdate");
    if (lu.isObject()) {
      line(sb, "Last update", lu.path("time").asText() + " " + lu.path("digest").asText()
          + (lu.hasNonNull("version") ? " (version " + lu.get("version").asText() + ")" : "")
          + " as " + lu.path("deployment").asText());
    }
    JsonNode rr = root.get("rebootRequested");
    if (rr.isObject()) {
      line(sb, "Reboot requested", rr.path("time").asText() + " into " + rr.path("deployment").asText());
    }
    JsonNode lr = root.get("lastReboot");
    if (lr.isObject()) {
      line(sb, "Last reboot", lr.path("time").asText() + " into " + lr.path("deployment").asText()
          + (lr.hasNonNull("completed") ? ", running since " + lr.get("completed").asText() : ""));
    }
    JsonNode fl = root.get("fleetLock");
    line(sb, "FleetLock slot", fl.isObject() ? "held since " + fl.path("since").asText() + " at "
        + fl.path("baseUrl").asText() + " (group " + fl.path("group").asText() + ")" : "not held");
    JsonNode k = root.get("counters");
    if (k != null) {
      StringBuilder cs = new StringBuilder();
      for (Iterator<Map.Entry<String, JsonNode>> it = k.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        cs.append(cs.length() == 0 ? "" : ", ").append(e.getKey()).append(' ').append(e.getValue().asText());
      }
      line(sb, "Counters", cs.toString());
    }
    if (root.hasNonNull("stateFile")) {
      line(sb, "State file", root.get("stateFile").asText()
          + (root.hasNonNull("stateError") ? " (" + root.get("stateError").asText() + ")" : ""));
    }
    return sb.toString();
  }

  private static String describe(JsonNode d) {
    if (d == null || !d.isObject()) {
      return "(no deployment)";
    }
    return d.get("deployment").asText() + (d.hasNonNull("digest") ? " " + d.get("digest").asText() : "")
        + (d.hasNonNull("version") ? " (version " + d.get("version").asText() + ")" : "");
  }

  private static String text(JsonNode n, String otherwise) {
    return n == null || n.isNull() ? otherwise : n.asText();
  }

  private static String join(JsonNode array) {
    StringBuilder sb = new StringBuilder();
    for (JsonNode n : array) {
      sb.append(sb.length() == 0 ? "" : ", ").append(n.asText());
    }
    return sb.toString();
  }

  private static void line(StringBuilder sb, String key, String value) {
    sb.append(" ".repeat(Math.max(0, 16 - key.length()))).append(key).append(": ").append(value)
        .append('\n');
  }
}
