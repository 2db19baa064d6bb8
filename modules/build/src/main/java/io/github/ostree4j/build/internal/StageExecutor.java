package io.github.ostree4j.build.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ostree4j.build.BuildException;
import io.github.ostree4j.build.CommandLine;
import io.github.ostree4j.build.Containerfile;
import io.github.ostree4j.build.ContainerfileException;
import io.github.ostree4j.build.ContainerfileParser;
import io.github.ostree4j.build.Heredoc;
import io.github.ostree4j.build.Instruction;
import io.github.ostree4j.build.KeyValue;
import io.github.ostree4j.build.RunMount;
import io.github.ostree4j.oci.Descriptor;
import io.github.ostree4j.oci.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Runs the instructions of one stage: FROM (scratch, an earlier stage or an image, whose ONBUILD
 * triggers then run), the metadata instructions (config fields and history entries, as buildah
 * writes them) and the filesystem instructions RUN, COPY and ADD, each in its own step filesystem
 * whose changes become one layer (or, with {@code --squash}, all of the final stage's changes one
 * layer). With the layer cache on, a filesystem step whose key is cached reuses the stored layer
 * and change tree without running.
 */
final class StageExecutor {

  private final BuildSession session;
  private final StagePlan.Stage stage;
  private final String prefix;
  private final boolean squash;
  private StageState state;
  private int stepNo;
  private StepFilesystem squashFs;
  private Path squashDir;
  private int squashHistoryIndex = -1;

  StageExecutor(BuildSession session, StagePlan.Stage stage, String prefix, boolean squash) {
    this.session = session;
    this.stage = stage;
    this.prefix = prefix;
    this.squash = squash;
  }

  StageState execute() throws IOException, ContainerfileException, BuildException {
    int total = 1 + stage.instructions().size();
    try {
      Instruction.From from = stage.from();
      printStep(from, total);
      from(from);
      for (Instruction i : stage.instructions()) {
        printStep(i, total);
        step(i);
      }
      finishSquash();
    } finally {
      if (squashFs != null) {
        squashFs.close();
      }
    }
    return state;
  }

