package io.github.ostree4j.deploy;

import io.github.ostree4j.container.ContainerStore;
import io.github.ostree4j.deploy.internal.FleetLockClient;
import io.github.ostree4j.deploy.internal.NodeIdentity;
import io.github.ostree4j.deploy.internal.UrlTemplate;
import io.github.ostree4j.transport.InvalidReferenceException;
import io.github.ostree4j.transport.OstreeImageReference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Who the node is to a FleetLock server: its id ({@code identity.node_uuid}, else the
 * application-specific machine id Zincati uses) and group, and the values of the URL template
 * variables: {@code basearch} (rpm's name of the architecture, e.g. {@code x86_64}), {@code
 * group}, {@code platform} ({@code ignition.platform.id=} of the kernel command line) and {@code
 * stream} (the {@code com.coreos.stream} label of the default deployment's image).
 */
final class AgentIdentity {

  /** The image label naming the update stream, as Zincati reads it. */
  static final String LABEL_STREAM = "com.coreos.stream";

  private final String nodeId;
  private final String group;
  private final Map<String, String> variables;

  private AgentIdentity(String nodeId, String group, Map<String, String> variables) {
    this.nodeId = nodeId;
    this.group = group;
    this.variables = variables;
  }

  static AgentIdentity of(UpdateAgent agent, AgentConfig cfg, Deployment dflt) throws IOException {
    String id = nodeId(agent, cfg);
    Map<String, String> vars = new HashMap<>();
    vars.put("basearch", basearch(agent.platformOf().architecture()));
    vars.put("group", cfg.group());
    platform(agent.cmdlineFileOf()).ifPresent(p -> vars.put("platform", p));
    if (cfg.fleetLockBaseUrl().map(u -> u.contains("${stream}")).orElse(false)) {
      stream(agent.sysroot(), dflt).ifPresent(s -> vars.put("stream", s));
    }
    return new AgentIdentity(id, cfg.group(), vars);
  }

  /** The node id: configured, else derived from the machine id. */
  static String nodeId(UpdateAgent agent, AgentConfig cfg) throws IOException {
    if (cfg.nodeUuid().isPresent()) {
      return cfg.nodeUuid().get();
    }
    try {
      return NodeIdentity.appSpecific(NodeIdentity.readMachineId(agent.machineIdFileOf()),
          NodeIdentity.ZINCATI_APP_ID);
    } catch (IOException e) {
      throw new IOException("no node id: " + e.getMessage() + "; set [identity] node_uuid", e);
    }
  }

  String nodeId() {
    return nodeId;
  }

  String group() {
    return group;
  }

  /** The client for the configured FleetLock server. */
  FleetLockClient fleetLock(AgentConfig cfg) {
    String template = cfg.fleetLockBaseUrl().orElseThrow(() ->
        new IllegalArgumentException("no [updates.fleet_lock] base_url"));
    String url;
    try {
      url = UrlTemplate.expand(template, variables);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("expanding updates.fleet_lock.base_url " + template + ": "
          + e.getMessage(), e);
    }
    return new FleetLockClient(url, nodeId, group, UpdateAgent.FLEET_LOCK_TIMEOUT);
  }

  /** rpm's base architecture of an OCI architecture name. */
  static String basearch(String ociArch) {
    switch (ociArch) {
      case "amd64":
        return "x86_64";
      case "arm64":
        return "aarch64";
      case "386":
        return "i386";
      default:
        return ociArch;
    }
  }

  private static Optional<String> platform(Path cmdline) {
    try {
      for (String arg : Files.readString(cmdline, StandardCharsets.UTF_8).strip().split("\\s+")) {
        if (arg.startsWith("ignition.platform.id=") && arg.length() > "ignition.platform.id=".length()) {
          return Optional.of(arg.substring("ignition.platform.id=".length()));
        }
      }
    } catch (IOException e) {
      // no command line: no platform
    }
    return Optional.empty();
  }

  private static Optional<String> stream(Path sysroot, Deployment dflt) throws IOException {
    Optional<String> ref = dflt.imageReference();
    if (ref.isEmpty()) {
      return Optional.empty();
    }
    String image;
    try {
      image = OstreeImageReference.parse(ref.get()).imageReference().toString();
    } catch (InvalidReferenceException e) {
      return Optional.empty();
    }
    return new ContainerStore(Sysroot.open(sysroot).repo()).query(image)
        .map(si -> si.config().labels().get(LABEL_STREAM))
        .filter(v -> !v.isEmpty());
  }
}
