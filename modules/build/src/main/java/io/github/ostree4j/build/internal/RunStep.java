package io.github.ostree4j.build.internal;

import io.github.ostree4j.build.CommandLine;
import io.github.ostree4j.build.Heredoc;
import io.github.ostree4j.build.Instruction;
import io.github.ostree4j.build.RunMount;
import io.github.ostree4j.container.ContainerCommit;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One RUN: the argv (SHELL + shell form, exec form, or a heredoc script), the environment (the
 * config's Env, then the ARGs in effect that Env does not override, then proxy build arguments),
 * the user, the mounts of {@code RUN --mount} and the {@code ostree} shim, run through the step
 * filesystem (which creates the working directory and keeps mount points out of the changes);
 * afterwards a requested {@code ostree container commit} is carried out.
 */
public final class RunStep {

  /** Where the shim leaves its marker inside the container. */
  static final String SHIM_MARKER_DIR = "/run/.ostree4j-shim";
  /** Where the shim is mounted. */
  static final String SHIM_TARGET = "/usr/bin/ostree";

  private static final Pattern SINGLE_HEREDOC = Pattern.compile("\\s*[0-9]*<<-?([\"']?)[^\\s\"']+\\1\\s*");

  /** What the engine provides to a RUN. */
  public interface Context {
    /** @return the build context directory */
    Path contextDir();

    /**
     * A fresh directory for this step's files (scripts, secrets, copies).
     *
     * @return the directory
     * @throws IOException when it cannot be created
     */
    Path stepTempDir() throws IOException;

    /**
     * The persistent directory of a cache mount.
     *
     * @param id the cache id
     * @return the directory (created)
     * @throws IOException when it cannot be created
     */
    Path cacheMount(String id) throws IOException;

    /**
     * A secret's file.
     *
     * @param id the secret id
     * @return the file, if the build was given it
     */
    Optional<Path> secret(String id);

    /**
     * A read-only view of a stage's or an image's root filesystem for a bind mount.
     *
     * @param from a stage name or index, or an image name
     * @return the view; close it after the step
     * @throws IOException when the image cannot be pulled or the view not mounted
     * @throws StepFailedException when the name is neither
     */
    View view(String from) throws IOException, StepFailedException;

    /** @return the proxy build arguments */
    Map<String, String> proxies();

    /** @return where output goes */
    Progress progress();
  }

  /** A root filesystem visible to a step. */
  public interface View extends Closeable {
    /** @return the root */
    Path root();
  }

  private final Instruction.Run run;
  private final StageState state;
  private final Context ctx;
  private final List<RunMount> mounts;

  /**
   * @param run the instruction
   * @param state the stage state before it
   * @param ctx what the engine provides
   * @param expandedMounts the RUN's mounts with values expanded (same order as the instruction's)
   */
  public RunStep(Instruction.Run run, StageState state, Context ctx, List<RunMount> expandedMounts) {
    this.run = run;
    this.state = state;
    this.ctx = ctx;
    this.mounts = List.copyOf(expandedMounts);
  }

  /**
   * The command as written, for messages and history.
   *
   * @return the text
   */
  public String commandText() {
    CommandLine c = run.command();
    return c.isExecForm() ? String.join(" ", c.execForm()) : c.shellForm();
  }

  /**
   * Runs the step in a step filesystem.
   *
   * @param fs the step's filesystem
   * @param hostname the container's host name
   * @return the result (a non-zero exit code is the caller's to report)
   * @throws StepFailedException when a mount cannot be provided
   * @throws IOException when running fails
   */
  public RunResult execute(StepFilesystem fs, String hostname) throws StepFailedException, IOException {
    Path root = fs.root();
    Path tmp = ctx.stepTempDir();
    List<MountPoint> mps = new ArrayList<>();
    List<String> env = environment();
    List<View> views = new ArrayList<>();
    try {
      List<String> args = argv(tmp, mps);
      for (RunMount m : mounts) {
        mount(m, tmp, mps, env, views);
      }
      boolean shim = ContainerView.isOstreeContainer(root)
          && !Files.exists(InRoot.resolve(root, SHIM_TARGET, true));
      Path markerDir = null;
      if (shim) {
        Path script = tmp.resolve("ostree");
        Files.writeString(script, OstreeShim.SCRIPT, StandardCharsets.UTF_8);
        FileAttrs.chmod(script, 0755);
        markerDir = Files.createDirectory(tmp.resolve("shim-marker"));
        FileAttrs.chmod(markerDir, 01777);
        mps.add(new MountPoint(MountPoint.Kind.BIND, script, SHIM_TARGET, List.of("ro")));
        mps.add(new MountPoint(MountPoint.Kind.BIND, markerDir, SHIM_MARKER_DIR, List.of("rw")));
      }
      if (ContainerView.isOstreeContainer(root) && !hasEnv(env, "container")) {
        env.add("container=oci");
      }
      String cwd = state.workdir();
      UserResolver.ResolvedUser user = UserResolver.resolve(root,
          state.user().isEmpty() ? "0" : state.user());
      if (!hasEnv(env, "HOME")) {
        env.add("HOME=" + (user.home() == null || user.home().isEmpty() ? "/" : user.home()));
      }
      boolean network = !run.network().map("none"::equals).orElse(false);
      // as podman and buildah do, the primary group is also a supplementary group
      List<Integer> groups = new ArrayList<>();
      groups.add(user.gid());
      for (int g : user.additionalGids()) {
        if (!groups.contains(g)) {
          groups.add(g);
        }
      }
      RunSpec spec = new RunSpec(args, env, cwd, user.uid(), user.gid(), groups, network, mps,
          hostname);
      RunResult result = fs.run(spec, ctx.progress().runOutput());
      if (result.succeeded() && markerDir != null
          && Files.exists(markerDir.resolve(OstreeShim.MARKER))) {
        new ContainerCommit(root, Map.of("container", "oci")).run();
      }
      return result;
    } finally {
      for (View v : views) {
        try {
          v.close();
        } catch (IOException e) {
          ctx.progress().warning("releasing a mount of " + run.location() + ": " + e.getMessage());
        }
      }
    }
  }

  private static boolean hasEnv(List<String> env, String name) {
    for (String e : env) {
      if (e.startsWith(name + "=")) {
        return true;
      }
    }
    return false;
  }

  /**
   * The environment of the step.
   *
   * @return {@code K=V} entries
   */
  public List<String> environment() {
    List<String> env = new ArrayList<>(state.env());
    Map<String, String> envMap = state.envMap();
    state.args().forEach((k, v) -> {
      if (v != null && !envMap.containsKey(k)) {
        env.add(k + "=" + v);
      }
    });
    ctx.proxies().forEach((k, v) -> {
      if (!envMap.containsKey(k) && !state.args().containsKey(k)) {
        env.add(k + "=" + v);
      }
    });
    if (!hasEnv(env, "PATH")) {
      env.add("PATH=" + StageState.DEFAULT_PATH);
    }
    return env;
  }

  /**
   * The argv, BuildKit's rules for heredocs: a RUN that is just one heredoc runs its body through
   * the SHELL (or, starting with {@code #!}, as a script file); other heredocs are handed to the
   * shell with the command line.
   */
  List<String> argv(Path tmp, List<MountPoint> mps) throws IOException {
    CommandLine c = run.command();
    if (c.isExecForm()) {
      return c.execForm();
    }
    List<String> out = new ArrayList<>(state.shell());
    List<Heredoc> hs = run.heredocs();
    if (hs.isEmpty()) {
      out.add(c.shellForm());
      return out;
    }
    if (hs.size() == 1 && SINGLE_HEREDOC.matcher(c.shellForm()).matches()) {
      Heredoc h = hs.get(0);
      String body = h.content();
      if (body.startsWith("#!")) {
        Path script = tmp.resolve("heredoc-" + h.name().replaceAll("[^A-Za-z0-9_.-]", "_"));
        Files.writeString(script, body, StandardCharsets.UTF_8);
        FileAttrs.chmod(script, 0755);
        String target = "/dev/pipes/" + script.getFileName();
        mps.add(new MountPoint(MountPoint.Kind.BIND, script, target, List.of("ro")));
        return List.of(target);
      }
      out.add(body);
      return out;
    }
    StringBuilder full = new StringBuilder(c.shellForm());
    for (Heredoc h : hs) {
      full.append('\n').append(h.content());
      if (!h.content().endsWith("\n")) {
        full.append('\n');
      }
      full.append(h.name());
    }
    out.add(full.toString());
    return out;
  }

  private void mount(RunMount m, Path tmp, List<MountPoint> mps, List<String> env, List<View> views)
      throws StepFailedException, IOException {
    String target = m.option("target");
    if (target != null && !target.startsWith("/")) {
      target = "/" + InRoot.clean(state.workdir() + "/" + target);
    }
    boolean readonly = flag(m, "readonly", m.type() == RunMount.Type.BIND);
    if (m.options().containsKey("rw") || m.options().containsKey("readwrite")) {
      readonly = !flag(m, m.options().containsKey("rw") ? "rw" : "readwrite", true);
    }
    switch (m.type()) {
      case BIND: {
        if (target == null) {
          throw new StepFailedException("--mount=type=bind needs a target");
        }
        String from = m.option("from");
        Path srcRoot;
        if (from == null || from.isEmpty()) {
          srcRoot = ctx.contextDir();
        } else {
          View v = ctx.view(from);
          views.add(v);
          srcRoot = v.root();
        }
        String source = Optional.ofNullable(m.option("source")).orElse("/");
        if (from == null && InRoot.escapes(source.startsWith("/") ? source.substring(1) : source)) {
          throw new StepFailedException("--mount source outside the build context: " + source);
        }
        Path src = InRoot.resolve(srcRoot, source, true);
        if (!Files.exists(src)) {
          throw new StepFailedException("--mount source " + source + " does not exist"
              + (from == null ? " in the build context" : " in " + from));
        }
        if (!readonly) {
          Path copy = tmp.resolve("bind-" + mps.size());
          Trees.copyTree(src, copy);
          src = copy;
        }
        mps.add(new MountPoint(MountPoint.Kind.BIND, src, target, List.of(readonly ? "ro" : "rw")));
        break;
      }
      case CACHE: {
        if (target == null) {
          throw new StepFailedException("--mount=type=cache needs a target");
        }
        String id = Optional.ofNullable(m.option("id")).filter(s -> !s.isEmpty()).orElse(target);
        Path dir = ctx.cacheMount(id);
        if (isEmptyDir(dir)) {
          FileAttrs.chown(dir, intOption(m, "uid", 0, 10), intOption(m, "gid", 0, 10));
          FileAttrs.chmod(dir, intOption(m, "mode", 0755, 8));
        }
        mps.add(new MountPoint(MountPoint.Kind.BIND, dir, target, List.of(readonly ? "ro" : "rw")));
        break;
      }
      case TMPFS: {
        if (target == null) {
          throw new StepFailedException("--mount=type=tmpfs needs a target");
        }
        List<String> opts = new ArrayList<>();
        if (m.option("size") != null) {
          opts.add("size=" + m.option("size"));
        }
        mps.add(new MountPoint(MountPoint.Kind.TMPFS, null, target, opts));
        break;
      }
      case SECRET: {
        String id = m.option("id");
        if ((id == null || id.isEmpty()) && target != null) {
          id = target.substring(target.lastIndexOf('/') + 1);
        }
        if (id == null || id.isEmpty()) {
          throw new StepFailedException("--mount=type=secret needs an id or a target");
        }
        Optional<Path> file = ctx.secret(id);
        if (file.isEmpty()) {
          if (flag(m, "required", false)) {
            throw new StepFailedException("secret '" + id + "' is required but was not given"
                + " (--secret id=" + id + ",src=FILE)");
          }
          break;
        }
        String envName = m.option("env");
        if (envName != null && !envName.isEmpty()) {
          byte[] value = Files.readAllBytes(file.get());
          env.add(envName + "=" + new String(value, StandardCharsets.UTF_8));
          if (m.option("target") == null) {
            break;
          }
        }
        if (target == null) {
          target = "/run/secrets/" + id;
        }
        Path copy = tmp.resolve("secret-" + mps.size());
        Files.copy(file.get(), copy);
        FileAttrs.chown(copy, intOption(m, "uid", 0, 10), intOption(m, "gid", 0, 10));
        FileAttrs.chmod(copy, intOption(m, "mode", 0400, 8));
        mps.add(new MountPoint(MountPoint.Kind.BIND, copy, target, List.of("ro")));
        break;
      }
      case SSH:
      default:
        throw new StepFailedException("--mount=type=" + m.type().name().toLowerCase(java.util.Locale.ROOT)
            + " is not supported");
    }
  }

  private static boolean flag(RunMount m, String key, boolean dflt) throws StepFailedException {
    String v = m.option(key);
    if (v == null) {
      return dflt;
    }
    switch (v.toLowerCase(java.util.Locale.ROOT)) {
      case "":
      case "true":
      case "1":
        return true;
      case "false":
      case "0":
        return false;
      default:
        throw new StepFailedException("--mount " + key + "=" + v + ": expected true or false");
    }
  }

  private static int intOption(RunMount m, String key, int dflt, int radix) throws StepFailedException {
    String v = m.option(key);
    if (v == null || v.isEmpty()) {
      return dflt;
    }
    try {
      return Integer.parseInt(v, radix);
    } catch (NumberFormatException e) {
      throw new StepFailedException("--mount " + key + "=" + v + ": not a number");
    }
  }

  private static boolean isEmptyDir(Path dir) throws IOException {
    try (var s = Files.list(dir)) {
      return s.findAny().isEmpty();
    }
  }
}
