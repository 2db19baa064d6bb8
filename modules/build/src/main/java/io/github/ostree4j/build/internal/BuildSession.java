package io.github.ostree4j.build.internal;

import io.github.ostree4j.build.BuildException;
import io.github.ostree4j.build.BuildOptions;
import io.github.ostree4j.build.BuildResult;
import io.github.ostree4j.build.Containerfile;
import io.github.ostree4j.build.ContainerfileException;
import io.github.ostree4j.build.ContainerfileParser;
import io.github.ostree4j.build.IgnorePatterns;
import io.github.ostree4j.build.Instruction;
import io.github.ostree4j.build.KeyValue;
import io.github.ostree4j.build.RunMount;
import io.github.ostree4j.build.SourceLocation;
import io.github.ostree4j.build.VariableExpansionException;
import io.github.ostree4j.build.WordExpander;
import io.github.ostree4j.container.ContainerLint;
import io.github.ostree4j.oci.Descriptor;
import io.github.ostree4j.oci.Digest;
import io.github.ostree4j.oci.Platform;
import io.github.ostree4j.transport.ImageCopier;
import io.github.ostree4j.transport.ImageDestination;
import io.github.ostree4j.transport.ImageReference;
import io.github.ostree4j.transport.ImageTransports;
import io.github.ostree4j.transport.InvalidReferenceException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * One build from start to end: reads and parses the Containerfile, evaluates the global ARGs,
 * builds the stages the target needs (in file order, each once), optionally lints the result,
 * assembles the image and writes it to every destination at the very end (a failed build writes
 * nothing). Holds the storage root's lock for the whole build; the per-build work directory is
 * deleted when the session closes.
 */
public final class BuildSession implements Closeable {

  private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ISO_INSTANT;

  private final BuildOptions options;
  private final Progress progress;
  private final Platform platform = Platform.current();
  private final Map<Integer, StageState> built = new HashMap<>();
  private final Map<String, String> globalArgs = new LinkedHashMap<>();
  private final Map<String, String> globalScope = new LinkedHashMap<>();
  private final java.util.Set<String> cacheKeysInUse = new java.util.HashSet<>();
  private StorageLayout storage;
  private BaseImages bases;
  private LayerCache cache;
  private LayerBlobs blobs;
  private Containerfile containerfile;
  private WordExpander expander;
  private IgnorePatterns ignore = IgnorePatterns.none();
  private Path context;
  private StagePlan plan;
  private BuildArgs args;
  private Path work;
  private int counter;
  private int stageOrdinal;
  private int stagesTotal;
  private StagePlan.Stage target;
  private final long startMillis = System.currentTimeMillis();

  /** @param options what to build */
  public BuildSession(BuildOptions options) {
    this.options = options;
    this.progress = new Progress(options.output());
  }

