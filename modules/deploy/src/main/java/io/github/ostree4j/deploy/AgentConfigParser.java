package io.github.ostree4j.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.github.ostree4j.deploy.internal.FleetLockClient;
import io.github.ostree4j.deploy.internal.NodeIdentity;
import io.github.ostree4j.deploy.internal.UrlTemplate;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads and merges the agent's TOML drop-ins (see {@link AgentConfig}). */
final class AgentConfigParser {

  private static final TomlMapper TOML = new TomlMapper();
  private static final Pattern GROUP = Pattern.compile("[a-zA-Z0-9.-]+");
  private static final Pattern HH_MM = Pattern.compile("([0-9]{1,2}):([0-9]{1,2})");
  private static final Pattern UUID = Pattern.compile(
      "[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}");
  /** Drop-ins are small; a bigger file is a mistake, not a configuration. */
  private static final long MAX_FILE_BYTES = 1 << 20;

  private final Path localtime;

  // merged values
  private boolean enabled = true;
  private String strategy = UpdateStrategy.IMMEDIATE.configName();
  private boolean allowDowngrade;
  private String timeZone = "UTC";
  private final List<MaintenanceWindows.Window> windows = new ArrayList<>();
  private String baseUrl;
  private String group = AgentConfig.DEFAULT_GROUP;
  private String nodeUuid;
  private Double wariness;
  private Long steadySecs;
  private Long pollSecs;
  private List<String> rebootCommand = AgentConfig.DEFAULT_REBOOT_COMMAND;
  private final Map<String, Path> keySources = new HashMap<>();
  private final List<String> warnings = new ArrayList<>();

  // the files read, and the one being read
  private List<Path> files = List.of();
  private Path file;

  AgentConfigParser(Path localtime) {
    this.localtime = localtime;
  }

  AgentConfig parse(List<Path> dropIns) throws AgentConfigException {
    files = List.copyOf(dropIns);
    for (Path f : files) {
      file = f;
      fragment(read(f));
    }
    file = null;
    return build();
  }

