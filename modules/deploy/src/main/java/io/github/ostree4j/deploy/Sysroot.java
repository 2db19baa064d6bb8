package io.github.ostree4j.deploy;

import io.github.ostree4j.container.ContainerStore;
import io.github.ostree4j.deploy.internal.BootEntry;
import io.github.ostree4j.deploy.internal.VersionOrder;
import io.github.ostree4j.oci.ImageConfig;
import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.ostree.Commit;
import io.github.ostree4j.ostree.OstreeRepo;
import io.github.ostree4j.ostree.RepoMode;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An ostree sysroot in the layout libostree 2022.7 uses, so that {@code ostree admin status}
 * and ostree4j agree on it: the repository {@code ostree/repo} (mode bare), stateroots under
 * {@code ostree/deploy/}, the boot loader entries in {@code boot/loader.N/entries/} selected by
 * the {@code boot/loader} symlink, the links {@code ostree/boot.N -> boot.N.M} and {@code
 * ostree/boot.N.M/STATEROOT/BOOTCSUM/SERIAL -> ../../../deploy/STATEROOT/deploy/COMMIT.SERIAL}.
 *
 * <p>An instance is a snapshot: the deployments are read when it is opened (as {@code ostree
 * admin status} reads them: the entries sorted by their {@code version} key, highest first, each
 * resolved through its {@code ostree=} kernel argument) and {@link #reload()} reads them again.
 * Use {@link Deployer} to change them and {@link #lock()} to keep other writers out.
 */
public final class Sysroot {

  private static final Pattern OSTREE_ARG =
      Pattern.compile("/ostree/boot\\.([01])/([^/]+)/([0-9a-f]{64})/([0-9]+)");
  private static final Pattern DEPLOY_NAME = Pattern.compile("([0-9a-f]{64})\\.([0-9]+)");
  private static final Pattern STATEROOT = Pattern.compile("[A-Za-z0-9_][-A-Za-z0-9_.]*");
  private static final String LABEL_VERSION = "org.opencontainers.image.version";

  private final Path dir;
  private final OstreeRepo repo;
  private final int bootVersion;
  private final int subBootVersion;
  private final List<Deployment> deployments;

  private Sysroot(Path dir, OstreeRepo repo, int bootVersion, int subBootVersion,
      List<Deployment> deployments) {
    this.dir = dir;
    this.repo = repo;
    this.bootVersion = bootVersion;
    this.subBootVersion = subBootVersion;
    this.deployments = List.copyOf(deployments);
  }

  /**
   * Creates a sysroot skeleton as {@code ostree admin init-fs} does: {@code boot dev home proc
   * run sys} (0755), {@code root} (0700), {@code tmp} (1777), {@code ostree/deploy} and the
   * repository {@code ostree/repo} in mode bare. The directory is created if missing; an existing
   * sysroot is opened.
   *
   * @param dir the sysroot directory
   * @return the sysroot
   * @throws IOException when it cannot be created (mode bare needs root)
   */
  public static Sysroot initFs(Path dir) throws IOException {
    Files.createDirectories(dir);
    for (String d : List.of("boot", "dev", "home", "proc", "run", "sys", "root", "tmp")) {
      Path p = dir.resolve(d);
      if (!Files.isDirectory(p)) {
        Files.createDirectory(p);
        int mode = d.equals("root") ? 0700 : d.equals("tmp") ? 01777 : 0755;
        Files.setAttribute(p, "unix:mode", mode);
      }
    }
    Files.createDirectories(dir.resolve("ostree/deploy"));
    OstreeRepo.init(dir.resolve("ostree/repo"), RepoMode.BARE);
    return open(dir);
  }

  /**
   * Opens a sysroot and reads its deployments.
   *
   * @param dir the sysroot directory
   * @return the sysroot
   * @throws DeployException when it is not a sysroot or its boot configuration is invalid
   */
  public static Sysroot open(Path dir) throws IOException {
    if (!Files.isDirectory(dir.resolve("ostree/deploy")) || !Files.isDirectory(dir.resolve("ostree/repo"))) {
      throw new DeployException("opening sysroot " + dir + ": no ostree/deploy and ostree/repo"
          + " (not a sysroot; create one with 'admin init-fs')");
    }
    OstreeRepo repo = OstreeRepo.open(dir.resolve("ostree/repo"));
    int bv = readBootVersion(dir);
    int sbv = readSubBootVersion(dir, bv);
    List<Deployment> list = readDeployments(dir, repo, bv);
    return new Sysroot(dir, repo, bv, sbv, list);
  }

  /**
   * Reads the sysroot again.
   *
   * @return a fresh snapshot
   * @throws IOException as {@link #open(Path)}
   */
  public Sysroot reload() throws IOException {
    return open(dir);
  }

  /**
   * Creates a stateroot as {@code ostree admin os-init} does: {@code ostree/deploy/NAME/var} with
   * {@code lib}, {@code log}, {@code tmp} (1777), {@code lock -> ../run/lock}, {@code run ->
   * ../run}. Existing parts are kept.
   *
   * @param name the stateroot name
   * @throws DeployException when the name is not valid
   * @throws IOException when it cannot be created
   */
  public void osInit(String name) throws IOException {
    checkStateroot(name);
    Path var = dir.resolve("ostree/deploy").resolve(name).resolve("var");
    for (String d : List.of("lib", "log", "tmp")) {
      Path p = var.resolve(d);
      if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectories(p);
        Files.setAttribute(p, "unix:mode", d.equals("tmp") ? 01777 : 0755);
      }
    }
    for (String[] l : new String[][] {{"lock", "../run/lock"}, {"run", "../run"}}) {
      Path p = var.resolve(l[0]);
      if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
        Files.createSymbolicLink(p, Path.of(l[1]));
      }
    }
  }

  /**
   * Checks a stateroot name: letters, digits, {@code - _ .}, not starting with {@code -} or
   * {@code .}.
   *
   * @param name the name
   * @throws DeployException when it is not valid
   */
  public static void checkStateroot(String name) throws DeployException {
    if (name == null || !STATEROOT.matcher(name).matches()) {
      throw new DeployException("invalid stateroot name '" + name
          + "' (letters, digits, '-', '_' and '.', not starting with '-' or '.')");
    }
  }

  /** The sysroot directory. */
  public Path path() {
    return dir;
  }

  /** The sysroot's repository, {@code ostree/repo}. */
  public OstreeRepo repo() {
    return repo;
  }

  /** The boot version N of {@code boot/loader -> loader.N} (0 when there is no link). */
  public int bootVersion() {
    return bootVersion;
  }

  /** The sub-boot version M of {@code ostree/boot.N -> boot.N.M} (0 when there is no link). */
  public int subBootVersion() {
    return subBootVersion;
  }

  /** The deployments in boot order: index 0 is the default. */
  public List<Deployment> deployments() {
    return deployments;
  }

  /** The default deployment (index 0), if any. */
  public Optional<Deployment> defaultDeployment() {
    return deployments.isEmpty() ? Optional.empty() : Optional.of(deployments.get(0));
  }

  /**
   * The first deployment of a stateroot in boot order.
   *
   * @param stateroot the stateroot
   * @return the deployment, if the stateroot has one
   */
  public Optional<Deployment> defaultDeployment(String stateroot) {
    return deployments.stream().filter(d -> d.stateroot().equals(stateroot)).findFirst();
  }

  /** The deployment the running system booted, when this sysroot is {@code /} of a booted ostree system. */
  public Optional<Deployment> bootedDeployment() {
    return deployments.stream().filter(Deployment::isBooted).findFirst();
  }

  /**
   * The stateroots, sorted: the directories of {@code ostree/deploy}.
   *
   * @return the names
   * @throws IOException when the directory cannot be read
   */
  public List<String> stateroots() throws IOException {
    TreeSet<String> out = new TreeSet<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir.resolve("ostree/deploy"))) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) && STATEROOT.matcher(n).matches()) {
          out.add(n);
        }
      }
    }
    return new ArrayList<>(out);
  }

  /**
   * The stateroot to act on: {@code requested} if given (it must exist), else the default
   * deployment's, else the only or first stateroot.
   *
   * @param requested a name, or null
   * @return the stateroot
   * @throws DeployException when there is none or the requested one does not exist
   */
  public String stateroot(String requested) throws IOException {
    List<String> all = stateroots();
    if (requested != null) {
      checkStateroot(requested);
      if (!all.contains(requested)) {
        throw new DeployException("stateroot '" + requested + "' does not exist in " + dir
            + " (create it with 'admin os-init " + requested + "')");
      }
      return requested;
    }
    Optional<Deployment> d = bootedDeployment().or(this::defaultDeployment);
    if (d.isPresent()) {
      return d.get().stateroot();
    }
    if (all.isEmpty()) {
      throw new DeployException("sysroot " + dir + " has no stateroot (create one with 'admin os-init NAME')");
    }
    return all.get(0);
  }

  /**
   * The directory of a deployment.
   *
   * @param d the deployment
   * @return {@code SYSROOT/ostree/deploy/STATEROOT/deploy/COMMIT.SERIAL}
   */
  public Path deploymentPath(Deployment d) {
    return dir.resolve(d.relativePath());
  }

  /**
   * Takes the sysroot lock ({@code ostree/lock}, the file libostree locks), waiting for other
   * writers. Close the result to release it.
   *
   * @return the held lock
   * @throws IOException when the lock file cannot be opened
   */
  public Closeable lock() throws IOException {
    FileChannel ch = FileChannel.open(dir.resolve("ostree/lock"), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE);
    try {
      FileLock l = ch.lock();
      return () -> {
        try {
          l.release();
        } finally {
          ch.close();
        }
      };
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  // ------------------------------------------------------------------ reading

  static int readBootVersion(Path dir) throws IOException {
    Path link = dir.resolve("boot/loader");
    if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
      return 0;
    }
    if (!Files.isSymbolicLink(link)) {
      throw new DeployException("reading " + link + ": not a symbolic link");
    }
    String t = Files.readSymbolicLink(link).toString();
    if (t.equals("loader.0")) {
      return 0;
    }
    if (t.equals("loader.1")) {
      return 1;
    }
    throw new DeployException("reading " + link + ": invalid target '" + t + "'");
  }

  static int readSubBootVersion(Path dir, int bootVersion) throws IOException {
    Path link = dir.resolve("ostree/boot." + bootVersion);
    if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
      return 0;
    }
    if (!Files.isSymbolicLink(link)) {
      throw new DeployException("reading " + link + ": not a symbolic link");
    }
    String t = Files.readSymbolicLink(link).toString();
    if (t.equals("boot." + bootVersion + ".0")) {
      return 0;
    }
    if (t.equals("boot." + bootVersion + ".1")) {
      return 1;
    }
    throw new DeployException("reading " + link + ": invalid target '" + t + "'");
  }

  private static List<Deployment> readDeployments(Path dir, OstreeRepo repo, int bv)
      throws IOException {
    Path entries = dir.resolve("boot/loader." + bv + "/entries");
    List<BootEntry> list = new ArrayList<>();
    List<String> names = new ArrayList<>();
    if (Files.isDirectory(entries)) {
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(entries, "ostree-*.conf")) {
        for (Path p : ds) {
          if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            names.add(p.getFileName().toString());
          }
        }
      }
    }
    Collections.sort(names);
    for (String n : names) {
      list.add(BootEntry.parse(Files.readString(entries.resolve(n), StandardCharsets.UTF_8)));
    }
    list.sort((a, b) -> {
      Optional<String> va = a.get("version");
      Optional<String> vb = b.get("version");
      if (va.isPresent() && vb.isPresent()) {
        return -VersionOrder.INSTANCE.compare(va.get(), vb.get());
      }
      return va.isPresent() ? -1 : vb.isPresent() ? 1 : 0;
    });
    Object root = booted(dir);
    List<Deployment> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      out.add(parseDeployment(dir, repo, bv, list.get(i), i, root));
    }
    return out;
  }

  private static Deployment parseDeployment(Path dir, OstreeRepo repo, int bv, BootEntry e,
      int index, Object bootedKey) throws IOException {
    List<String> args = BootEntry.splitArgs(e.get("options").orElse(""));
    String ostreeArg = null;
    for (String a : args) {
      if (BootEntry.argKey(a).equals("ostree")) {
        ostreeArg = a.substring("ostree=".length());
      }
    }
    String what = "reading boot entry " + index + " of " + dir.resolve("boot/loader." + bv);
    if (ostreeArg == null) {
      throw new DeployException(what + ": no ostree= kernel argument");
    }
    Matcher m = OSTREE_ARG.matcher(ostreeArg);
    if (!m.matches() || Integer.parseInt(m.group(1)) != bv || !STATEROOT.matcher(m.group(2)).matches()) {
      throw new DeployException(what + ": invalid ostree=" + ostreeArg);
    }
    String os = m.group(2);
    Path link = dir.resolve(ostreeArg.substring(1));
    String target;
    try {
      target = Files.readSymbolicLink(link).toString();
    } catch (NoSuchFileException e2) {
      throw new DeployException(what + ": the link " + ostreeArg + " does not exist");
    }
    Matcher dm = DEPLOY_NAME.matcher(Path.of(target).getFileName().toString());
    if (!target.equals("../../../deploy/" + os + "/deploy/" + Path.of(target).getFileName()) || !dm.matches()) {
      throw new DeployException(what + ": the link " + ostreeArg + " points to '" + target
          + "', not to a deployment of " + os);
    }
    Checksum commit = Checksum.parse(dm.group(1));
    int serial = Integer.parseInt(dm.group(2));
    Path deployDir = dir.resolve("ostree/deploy").resolve(os).resolve("deploy").resolve(dm.group(0));
    if (!Files.isDirectory(deployDir, LinkOption.NOFOLLOW_LINKS)) {
      throw new DeployException(what + ": deployment directory " + deployDir + " does not exist");
    }
    Path originFile = deployDir.resolveSibling(dm.group(0) + ".origin");
    String origin = Files.isRegularFile(originFile, LinkOption.NOFOLLOW_LINKS)
        ? Files.readString(originFile, StandardCharsets.UTF_8) : null;
    String version = null;
    Instant time = null;
    String digest = null;
    if (repo.hasObject(commit, io.github.ostree4j.ostree.ObjectType.COMMIT)) {
      Commit c = repo.readCommit(commit);
      version = c.version().orElse(null);
      time = Instant.ofEpochSecond(c.timestamp());
      digest = c.metadataString(ContainerStore.META_MANIFEST_DIGEST).orElse(null);
      Optional<String> cfg = c.metadataString(ContainerStore.META_CONFIG);
      if (cfg.isPresent()) {
        try {
          ImageConfig ic = ImageConfig.parse(cfg.get().getBytes(StandardCharsets.UTF_8));
          Map<String, String> labels = ic.labels();
          if (version == null) {
            version = labels.getOrDefault(LABEL_VERSION, labels.get("version"));
          }
          Optional<String> created = ic.created();
          if (created.isPresent()) {
            time = OffsetDateTime.parse(created.get()).toInstant();
          }
        } catch (IOException | DateTimeParseException ex) {
          // a malformed stored config leaves the commit's values
        }
      }
    }
    boolean isBooted = bootedKey != null && bootedKey.equals(fileKey(deployDir));
    return new Deployment(os, commit, serial, m.group(3), Integer.parseInt(m.group(4)), index,
        BootEntry.removeArg(args, "ostree"), origin, version, time, digest, isBooted);
  }

  /** The identity of {@code /} when this sysroot is the root of a booted ostree system. */
  private static Object booted(Path dir) throws IOException {
    Path root = Path.of("/");
    if (!Files.exists(Path.of("/run/ostree-booted"))
        || !dir.toAbsolutePath().normalize().equals(root)) {
      return null;
    }
    return fileKey(root);
  }

  private static Object fileKey(Path p) throws IOException {
    Map<String, Object> a = Files.readAttributes(p, "unix:dev,ino");
    return a.get("dev") + ":" + a.get("ino");
  }
}