  private void printStep(Instruction i, int total) {
    stepNo++;
    session.progress().line(prefix + "STEP " + stepNo + "/" + total + ": " + firstLine(i.original()));
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  // ---------------------------------------------------------------- FROM

  private void from(Instruction.From from) throws IOException, ContainerfileException,
      BuildException {
    String name = session.expand(from.image(), session.globalScope(), from.location());
    if (name.isEmpty()) {
      throw new ContainerfileException(from.location(), "FROM: empty image name");
    }
    if (from.platform().isPresent()) {
      String p = session.expand(from.platform().get(), session.globalScope(), from.location());
      if (!p.isEmpty() && !p.equals(session.platform().toString())
          && !p.equals(session.platform().os() + "/" + session.platform().architecture())) {
        throw new ContainerfileException(from.location(), "FROM --platform=" + p
            + ": only the build machine's platform (" + session.platform() + ") can be built");
      }
    }
    Optional<StagePlan.Stage> dep = session.plan().findBefore(name, stage.index());
    if (name.equalsIgnoreCase("scratch")) {
      state = StageState.fromImage(null, session.platform().architecture(),
          session.platform().os(), session.storage().scratch(), LayerCache.key("scratch"));
    } else if (dep.isPresent()) {
      state = session.stage(dep.get().index()).copy(); // ARGs included, as BuildKit does
    } else {
      if (!name.contains("/") && !name.contains(":")) {
        session.checkNotLaterStage(name, stage.index(), from.location(), "FROM " + name);
      }
      BaseImage base = session.baseImage(name, from.location());
      state = StageState.fromImage(base.config().json(), null, null, base.rootfs(),
          LayerCache.key("image", base.manifestDigest().toString()));
      List<Descriptor> ls = base.manifest().layers();
      for (int i = 0; i < ls.size(); i++) {
        state.layers().add(new ImageLayer.Base(base, ls.get(i), base.config().diffIds().get(i)));
      }
      state.baseImage(base, name);
      runOnbuildTriggers(from, base);
    }
  }

  private void runOnbuildTriggers(Instruction.From from, BaseImage base)
      throws IOException, ContainerfileException, BuildException {
    JsonNode triggers = state.config().get("OnBuild");
    state.config().remove("OnBuild");
    if (triggers == null || !triggers.isArray() || triggers.isEmpty()) {
      return;
    }
    for (JsonNode t : triggers) {
      String text = t.asText();
      session.progress().line(prefix + "ONBUILD " + text);
      Containerfile cf;
      try {
        // a trigger alone is not a Containerfile: parse it after a FROM
        cf = ContainerfileParser.parse("FROM scratch\n" + text + "\n", from.location() + " ONBUILD");
      } catch (ContainerfileException e) {
        throw new ContainerfileException(from.location(), "ONBUILD trigger '" + text + "' of "
            + base.reference() + ": " + e.reason());
      }
      for (Instruction i : cf.instructions().subList(1, cf.instructions().size())) {
        if (i instanceof Instruction.From || i instanceof Instruction.Onbuild
            || i instanceof Instruction.Maintainer) {
          throw new ContainerfileException(from.location(), "ONBUILD trigger '" + text
              + "' of " + base.reference() + " is not allowed");
        }
        step(i);
      }
    }
  }

  // ---------------------------------------------------------------- dispatch

  private void step(Instruction i) throws IOException, ContainerfileException, BuildException {
    if (i instanceof Instruction.Run) {
      run((Instruction.Run) i);
    } else if (i instanceof Instruction.Copy) {
      copy(i, (Instruction.Copy) i, null);
    } else if (i instanceof Instruction.Add) {
      copy(i, null, (Instruction.Add) i);
    } else if (i instanceof Instruction.Arg) {
      arg((Instruction.Arg) i);
    } else {
      metadata(i);
    }
  }

  private String x(String word, Instruction i) throws ContainerfileException {
    return session.expand(word, state.expansionEnv(), i.location());
  }

  private Optional<String> x(Optional<String> word, Instruction i) throws ContainerfileException {
    return word.isPresent() ? Optional.of(x(word.get(), i)) : Optional.empty();
  }

  // ---------------------------------------------------------------- ARG

  private void arg(Instruction.Arg a) throws ContainerfileException {
    for (KeyValue kv : a.args()) {
      String name = kv.key();
      Optional<String> given = session.args().consume(name);
      String value;
      if (given.isPresent()) {
        value = given.get();
      } else if (kv.value() != null) {
        value = x(kv.value(), a);
      } else if (session.globalArgs().get(name) != null) {
        value = session.globalArgs().get(name);
      } else if (state.args().get(name) != null) {
        value = state.args().get(name);
      } else {
        value = session.args().automatic(name).orElse(null);
      }
      state.args().remove(name);
      state.args().put(name, value);
    }
    String names = String.join(" ", new java.util.TreeSet<>(state.args().keySet()));
    addHistory("/bin/sh -c #(nop) ARG " + names, true, null);
    state.cacheKey(LayerCache.key(state.cacheKey(), "ARG", a.original(), argsText()));
  }

  /** The ARGs in effect as buildah records them before a RUN: sorted {@code K=V}, Env winning. */
  private String argsText() {
    Map<String, String> env = state.envMap();
    List<String> out = new ArrayList<>();
    state.args().forEach((k, v) -> {
      if (v != null && !BuildArgs.PROXIES.contains(k)) {
        out.add(k + "=" + (env.containsKey(k) ? env.get(k) : v));
      }
    });
    out.sort(null);
    return String.join(" ", out);
  }

  // ---------------------------------------------------------------- metadata

  private void metadata(Instruction i) throws IOException, ContainerfileException,
      BuildException {
    ObjectNode c = state.config();
    String author = null;
    if (i instanceof Instruction.Env) {
      Map<String, String> env = state.expansionEnv();
      for (KeyValue kv : ((Instruction.Env) i).pairs()) {
        String k = session.expand(kv.key(), env, i.location());
        String v = session.expand(kv.value(), env, i.location());
        if (k.isEmpty()) {
          throw new ContainerfileException(i.location(), "ENV names must not be empty");
        }
        state.setEnv(k, v);
      }
    } else if (i instanceof Instruction.Label) {
      Map<String, String> env = state.expansionEnv();
      ObjectNode labels = object(c, "Labels");
      for (KeyValue kv : ((Instruction.Label) i).pairs()) {
        String k = session.expand(kv.key(), env, i.location());
        if (k.isEmpty()) {
          throw new ContainerfileException(i.location(), "LABEL names must not be empty");
        }
        labels.put(k, session.expand(kv.value(), env, i.location()));
      }
    } else if (i instanceof Instruction.Expose) {
      ObjectNode ports = object(c, "ExposedPorts");
      for (String p : ((Instruction.Expose) i).ports()) {
        for (String port : ConfigValues.ports(x(p, i), i.location())) {
          ports.putObject(port);
        }
      }
    } else if (i instanceof Instruction.Volume) {
      ObjectNode vols = object(c, "Volumes");
      for (String p : ((Instruction.Volume) i).paths()) {
        String v = x(p, i);
        if (v.isBlank()) {
          throw new ContainerfileException(i.location(), "VOLUME: empty path");
        }
        vols.putObject(v);
      }
    } else if (i instanceof Instruction.User) {
      String u = x(((Instruction.User) i).user(), i);
      if (u.isEmpty()) {
        throw new ContainerfileException(i.location(), "USER needs a user");
      }
      c.put("User", u);
    } else if (i instanceof Instruction.Workdir) {
      String w = x(((Instruction.Workdir) i).path(), i);
      if (w.isEmpty()) {
        throw new ContainerfileException(i.location(), "WORKDIR needs a path");
      }
      String abs = w.startsWith("/") ? w : state.workdir() + "/" + w;
      c.put("WorkingDir", "/" + InRoot.clean(abs));
      workdir((Instruction.Workdir) i);
      return;
    } else if (i instanceof Instruction.StopSignal) {
      c.put("StopSignal", ConfigValues.signal(x(((Instruction.StopSignal) i).signal(), i),
          i.location()));
    } else if (i instanceof Instruction.Cmd) {
      list(c, "Cmd", command(((Instruction.Cmd) i).command()));
      state.cmdSet(true);
    } else if (i instanceof Instruction.Entrypoint) {
      list(c, "Entrypoint", command(((Instruction.Entrypoint) i).command()));
      if (!state.cmdSet()) {
        c.remove("Cmd");
      }
    } else if (i instanceof Instruction.Shell) {
      List<String> sh = ((Instruction.Shell) i).shell();
      if (sh.isEmpty()) {
        throw new ContainerfileException(i.location(), "SHELL needs a JSON array with at least"
            + " one element");
      }
      list(c, "Shell", sh);
    } else if (i instanceof Instruction.Healthcheck) {
      c.set("Healthcheck", ConfigValues.healthcheck((Instruction.Healthcheck) i, state.shell()));
    } else if (i instanceof Instruction.Maintainer) {
      author = x(((Instruction.Maintainer) i).name(), i);
      state.image().put("author", author);
    } else if (i instanceof Instruction.Onbuild) {
      ArrayNode a = c.path("OnBuild").isArray() ? (ArrayNode) c.get("OnBuild") : c.putArray("OnBuild");
      a.add(((Instruction.Onbuild) i).triggerText());
    } else if (i instanceof Instruction.From) {
      throw new ContainerfileException(i.location(), "FROM inside a stage");
    } else {
      throw new ContainerfileException(i.location(), "unsupported instruction "
          + StagePlan.keyword(i));
    }
    addHistory("/bin/sh -c #(nop) " + i.original().strip(), true, author);
    state.cacheKey(LayerCache.key(state.cacheKey(), "META", i.original(), argsText(),
        Json.MAPPER.valueToTree(state.image()).toString()));
  }

  /**
   * WORKDIR: creates the directory when the stage has none there, as buildah does right after
   * the instruction (mode 0755, every created directory owned by the USER in effect);
   * that is a layer of its own. An existing directory makes WORKDIR a metadata step.
   */
  private void workdir(Instruction.Workdir i) throws IOException, ContainerfileException,
      BuildException {
    String dir = state.workdir();
    String createdBy = "/bin/sh -c #(nop) " + i.original().strip();
    boolean exists;
    try {
      exists = RootedPaths.resolve(new StackedTree(state.lowers()), dir).exists();
    } catch (java.nio.file.NotDirectoryException e) {
      throw new BuildException(i.location(), "WORKDIR " + dir + ": " + e.getFile()
          + " is not a directory", e);
    }
    String key = LayerCache.key(state.cacheKey(), "WORKDIR", i.original(), argsText(), dir,
        state.user(), String.valueOf(exists), session.layerKeyParts());
    if (exists) {
      addHistory(createdBy, true, null);
      state.cacheKey(key);
      return;
    }
    fsStep(key, createdBy, fs -> {
      try {
        UserResolver.ResolvedUser u = UserResolver.resolve(fs.root(),
            state.user().isEmpty() ? "0" : state.user());
        new TreeCopy(fs.root(), new TreeCopy.Owner(u.uid(), u.gid()), false, null).mkdirs(dir);
      } catch (StepFailedException | IOException e) {
        throw new BuildException(i.location(), "WORKDIR " + dir + ": " + message(e), e);
      }
    });
  }

  private List<String> command(CommandLine cmd) {
    if (cmd.isExecForm()) {
      return cmd.execForm();
    }
    List<String> out = new ArrayList<>(state.shell());
    out.add(cmd.shellForm());
    return out;
  }

  private static ObjectNode object(ObjectNode c, String field) {
    JsonNode n = c.get(field);
    if (n != null && n.isObject()) {
      return (ObjectNode) n;
    }
    return c.putObject(field);
  }

  private static void list(ObjectNode c, String field, List<String> values) {
    ArrayNode a = c.putArray(field);
    values.forEach(a::add);
  }

  private void addHistory(String createdBy, boolean empty, String author) {
    ObjectNode h = Json.object();
    h.put("created", session.created());
    h.put("created_by", createdBy);
    if (author != null) {
      h.put("author", author);
    }
    if (empty) {
      h.put("empty_layer", true);
    }
    state.history().add(h);
  }

  // ---------------------------------------------------------------- RUN

  private void run(Instruction.Run r) throws IOException, ContainerfileException, BuildException {
    if (r.security().map(x -> x.equals("insecure")).orElse(false)) {
      throw new ContainerfileException(r.location(), "RUN --security=insecure is not supported");
    }
    List<RunMount> mounts = new ArrayList<>();
    StringBuilder mountKey = new StringBuilder();
    for (RunMount m : r.mounts()) {
      Map<String, String> opts = new LinkedHashMap<>();
      for (Map.Entry<String, String> e : m.options().entrySet()) {
        opts.put(e.getKey(), x(e.getValue(), r));
      }
      RunMount em = new RunMount(m.type(), opts);
      mounts.add(em);
      mountKey.append(em.type()).append(new TreeMap<>(opts)).append('\n');
      String from = opts.get("from");
      if (m.type() == RunMount.Type.BIND && from != null && !from.isEmpty()) {
        mountKey.append(session.sourceKey(from, stage.index(), r.location())).append('\n');
      } else if (m.type() == RunMount.Type.BIND) {
        mountKey.append(session.contextHash(Optional.ofNullable(opts.get("source")).orElse("/"),
            r.location())).append('\n');
      }
    }
    StringBuilder heredocs = new StringBuilder();
    for (Heredoc h : r.heredocs()) {
      heredocs.append(h.name()).append('\n').append(h.content()).append('\n');
    }
    String args = argsText();
    String text = r.original().strip();
    String body = text.substring(Math.min(text.length(), StagePlan.keyword(r).length())).strip();
    String createdBy = (args.isEmpty() ? "" : "|" + args.split(" ").length + " " + args + " ")
        + "/bin/sh -c " + body;
    String key = LayerCache.key(state.cacheKey(), "RUN", r.original(), args, heredocs.toString(),
        mountKey.toString(), String.valueOf(r.network().orElse("")), session.layerKeyParts());
    RunStep step = new RunStep(r, state, session.runContext(stage.index()), mounts);
    fsStep(key, createdBy, fs -> {
      RunResult result;
      try {
        result = step.execute(fs, "ostree4j");
      } catch (StepFailedException e) {
        throw new BuildException(r.location(), "RUN: " + e.getMessage(), e);
      } catch (IOException e) {
        throw new BuildException(r.location(), "RUN: " + message(e), e);
      }
      if (!result.succeeded()) {
        throw new BuildException(r.location(), step.commandText(), result.exitCode(),
            result.outputTail());
      }
    });
  }

  static String message(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.replace('\n', ' ');
  }

  // ---------------------------------------------------------------- COPY / ADD

  private void copy(Instruction i, Instruction.Copy c, Instruction.Add a)
      throws IOException, ContainerfileException, BuildException {
    boolean add = a != null;
    String keyword = add ? "ADD" : "COPY";
    List<String> rawSources = add ? a.sources() : c.sources();
    List<Heredoc> heredocs = add ? a.heredocs() : c.heredocs();
    List<String> sources = new ArrayList<>();
    for (String s : rawSources) {
      if (isHeredocMarker(s, heredocs)) {
        continue;
      }
      sources.add(x(s, i));
    }
    String dest = x(add ? a.destination() : c.destination(), i);
    Optional<String> from = add ? Optional.empty() : x(c.from(), i);
    Optional<String> chown = x(add ? a.chown() : c.chown(), i);
    Optional<String> chmodText = x(add ? a.chmod() : c.chmod(), i);
    Integer chmod = null;
    if (chmodText.isPresent()) {
      chmod = ConfigValues.octalMode(chmodText.get(), i.location(), keyword);
    }
    List<String> excludes = new ArrayList<>();
    for (String e : add ? a.excludes() : c.excludes()) {
      excludes.add(x(e, i));
    }
    Optional<String> checksum = add ? x(a.checksum(), i) : Optional.empty();
    Optional<Boolean> unpack = Optional.empty();
    if (add && a.unpack().isPresent()) {
      String u = x(a.unpack().get(), i).toLowerCase(Locale.ROOT);
      unpack = Optional.of(u.isEmpty() || u.equals("true"));
    }
    if (add && a.keepGitDir()) {
      throw new ContainerfileException(i.location(), "ADD --keep-git-dir: git sources are not"
          + " supported");
    }
    List<CopyStep.InlineFile> inline = new ArrayList<>();
    for (Heredoc h : heredocs) {
      String content = h.expand() ? session.expandHeredoc(h.content(), state.expansionEnv(),
          i.location()) : h.content();
      inline.add(new CopyStep.InlineFile(h.name(), content));
    }
    if (sources.isEmpty() && inline.isEmpty()) {
      throw new ContainerfileException(i.location(), keyword + " needs a source and a destination");
    }
    for (String s : sources) {
      if (!add && UrlFetch.isUrl(s)) {
        throw new ContainerfileException(i.location(), "COPY cannot download " + s
            + "; use ADD for URLs");
      }
      if (add && (s.startsWith("git@") || s.endsWith(".git") && UrlFetch.isUrl(s))) {
        throw new ContainerfileException(i.location(), "ADD of git repositories is not supported: "
            + s);
      }
    }
    CopyStep.Spec spec = new CopyStep.Spec(add, sources, inline, dest, state.workdir(),
        chown.orElse(null), chmod, !add && c.parents(), checksum, unpack, session.nowMillis());
    RunStep.View view = null;
    try {
      String sourceKey;
      SourceSelection selection;
      boolean keepOwner;
      var ex = excludes.isEmpty() ? null : session.excludePatterns(excludes, i.location());
      if (from.isPresent()) {
        sourceKey = session.sourceKey(from.get(), stage.index(), i.location());
        view = session.runContext(stage.index()).view(from.get());
        selection = new SourceSelection(view.root(), null, ex, false);
        keepOwner = true;
      } else {
        selection = new SourceSelection(session.contextDir(), session.ignore(), ex, true);
        sourceKey = "context";
        keepOwner = false;
      }
      CopyStep step = new CopyStep(spec, selection, keepOwner, session.tmpDir());
      String hash;
      try {
        hash = step.prepare(true);
      } catch (StepFailedException e) {
        throw new BuildException(i.location(), keyword + " failed: " + e.getMessage(), e);
      }
      String summary = step.contentKind() + ":" + LayerCache.key("summary", hash);
      String createdBy = "/bin/sh -c #(nop) " + keyword + " " + summary + " in " + dest + " ";
      String key = LayerCache.key(state.cacheKey(), keyword, i.original(), argsText(), sourceKey,
          hash, String.join("\n", sources), dest, chown.orElse(""), chmodText.orElse(""),
          String.join("\n", excludes), state.workdir(), session.layerKeyParts());
      fsStep(key, createdBy, fs -> {
        try {
          step.apply(fs.root());
        } catch (StepFailedException e) {
          throw new BuildException(i.location(), keyword + " failed: " + e.getMessage(), e);
        } catch (IOException e) {
          throw new BuildException(i.location(), keyword + " failed: " + message(e), e);
        }
      });
      step.discard();
    } catch (StepFailedException e) {
      throw new BuildException(i.location(), keyword + " --from=" + from.orElse("") + ": "
          + e.getMessage(), e);
    } finally {
      if (view != null) {
        view.close();
      }
    }
  }

  private static boolean isHeredocMarker(String s, List<Heredoc> heredocs) {
    if (!s.contains("<<")) {
      return false;
    }
    String name = s.replaceFirst("^[0-9]*<<-?", "").replace("\"", "").replace("'", "");
    for (Heredoc h : heredocs) {
      if (h.name().equals(name)) {
        return true;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------- filesystem steps

  @FunctionalInterface
  private interface FsWork {
    void run(StepFilesystem fs) throws BuildException, IOException;
  }

  private void fsStep(String key, String createdBy, FsWork work)
      throws IOException, BuildException {
    if (squash) {
      if (squashFs == null) {
        squashDir = session.newStepDir();
        squashFs = StepFilesystem.create(state.lowers(), squashDir, session.allowOverlay());
      }
      work.run(squashFs);
      addHistory(createdBy, true, null);
      squashHistoryIndex = state.history().size() - 1;
      state.cacheKey(key);
      return;
    }
    Optional<LayerCache.Entry> hit = session.cacheLookup(key);
    if (hit.isPresent()) {
      LayerCache.Entry e = hit.get();
      state.lowers().add(0, e.changes());
      state.layers().add(new ImageLayer.New(e.diffId(), e.blob()));
      addHistory(createdBy, false, null);
      state.cacheKey(key);
      session.progress().line("--> Using cache " + key);
      return;
    }
    Path dir = session.newStepDir();
    Path tar = session.newLayerTar();
    LayerCapture cap;
    Path changes;
    try (StepFilesystem fs = StepFilesystem.create(state.lowers(), dir, session.allowOverlay())) {
      work.run(fs);
      cap = fs.capture(tar, session.clampMtime());
      changes = fs.changes();
    }
    ImageLayer.New layer = new ImageLayer.New(cap.diffId(), cap.tar());
    changes = session.cacheStore(key, layer, changes);
    state.lowers().add(0, changes);
    state.layers().add(layer);
    addHistory(createdBy, false, null);
    state.cacheKey(key);
    session.progress().line("--> " + key.substring(0, 12));
  }

  private void finishSquash() throws IOException {
    if (squashFs == null) {
      return;
    }
    Path tar = session.newLayerTar();
    LayerCapture cap = squashFs.capture(tar, session.clampMtime());
    Path changes = squashFs.changes();
    squashFs.close();
    squashFs = null;
    state.lowers().add(0, changes);
    state.layers().add(new ImageLayer.New(cap.diffId(), cap.tar()));
    state.history().get(squashHistoryIndex).remove("empty_layer");
    session.progress().line("--> squashed into one layer " + cap.diffId().shortForm());
  }
}