  private JsonNode read(Path f) throws AgentConfigException {
    try (InputStream in = Files.newInputStream(f)) {
      byte[] b = in.readNBytes((int) MAX_FILE_BYTES + 1);
      if (b.length > MAX_FILE_BYTES) {
        throw new AgentConfigException(f, null, "larger than " + MAX_FILE_BYTES + " bytes");
      }
      JsonNode n = TOML.readTree(b);
      return n == null ? TOML.createObjectNode() : n;
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? ""
          : "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ": ";
      throw new AgentConfigException(f, null, "not valid TOML: " + where + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new AgentConfigException(f, null, "cannot be read: "
          + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
    }
  }

  // ------------------------------------------------------------------ one file

  private void fragment(JsonNode root) throws AgentConfigException {
    for (Map.Entry<String, JsonNode> e : fields(root)) {
      switch (e.getKey()) {
        case "updates" -> updates(table(e.getValue(), "updates"));
        case "identity" -> identity(table(e.getValue(), "identity"));
        case "agent" -> agent(table(e.getValue(), "agent"));
        case "cincinnati" -> warnings.add(file + ": [cincinnati] is ignored: the agent follows the"
            + " image reference of the deployment");
        default -> unknown(e.getKey());
      }
    }
  }

  private void updates(JsonNode t) throws AgentConfigException {
    for (Map.Entry<String, JsonNode> e : fields(t)) {
      String key = "updates." + e.getKey();
      JsonNode v = e.getValue();
      switch (e.getKey()) {
        case "enabled" -> enabled = bool(v, key);
        case "allow_downgrade" -> allowDowngrade = bool(v, key);
        case "strategy" -> {
          String s = string(v, key);
          if (UpdateStrategy.of(s).isEmpty()) {
            throw new AgentConfigException(file, key, "unknown strategy '" + s
                + "' (immediate, periodic or fleet_lock)");
          }
          strategy = s;
        }
        case "periodic" -> periodic(table(v, key));
        case "fleet_lock" -> fleetLock(table(v, key));
        default -> {
          unknown(key);
          continue;
        }
      }
      if (!e.getKey().equals("periodic") && !e.getKey().equals("fleet_lock")) {
        keySources.put(key, file);
      }
    }
  }

  private void periodic(JsonNode t) throws AgentConfigException {
    for (Map.Entry<String, JsonNode> e : fields(t)) {
      String key = "updates.periodic." + e.getKey();
      switch (e.getKey()) {
        case "time_zone" -> {
          String z = string(e.getValue(), key);
          zone(z, key);
          timeZone = z;
          keySources.put(key, file);
        }
        case "window" -> {
          if (!e.getValue().isArray()) {
            throw new AgentConfigException(file, key, "expected an array of tables"
                + " ([[updates.periodic.window]]), found " + type(e.getValue()));
          }
          int i = 0;
          for (JsonNode w : e.getValue()) {
            window(table(w, key + "[" + i + "]"), key + "[" + i + "]");
            i++;
          }
          keySources.put(key, file);
        }
        default -> unknown(key);
      }
    }
  }

  private void window(JsonNode w, String key) throws AgentConfigException {
    Set<String> known = Set.of("days", "start_time", "length_minutes");
    for (Iterator<String> it = w.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!known.contains(k)) {
        unknown(key + "." + k);
      }
    }
    JsonNode days = required(w, "days", key);
    if (!days.isArray() || days.isEmpty()) {
      throw new AgentConfigException(file, key + ".days", "expected a non-empty array of weekdays,"
          + " e.g. [\"Sat\", \"Sun\"], found " + type(days));
    }
    List<DayOfWeek> ds = new ArrayList<>();
    for (JsonNode d : days) {
      ds.add(weekday(string(d, key + ".days"), key + ".days"));
    }
    String st = string(required(w, "start_time", key), key + ".start_time");
    Matcher m = HH_MM.matcher(st);
    if (!m.matches() || Integer.parseInt(m.group(1)) > 23 || Integer.parseInt(m.group(2)) > 59) {
      throw new AgentConfigException(file, key + ".start_time", "expected a time \"hh:mm\""
          + " (00:00 to 23:59), found \"" + st + "\"");
    }
    LocalTime start = LocalTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    long len = integer(required(w, "length_minutes", key), key + ".length_minutes");
    if (len < 1 || len > MaintenanceWindows.WEEK_MINUTES) {
      throw new AgentConfigException(file, key + ".length_minutes", "expected 1 to "
          + MaintenanceWindows.WEEK_MINUTES + " minutes, found " + len);
    }
    for (DayOfWeek d : ds) {
      windows.add(new MaintenanceWindows.Window(d, start, (int) len));
    }
  }

  private void fleetLock(JsonNode t) throws AgentConfigException {
    for (Map.Entry<String, JsonNode> e : fields(t)) {
      String key = "updates.fleet_lock." + e.getKey();
      if (!e.getKey().equals("base_url")) {
        unknown(key);
        continue;
      }
      String u = string(e.getValue(), key);
      try {
        UrlTemplate.variables(u);
        FleetLockClient.directory(
            UrlTemplate.expand(u, Map.of("basearch", "x", "group", "x", "platform", "x", "stream", "x")));
      } catch (IllegalArgumentException ex) {
        throw new AgentConfigException(file, key, ex.getMessage());
      }
      baseUrl = u;
      keySources.put(key, file);
    }
  }

  private void identity(JsonNode t) throws AgentConfigException {
    for (Map.Entry<String, JsonNode> e : fields(t)) {
      String key = "identity." + e.getKey();
      JsonNode v = e.getValue();
      switch (e.getKey()) {
        case "group" -> {
          String g = string(v, key);
          if (!GROUP.matcher(g).matches()) {
            throw new AgentConfigException(file, key, "expected letters, digits, '.' and '-',"
                + " found \"" + g + "\"");
          }
          group = g;
        }
        case "node_uuid" -> {
          String u = string(v, key);
          if (!UUID.matcher(u).matches()) {
            throw new AgentConfigException(file, key, "expected 32 hex digits, found \"" + u + "\"");
          }
          nodeUuid = u.replace("-", "").toLowerCase(Locale.ROOT);
          if (!NodeIdentity.isId128(nodeUuid)) {
            throw new AgentConfigException(file, key, "expected 32 hex digits, found \"" + u + "\"");
          }
        }
        case "rollout_wariness" -> {
          if (!v.isNumber()) {
            throw new AgentConfigException(file, key, "expected a number from 0.0 to 1.0, found "
                + type(v));
          }
          double w = v.asDouble();
          if (!(w >= 0.0 && w <= 1.0)) {
            throw new AgentConfigException(file, key, "expected a number from 0.0 to 1.0, found " + w);
          }
          wariness = w;
        }
        default -> {
          unknown(key);
          continue;
        }
      }
      keySources.put(key, file);
    }
  }

  private void agent(JsonNode t) throws AgentConfigException {
    for (Map.Entry<String, JsonNode> e : fields(t)) {
      String key = "agent." + e.getKey();
      JsonNode v = e.getValue();
      switch (e.getKey()) {
        case "poll_interval_seconds" -> pollSecs = positive(v, key);
        case "timing" -> {
          for (Map.Entry<String, JsonNode> te : fields(table(v, key))) {
            String tk = key + "." + te.getKey();
            if (te.getKey().equals("steady_interval_secs")) {
              steadySecs = positive(te.getValue(), tk);
              keySources.put(tk, file);
            } else {
              unknown(tk);
            }
          }
          continue;
        }
        case "reboot_command" -> {
          if (!v.isArray() || v.isEmpty()) {
            throw new AgentConfigException(file, key, "expected a non-empty array of strings,"
                + " e.g. [\"systemctl\", \"reboot\"], found " + type(v));
          }
          List<String> cmd = new ArrayList<>();
          for (JsonNode a : v) {
            cmd.add(string(a, key));
          }
          if (cmd.get(0).isEmpty()) {
            throw new AgentConfigException(file, key, "the program name is empty");
          }
          rebootCommand = cmd;
        }
        default -> {
          unknown(key);
          continue;
        }
      }
      keySources.put(key, file);
    }
  }

  // ------------------------------------------------------------------ merged

  private AgentConfig build() throws AgentConfigException {
    UpdateStrategy s = UpdateStrategy.of(strategy).orElseThrow();
    Path strategyFile = keySources.get("updates.strategy");
    if (s == UpdateStrategy.PERIODIC && windows.isEmpty()) {
      throw new AgentConfigException(strategyFile, "updates.strategy", "the periodic strategy"
          + " needs at least one [[updates.periodic.window]]");
    }
    if (s == UpdateStrategy.FLEET_LOCK && baseUrl == null) {
      throw new AgentConfigException(strategyFile, "updates.strategy", "the fleet_lock strategy"
          + " needs [updates.fleet_lock] base_url");
    }
    file = keySources.get("updates.periodic.time_zone");
    ZoneId zone = zone(timeZone, "updates.periodic.time_zone");
    long poll = pollSecs != null ? pollSecs : steadySecs != null ? steadySecs
        : AgentConfig.DEFAULT_POLL_INTERVAL.toSeconds();
    return new AgentConfig(enabled, s, allowDowngrade, MaintenanceWindows.of(windows, zone),
        timeZone, baseUrl, group, nodeUuid, wariness, Duration.ofSeconds(poll), rebootCommand,
        files, keySources, warnings);
  }

  private ZoneId zone(String name, String key) throws AgentConfigException {
    if (name.equals("localtime")) {
      try {
        if (!Files.isSymbolicLink(localtime)) {
          return ZoneId.of("UTC");
        }
        Path target = localtime.getParent().resolve(Files.readSymbolicLink(localtime)).normalize();
        String t = target.toString();
        int at = t.indexOf("/zoneinfo/");
        String id = at < 0 ? "" : t.substring(at + "/zoneinfo/".length());
        if (id.startsWith("posix/") || id.startsWith("right/")) {
          id = id.substring(6);
        }
        if (!ZoneId.getAvailableZoneIds().contains(id)) {
          throw new AgentConfigException(file, key, "\"localtime\": " + localtime + " points to "
              + target + ", which is not a known time zone");
        }
        return ZoneId.of(id);
      } catch (IOException e) {
        throw new AgentConfigException(file, key, "\"localtime\": reading " + localtime + ": "
            + e.getMessage(), e);
      }
    }
    if (!ZoneId.getAvailableZoneIds().contains(name)) {
      throw new AgentConfigException(file, key, "unknown time zone \"" + name
          + "\" (an IANA name like \"Europe/Berlin\", \"UTC\" or \"localtime\")");
    }
    return ZoneId.of(name);
  }

  // ------------------------------------------------------------------ values

  private DayOfWeek weekday(String s, String key) throws AgentConfigException {
    String d = s.toLowerCase(Locale.ROOT);
    for (DayOfWeek w : DayOfWeek.values()) {
      String full = w.name().toLowerCase(Locale.ROOT);
      if (d.equals(full) || d.equals(full.substring(0, 3))) {
        return w;
      }
    }
    throw new AgentConfigException(file, key, "unknown weekday \"" + s
        + "\" (Mon to Sun, or Monday to Sunday)");
  }

  private List<Map.Entry<String, JsonNode>> fields(JsonNode t) {
    List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
    t.fields().forEachRemaining(out::add);
    return out;
  }

  private JsonNode table(JsonNode v, String key) throws AgentConfigException {
    if (!v.isObject()) {
      throw new AgentConfigException(file, key, "expected a table, found " + type(v));
    }
    return v;
  }

  private JsonNode required(JsonNode t, String name, String key) throws AgentConfigException {
    JsonNode v = t.get(name);
    if (v == null) {
      throw new AgentConfigException(file, key + "." + name, "missing");
    }
    return v;
  }

  private boolean bool(JsonNode v, String key) throws AgentConfigException {
    if (!v.isBoolean()) {
      throw new AgentConfigException(file, key, "expected true or false, found " + type(v));
    }
    return v.booleanValue();
  }

  private String string(JsonNode v, String key) throws AgentConfigException {
    if (!v.isTextual()) {
      throw new AgentConfigException(file, key, "expected a string, found " + type(v));
    }
    return v.textValue();
  }

  private long integer(JsonNode v, String key) throws AgentConfigException {
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw new AgentConfigException(file, key, "expected an integer, found " + type(v));
    }
    return v.longValue();
  }

  private long positive(JsonNode v, String key) throws AgentConfigException {
    long n = integer(v, key);
    if (n < 1) {
      throw new AgentConfigException(file, key, "expected a positive number of seconds, found " + n);
    }
    return n;
  }

  private void unknown(String key) {
    warnings.add(file + ": unknown key " + key + " is ignored");
  }

  private static String type(JsonNode v) {
    if (v.isTextual()) {
      return "the string \"" + v.textValue() + "\"";
    }
    if (v.isBoolean() || v.isNumber()) {
      return v.toString();
    }
    return v.isArray() ? "an array" : v.isObject() ? "a table" : v.getNodeType().toString().toLowerCase(Locale.ROOT);
  }
}
