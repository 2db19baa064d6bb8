package io.github.ostree4j.build.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The OCI runtime configuration ({@code config.json}) of a RUN container, modelled on
 * {@code runc spec}'s default with what a build step needs: no terminal, a writable root, the
 * step's argv, environment, working directory and user, the capabilities podman and buildah give
 * RUN steps (granted to root only: a non-root user gets them in the bounding set alone),
 * {@code noNewPrivileges} off (so {@code su} and {@code sudo} work as under podman), mknod of
 * any device allowed (Docker's default), and the network namespace only when the host network
 * is not shared, in which case the host's {@code resolv.conf} and {@code hosts} are bind-mounted
 * read-only. No seccomp profile is applied.
 */
final class RuntimeConfig {

  /** The capabilities of a RUN step (podman's and buildah's default set). */
  static final List<String> CAPABILITIES = List.of(
      "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_NET_BIND_SERVICE",
      "CAP_SETFCAP", "CAP_SETGID", "CAP_SETPCAP", "CAP_SETUID", "CAP_SYS_CHROOT", "CAP_AUDIT_WRITE",
      "CAP_MKNOD", "CAP_NET_RAW");

  /** The search path used when the step's environment has none (Docker's and buildah's default). */
  static final String DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private RuntimeConfig() {}

  /**
   * The configuration.
   *
   * @param rootfs the container's root directory
   * @param resolvConf the file to bind-mount at {@code /etc/resolv.conf} (host network only)
   * @param hosts the file to bind-mount at {@code /etc/hosts} (host network only)
   */
  static ObjectNode build(RunSpec spec, Path rootfs, Path resolvConf, Path hosts) {
    ObjectNode root = F.objectNode();
    root.put("ociVersion", "1.0.2-dev");
    root.set("process", process(spec));
    ObjectNode r = root.putObject("root");
    r.put("path", rootfs.toAbsolutePath().toString());
    r.put("readonly", false);
    if (spec.hostname() != null && !spec.hostname().isEmpty()) {
      root.put("hostname", spec.hostname());
    }
    root.set("mounts", mounts(spec, resolvConf, hosts));
    root.set("linux", linux(spec));
    return root;
  }

  private static ObjectNode process(RunSpec spec) {
    ObjectNode p = F.objectNode();
    p.put("terminal", false);
    ObjectNode user = p.putObject("user");
    user.put("uid", Integer.toUnsignedLong(spec.uid()));
    user.put("gid", Integer.toUnsignedLong(spec.gid()));
    if (!spec.additionalGids().isEmpty()) {
      ArrayNode gids = user.putArray("additionalGids");
      spec.additionalGids().forEach(g -> gids.add(Integer.toUnsignedLong(g)));
    }
    ArrayNode args = p.putArray("args");
    spec.args().forEach(args::add);
    ArrayNode env = p.putArray("env");
    if (spec.env().stream().noneMatch(e -> e.startsWith("PATH="))) {
      env.add(DEFAULT_PATH);
    }
    spec.env().forEach(env::add);
    p.put("cwd", spec.cwd() == null || spec.cwd().isEmpty() ? "/" : spec.cwd());
    ObjectNode caps = p.putObject("capabilities");
    boolean root = spec.uid() == 0;
    for (String set : List.of("bounding", "effective", "permitted")) {
      ArrayNode a = caps.putArray(set);
      if (root || set.equals("bounding")) {
        CAPABILITIES.forEach(a::add);
      }
    }
    ArrayNode rlimits = p.putArray("rlimits");
    ObjectNode nofile = rlimits.addObject();
    nofile.put("type", "RLIMIT_NOFILE");
    nofile.put("hard", 1024);
    nofile.put("soft", 1024);
    p.put("noNewPrivileges", false);
    return p;
  }

  private static ArrayNode mounts(RunSpec spec, Path resolvConf, Path hosts) {
    ArrayNode m = F.arrayNode();
    mount(m, "/proc", "proc", "proc", List.of());
    mount(m, "/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k"));
    mount(m, "/dev/pts", "devpts", "devpts",
        List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"));
    mount(m, "/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k"));
    mount(m, "/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev"));
    mount(m, "/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "ro"));
    if (spec.hostNetwork()) {
      if (resolvConf != null) {
        mount(m, "/etc/resolv.conf", "bind", resolvConf.toAbsolutePath().toString(),
            List.of("rbind", "ro", "nosuid", "nodev", "noexec"));
      }
      if (hosts != null) {
        mount(m, "/etc/hosts", "bind", hosts.toAbsolutePath().toString(),
            List.of("rbind", "ro", "nosuid", "nodev", "noexec"));
      }
    }
    for (MountPoint mp : spec.mounts()) {
      List<String> options = new ArrayList<>();
      if (mp.kind() == MountPoint.Kind.BIND) {
        options.add("rbind");
        options.addAll(mp.options());
        mount(m, mp.destination(), "bind", mp.source().toAbsolutePath().toString(), options);
      } else {
        options.add("nosuid");
        options.add("nodev");
        options.addAll(mp.options());
        mount(m, mp.destination(), "tmpfs", "tmpfs", options);
      }
    }
    return m;
  }

  private static void mount(ArrayNode mounts, String destination, String type, String source, List<String> options) {
    ObjectNode o = mounts.addObject();
    o.put("destination", destination);
    o.put("type", type);
    o.put("source", source);
    if (!options.isEmpty()) {
      ArrayNode a = o.putArray("options");
      options.forEach(a::add);
    }
  }

  private static ObjectNode linux(RunSpec spec) {
    ObjectNode l = F.objectNode();
    ArrayNode devices = l.putObject("resources").putArray("devices");
    device(devices, false, null, "rwm");
    device(devices, true, "c", "m");
    device(devices, true, "b", "m");
    ArrayNode ns = l.putArray("namespaces");
    List<String> types = new ArrayList<>(List.of("pid", "ipc", "uts", "mount"));
    if (!spec.hostNetwork()) {
      types.add(1, "network");
    }
    types.forEach(t -> ns.addObject().put("type", t));
    ArrayNode masked = l.putArray("maskedPaths");
    List.of("/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
        "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi").forEach(masked::add);
    ArrayNode ro = l.putArray("readonlyPaths");
    List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger").forEach(ro::add);
    return l;
  }

  private static void device(ArrayNode devices, boolean allow, String type, String access) {
    ObjectNode d = devices.addObject();
    d.put("allow", allow);
    if (type != null) {
      d.put("type", type);
    }
    d.put("access", access);
  }
}