  /**
   * Runs the build.
   *
   * @return what was built
   * @throws ContainerfileException when the Containerfile is invalid
   * @throws BuildException when a step fails
   * @throws IOException when reading, pulling or writing fails
   */
  public BuildResult run() throws IOException, ContainerfileException, BuildException {
    if (!"root".equals(System.getProperty("user.name"))) {
      throw new IOException("building needs root: base images are checked out with their"
          + " owners, RUN steps mount overlays and run runc");
    }
    if (!Files.isDirectory(options.context())) {
      throw new NoSuchFileException(options.context().toString(), null,
          "the build context is not a directory");
    }
    context = options.context().toRealPath();
    if (!Files.isDirectory(context)) {
      throw new NoSuchFileException(context.toString(), null, "the build context is not a directory");
    }
    Path file = locateContainerfile();
    String display = options.containerfile().map(Path::toString).orElse(file.getFileName().toString());
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(
          Files.readAllBytes(file))).toString();
    } catch (CharacterCodingException e) {
      throw new ContainerfileException(display, 0, 0, "not valid UTF-8");
    }
    containerfile = ContainerfileParser.parse(text, display);
    expander = new WordExpander(containerfile.escape());
    Optional<Path> ignoreFile = IgnorePatterns.locate(context, file);
    if (ignoreFile.isPresent()) {
      ignore = IgnorePatterns.parse(Files.readString(ignoreFile.get(), StandardCharsets.UTF_8));
    }
    plan = StagePlan.of(containerfile);
    args = new BuildArgs(options.buildArgs(), options.environment(), platform,
        options.timestamp());
    evaluateGlobalArgs();
    target = options.target().isPresent()
        ? plan.find(options.target().get()).orElseThrow(() -> new ContainerfileException(
            display, 0, 0, "target stage '" + options.target().get() + "' not found"))
        : plan.last();
    storage = StorageLayout.open(options.storageRoot());
    Files.createDirectories(storage.tmpDir());
    removeStaleWorkDirectories();
    work = Files.createTempDirectory(storage.tmpDir(), "build-");
    bases = new BaseImages(storage, options.transportOptions(), progress::line);
    blobs = new LayerBlobs(storage.blobs(), work.resolve("blobs"));
    if (options.layers()) {
      cache = new LayerCache(storage.cacheDir(), storage.blobs());
    }
    TreeSet<Integer> needed = new TreeSet<>();
    neededStages(target, needed);
    stagesTotal = needed.size();
    for (int i : needed) {
      stage(i);
    }
    StageState result = stage(target.index());
    if (options.lint()) {
      lint(result);
    }
    List<String> unused = args.unconsumed();
    if (!unused.isEmpty()) {
      progress.warning("one or more build args were not consumed: " + unused);
    }
    return write(result);
  }

  /**
   * Work directories of builds that were killed: with the storage lock held no other build runs,
   * so every one is stale. Overlays still mounted there are unmounted first.
   */
  private void removeStaleWorkDirectories() {
    String prefix = storage.tmpDir().toAbsolutePath() + "/build-";
    List<String> mounts = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
        String[] f = line.split(" ");
        if (f.length > 4 && f[4].startsWith(prefix)) {
          mounts.add(f[4].replace("\\040", " "));
        }
      }
    } catch (IOException | RuntimeException e) {
      return; // no mount table: leave everything as it is
    }
    mounts.sort(java.util.Comparator.comparing(String::length).reversed());
    for (String m : mounts) {
      try {
        OverlayMount.unmount(Path.of(m));
      } catch (IOException e) {
        progress.warning("cannot unmount " + m + " left by an earlier build: " + e.getMessage());
        return;
      }
    }
    try (var dirs = Files.newDirectoryStream(storage.tmpDir(), "build-*")) {
      for (Path d : dirs) {
        Trees.deleteRecursively(d);
      }
    } catch (IOException e) {
      progress.warning("cannot remove work directories of earlier builds: " + e.getMessage());
    }
  }

  private Path locateContainerfile() throws IOException {
    if (options.containerfile().isPresent()) {
      Path f = options.containerfile().get();
      Path p = f.isAbsolute() || Files.exists(f) ? f : context.resolve(f);
      if (!Files.isRegularFile(p)) {
        throw new NoSuchFileException(f.toString(), null, "no such Containerfile");
      }
      return p;
    }
    for (String n : List.of("Containerfile", "Dockerfile")) {
      if (Files.isRegularFile(context.resolve(n))) {
        return context.resolve(n);
      }
    }
    throw new NoSuchFileException(context.toString(), null,
        "no Containerfile or Dockerfile in the build context " + context);
  }

  private void evaluateGlobalArgs() throws ContainerfileException {
    globalScope.putAll(args.automaticArgs());
    for (Instruction.Arg a : plan.globalArgs()) {
      for (KeyValue kv : a.args()) {
        Optional<String> given = args.consume(kv.key());
        String value;
        if (given.isPresent()) {
          value = given.get();
        } else if (kv.value() != null) {
          value = expand(kv.value(), globalScope, a.location());
        } else {
          value = args.automatic(kv.key()).orElse(null);
        }
        globalArgs.put(kv.key(), value);
        if (value != null) {
          globalScope.put(kv.key(), value);
        } else {
          globalScope.remove(kv.key());
        }
      }
    }
  }

  /** The stages {@code s} depends on, found without running anything, and {@code s}. */
  private void neededStages(StagePlan.Stage s, TreeSet<Integer> out) {
    if (!out.add(s.index())) {
      return;
    }
    List<String> refs = new ArrayList<>();
    refs.add(s.from().image());
    for (Instruction i : s.instructions()) {
      if (i instanceof Instruction.Copy && ((Instruction.Copy) i).from().isPresent()) {
        refs.add(((Instruction.Copy) i).from().get());
      } else if (i instanceof Instruction.Run) {
        for (RunMount m : ((Instruction.Run) i).mounts()) {
          if (m.option("from") != null) {
            refs.add(m.option("from"));
          }
        }
      }
    }
    for (String r : refs) {
      String name = r;
      try {
        name = expand(r, globalScope, s.from().location());
      } catch (ContainerfileException e) {
        // decided when the step runs
      }
      plan.findBefore(name, s.index()).ifPresent(d -> neededStages(d, out));
    }
  }

  /**
   * A stage's final state, building it first if needed.
   *
   * @param index the stage index
   * @return its state (shared: callers copy before changing it)
   * @throws IOException when building fails
   * @throws ContainerfileException when it is invalid
   * @throws BuildException when a step fails
   */
  StageState stage(int index) throws IOException, ContainerfileException, BuildException {
    StageState s = built.get(index);
    if (s != null) {
      return s;
    }
    StagePlan.Stage st = plan.stages().get(index);
    stageOrdinal++;
    String prefix = Math.max(stagesTotal, stageOrdinal) > 1
        ? "[" + stageOrdinal + "/" + Math.max(stagesTotal, stageOrdinal) + "] " : "";
    boolean squash = options.squash() && index == target.index();
    s = new StageExecutor(this, st, prefix, squash).execute();
    built.put(index, s);
    return s;
  }

  // ------------------------------------------------------------ services for the executor

  Progress progress() {
    return progress;
  }

  Platform platform() {
    return platform;
  }

  StagePlan plan() {
    return plan;
  }

  StorageLayout storage() {
    return storage;
  }

  BuildArgs args() {
    return args;
  }

  Map<String, String> globalArgs() {
    return globalArgs;
  }

  Map<String, String> globalScope() {
    return globalScope;
  }

  Path contextDir() {
    return context;
  }

  IgnorePatterns ignore() {
    return ignore;
  }

  boolean allowOverlay() {
    return options.allowOverlay();
  }

  OptionalLong clampMtime() {
    return options.timestamp();
  }

  long nowMillis() {
    return options.timestamp().isPresent() ? options.timestamp().getAsLong() * 1000
        : System.currentTimeMillis();
  }

  /** The {@code created} time of history entries and the config. */
  String created() {
    return RFC3339.format(options.timestamp().isPresent()
        ? Instant.ofEpochSecond(options.timestamp().getAsLong()) : Instant.now());
  }

  /** What besides the step itself shapes a layer's bytes. */
  String layerKeyParts() {
    return options.compression().id() + " " + (options.timestamp().isPresent()
        ? Long.toString(options.timestamp().getAsLong()) : "-");
  }

  String expand(String word, Map<String, String> env, SourceLocation at)
      throws ContainerfileException {
    try {
      return expander.processWord(word, env);
    } catch (VariableExpansionException e) {
      throw new ContainerfileException(at, e.getMessage());
    }
  }

  /**
   * Expands a heredoc body: variables only, quotes and escapes kept as written.
   */
  String expandHeredoc(String body, Map<String, String> env, SourceLocation at)
      throws ContainerfileException {
    char esc = containerfile.escape();
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c == '\'' || c == '"' || c == esc) {
        b.append(esc);
      }
      b.append(c);
    }
    return expand(b.toString(), env, at);
  }

  IgnorePatterns excludePatterns(List<String> patterns, SourceLocation at)
      throws ContainerfileException {
    try {
      return IgnorePatterns.parse(String.join("\n", patterns));
    } catch (IllegalArgumentException e) {
      throw new ContainerfileException(at, "--exclude: " + e.getMessage());
    }
  }

  BaseImage baseImage(String name, SourceLocation at) throws BuildException, ContainerfileException {
    ImageReference ref;
    try {
      ref = bases.referenceFor(name);
    } catch (InvalidReferenceException e) {
      throw new ContainerfileException(at, "invalid image name '" + name + "': "
          + StageExecutor.message(e));
    }
    progress.line("Resolving " + ref);
    try {
      return bases.resolve(ref);
    } catch (IOException e) {
      String hint = name.matches("[a-z0-9][a-z0-9_.-]*") && !name.contains(".")
          ? " (no stage named '" + name + "' before this one either)" : "";
      throw new BuildException(at, "pulling " + ref + ": " + StageExecutor.message(e) + hint, e);
    }
  }

  /** The cache identity of a {@code --from}: a stage's key, or an image's digest. */
  String sourceKey(String from, int currentStage, SourceLocation at)
      throws IOException, ContainerfileException, BuildException {
    Optional<StagePlan.Stage> s = plan.findBefore(from, currentStage);
    if (s.isPresent()) {
      return "stage " + stage(s.get().index()).cacheKey();
    }
    checkNotLaterStage(from, currentStage, at, "--from=" + from);
    return "image " + baseImage(from, at).manifestDigest();
  }

  /**
   * A name that is not an earlier stage: a stage index, or the name of a stage defined later, is
   * an error (an image of that name is not what the author meant).
   */
  void checkNotLaterStage(String name, int currentStage, SourceLocation at, String what)
      throws ContainerfileException {
    if (name.matches("[0-9]+")) {
      throw new ContainerfileException(at, what + ": no stage with index " + name
          + " before this one");
    }
    Optional<StagePlan.Stage> later = plan.find(name);
    if (later.isPresent()) {
      throw new ContainerfileException(at, what + ": stage '" + name + "' is "
          + (later.get().index() == currentStage ? "this stage" : "defined after this one"));
    }
  }

  /** The content hash of a context path bind-mounted into a RUN. */
  String contextHash(String source, SourceLocation at) throws IOException, BuildException {
    SourceSelection sel = new SourceSelection(context, ignore, null, true);
    try {
      return sel.contentHash(sel.select(source));
    } catch (StepFailedException e) {
      throw new BuildException(at, "RUN --mount: " + e.getMessage(), e);
    }
  }

  Optional<LayerCache.Entry> cacheLookup(String key) {
    if (cache == null || options.noCache()) {
      return Optional.empty();
    }
    Optional<LayerCache.Entry> e = cache.lookup(key);
    e.ifPresent(x -> cacheKeysInUse.add(key));
    return e;
  }

  /**
   * Stores a step in the cache (when on) and returns where its change tree now is. An entry this
   * build already uses (the same step twice with --no-cache) is not replaced: its change tree may
   * be a lower of a stage.
   */
  Path cacheStore(String key, ImageLayer.New layer, Path changes) throws IOException {
    if (cache == null || !cacheKeysInUse.add(key)) {
      return changes;
    }
    Descriptor blob = layer.blob(blobs, options.compression());
    return cache.store(key, layer.diffId(), blob, changes).changes();
  }

  Path newStepDir() throws IOException {
    Path d = work.resolve("step-" + (++counter));
    Files.createDirectories(d);
    return d;
  }

  Path newLayerTar() throws IOException {
    Path d = work.resolve("layers");
    Files.createDirectories(d);
    return d.resolve("layer-" + (++counter) + ".tar");
  }

  Path tmpDir() throws IOException {
    Path d = work.resolve("tmp");
    Files.createDirectories(d);
    return d;
  }

  /** What a RUN (or a COPY --from) of stage {@code current} gets from the engine. */
  RunStep.Context runContext(int current) {
    return new RunStep.Context() {
      @Override
      public Path contextDir() {
        return context;
      }

      @Override
      public Path stepTempDir() throws IOException {
        Path d = work.resolve("run-" + (++counter));
        Files.createDirectories(d);
        return d;
      }

      @Override
      public Path cacheMount(String id) throws IOException {
        String hex = HexFormat.of().formatHex(Digest.newSha256().digest(
            id.getBytes(StandardCharsets.UTF_8))).substring(0, 32);
        Path d = storage.cacheMountsDir().resolve(hex);
        Files.createDirectories(d);
        return d;
      }

      @Override
      public Optional<Path> secret(String id) {
        return Optional.ofNullable(options.secrets().get(id));
      }

      @Override
      public RunStep.View view(String from) throws IOException, StepFailedException {
        Optional<StagePlan.Stage> s = plan.findBefore(from, current);
        List<Path> lowers;
        if (s.isPresent()) {
          try {
            lowers = stage(s.get().index()).lowers();
          } catch (ContainerfileException | BuildException e) {
            throw new StepFailedException("building stage " + from + ": " + e.getMessage(), e);
          }
        } else {
          BaseImage b;
          try {
            checkNotLaterStage(from, current, plan.stages().get(current).from().location(),
                "--from=" + from);
            b = baseImage(from, plan.stages().get(current).from().location());
          } catch (ContainerfileException | BuildException e) {
            throw new StepFailedException(e.getMessage(), e);
          }
          lowers = List.of(b.rootfs());
        }
        return lowersView(lowers);
      }

      @Override
      public Map<String, String> proxies() {
        return args.proxies();
      }

      @Override
      public Progress progress() {
        return progress;
      }
    };
  }

  // ------------------------------------------------------------ lint and output

  private void lint(StageState s) throws IOException {
    try (RunStep.View v = lowersView(s.lowers())) {
      List<ContainerLint.Finding> findings = ContainerLint.check(v.root());
      int errors = 0;
      for (ContainerLint.Finding f : findings) {
        progress.line("lint: " + f);
        if (f.level() == ContainerLint.Level.ERROR) {
          errors++;
        }
      }
      if (findings.isEmpty()) {
        progress.line("lint: checks passed");
      }
      if (errors > 0) {
        throw new IOException("container lint found " + errors + " error"
            + (errors == 1 ? "" : "s") + " in the built root filesystem; no image was written");
      }
    }
  }

  private RunStep.View lowersView(List<Path> lowers) throws IOException {
    if (lowers.size() == 1) {
      Path only = lowers.get(0);
      return new RunStep.View() {
        @Override
        public Path root() {
          return only;
        }

        @Override
        public void close() {}
      };
    }
    StepFilesystem fs = StepFilesystem.create(lowers, newStepDir(), options.allowOverlay());
    return new RunStep.View() {
      @Override
      public Path root() {
        return fs.root();
      }

      @Override
      public void close() throws IOException {
        fs.close();
      }
    };
  }

  private BuildResult write(StageState s) throws IOException {
    String created = RFC3339.format(options.timestamp().isPresent()
        ? Instant.ofEpochSecond(options.timestamp().getAsLong()) : Instant.ofEpochMilli(startMillis));
    ImageAssembler.Assembled image = ImageAssembler.assemble(s, created, blobs,
        options.compression());
    List<ImageReference> dests = new ArrayList<>(options.destinations());
    if (dests.isEmpty()) {
      try {
        dests.add(localReference(null));
      } catch (InvalidReferenceException e) {
        throw new IOException("the storage root's path cannot be an image reference: "
            + storage.imagesDir(), e);
      }
    }
    progress.line("COMMIT " + dests.stream().map(ImageReference::toString)
        .reduce((a, b) -> a + " " + b).orElse(""));
    ImageReference self;
    try {
      self = ImageReference.parse("oci:" + work.resolve("image"));
    } catch (InvalidReferenceException e) {
      throw new IllegalStateException(e);
    }
    try (BuiltImageSource src = new BuiltImageSource(self, image, blobs, bases)) {
      for (ImageReference d : dests) {
        try (ImageDestination dst = ImageTransports.openDestination(d, options.transportOptions())) {
          ImageCopier.builder().build().copy(src, dst);
        } catch (IOException e) {
          throw new IOException("writing " + d + ": " + rootMessage(e), e);
        }
      }
    }
    progress.line("--> " + image.config().digest().hex().substring(0, 12));
    return new BuildResult(image.manifest().digest(), image.config().digest(), dests,
        image.layers().size());
  }

  private String rootMessage(IOException e) {
    String m = StageExecutor.message(e);
    return m.startsWith("copying ") && m.contains(": ") ? m.substring(m.indexOf(": ") + 2) : m;
  }

  /**
   * The reference of the storage root's local layout for a name given without transport.
   *
   * @param name the tag, or null for an untagged image
   * @return {@code oci:ROOT/images[:name]}
   * @throws InvalidReferenceException when the name is not a valid tag
   */
  public ImageReference localReference(String name) throws InvalidReferenceException {
    return ImageReference.parse("oci:" + storage.imagesDir() + (name == null ? "" : ":" + name));
  }

  @Override
  public void close() throws IOException {
    try {
      if (bases != null) {
        bases.close();
      }
    } finally {
      try {
        if (work != null) {
          Trees.deleteRecursively(work);
        }
      } finally {
        if (storage != null) {
          storage.close();
        }
      }
    }
  }
}
