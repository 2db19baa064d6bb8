package io.github.ostree4j.deploy;

import io.github.ostree4j.deploy.internal.FileOps;
import io.github.ostree4j.deploy.internal.KernelLayout;
import io.github.ostree4j.ostree.Checkout;
import io.github.ostree4j.ostree.CheckoutOptions;
import io.github.ostree4j.ostree.KeyFile;
import io.github.ostree4j.ostree.ObjectType;
import io.github.ostree4j.ostree.OstreeRepo;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Changes the deployments of a sysroot: writes a new default deployment, rolls back, undeploys,
 * cleans up. Every change holds the sysroot lock, first removes what an interrupted change left
 * behind, and ends with one atomic switch of the {@code boot/loader} symlink (see {@link
 * BootConfigWriter}); a crash or kill at any point leaves the previous deployments bootable.
 *
 * <p>A new deployment is written as {@code ostree admin deploy} writes it:
 *
 * <ol>
 *   <li>a hard-link checkout of the commit into {@code ostree/deploy/STATEROOT/deploy/COMMIT.SERIAL};
 *   <li>{@code etc} as a copy of {@code usr/etc}, with the local changes of the previous deployment
 *       merged in ({@link EtcMerge});
 *   <li>the origin file {@code COMMIT.SERIAL.origin};
 *   <li>the boot configuration with the new deployment first, keeping the previous deployment of
 *       the stateroot (the rollback target), the booted one and those of other stateroots.
 * </ol>
 *
 * <p>Unlike libostree, deployment directories are not made immutable ({@code chattr +i}); those
 * made immutable by libostree are handled when they are removed. SELinux relabeling is not done.
 */
public final class Deployer {

  private static final Pattern DEPLOY_NAME = Pattern.compile("([0-9a-f]{64})\\.([0-9]+)");

  private final Sysroot sysroot;
  private Consumer<String> messages = m -> { };

  /**
   * A deployer of a sysroot.
   *
   * @param sysroot the sysroot (re-read under the lock by every operation)
   */
  public Deployer(Sysroot sysroot) {
    this.sysroot = Objects.requireNonNull(sysroot, "sysroot");
  }

  /**
   * Where progress lines go, e.g. {@code Copying /etc changes: 1 modified, 0 removed, 1 added}.
   *
   * @param sink the receiver
   * @return this
   */
  public Deployer messages(Consumer<String> sink) {
    this.messages = Objects.requireNonNull(sink, "sink");
    return this;
  }

  /**
   * Writes a deployment of a commit and makes it the default.
   *
   * @param request what to deploy
   * @return the new deployment and what the {@code /etc} merge did
   * @throws DeployException when the stateroot or commit does not exist or the tree has no
   *     kernel; nothing is changed then
   * @throws IOException when writing fails (the previous deployments stay current)
   */
  public DeployResult deploy(DeployRequest request) throws IOException {
    try (Closeable lock = sysroot.lock()) {
      return deployLocked(request);
    }
  }

  /** {@link #deploy(DeployRequest)} for a caller that holds the sysroot lock. */
  DeployResult deployLocked(DeployRequest request) throws IOException {
    Sysroot s = sysroot.reload();
    SysrootCleaner.clean(s);
    String os = request.stateroot();
    Sysroot.checkStateroot(os);
    Path osDir = s.path().resolve("ostree/deploy").resolve(os);
    if (!Files.isDirectory(osDir.resolve("var"), LinkOption.NOFOLLOW_LINKS)) {
      throw new DeployException("deploying " + request.commit() + ": stateroot '" + os
          + "' does not exist (create it with 'admin os-init " + os + "')");
    }
    OstreeRepo repo = s.repo();
    if (!repo.hasObject(request.commit(), ObjectType.COMMIT)) {
      throw new DeployException("deploying " + request.commit() + ": no such commit in "
          + repo.path());
    }
    Deployment merge = s.bootedDeployment().filter(d -> d.stateroot().equals(os))
        .or(() -> s.defaultDeployment(os)).orElse(null);
    Path deployRoot = Files.createDirectories(osDir.resolve("deploy"));
    int serial = nextSerial(deployRoot, request.commit().hex());
    String name = request.commit().hex() + "." + serial;
    Path target = deployRoot.resolve(name);
    try {
      return write(s, request, merge, target, serial);
    } catch (IOException | RuntimeException e) {
      try {
        SysrootCleaner.clean(sysroot.reload()); // drops the deployment unless it went live
      } catch (IOException | RuntimeException e2) {
        e.addSuppressed(e2);
      }
      throw e;
    }
  }

  private DeployResult write(Sysroot s, DeployRequest request, Deployment merge, Path target,
      int serial) throws IOException {
    String os = request.stateroot();
    OstreeRepo repo = s.repo();
    FileOps.deleteTree(target);
    new Checkout(repo).checkout(request.commit(), target, CheckoutOptions.defaults());
    prepareEtc(repo, request, target);
    EtcMergeResult etc = EtcMergeResult.NONE;
    if (merge != null) {
      Path old = s.deploymentPath(merge);
      etc = EtcMerge.merge(old.resolve("usr/etc"), old.resolve("etc"), target.resolve("etc"));
      messages.accept(etc.summary());
      for (EtcConflict c : etc.conflicts()) {
        messages.accept("warning: /etc conflict: " + c);
      }
    }
    KernelLayout kernel = KernelLayout.find(target).orElseThrow(() -> new DeployException(
        "deploying " + request.commit() + ": the tree has no kernel (usr/lib/modules/VERSION/vmlinuz)"));
    KeyFile origin = request.origin();
    if (!etc.conflicts().isEmpty()) {
      Origins.setConflicts(origin, etc.conflicts());
    }
    FileOps.writeDurably(target.resolveSibling(target.getFileName() + ".origin"), origin.toText());
    Path stamp = s.path().resolve("ostree/deploy").resolve(os).resolve("var/.ostree-selabeled");
    if (!Files.exists(stamp, LinkOption.NOFOLLOW_LINKS)) {
      Files.createFile(stamp);
    }
    List<String> kargs = request.kernelArgs()
        .orElse(merge != null ? merge.kernelArgs() : List.of());
    List<BootConfigWriter.Planned> list = new ArrayList<>();
    list.add(new BootConfigWriter.Planned(os, request.commit(), serial, kernel, kargs));
    List<Deployment> kept = new ArrayList<>();
    for (Deployment d : s.deployments()) {
      if (!d.stateroot().equals(os) || d.isBooted() || d.sameAs(merge)) {
        kept.add(d);
      }
    }
    list.addAll(BootConfigWriter.existing(s, kept));
    Sysroot after = new BootConfigWriter(s, messages).write(list);
    return new DeployResult(after.deployments().get(0), etc, removedBy(s, after));
  }

  /** {@code etc} from {@code usr/etc}, as libostree prepares it (copies, not hard links). */
  private static void prepareEtc(OstreeRepo repo, DeployRequest request, Path target)
      throws IOException {
    Path etc = target.resolve("etc");
    Path usrEtc = target.resolve("usr/etc");
    boolean hasUsr = FileOps.realDirectory(target, "usr");
    boolean hasUsrEtc = FileOps.realDirectory(target, "usr/etc");
    if (Files.isDirectory(etc, LinkOption.NOFOLLOW_LINKS)) {
      boolean empty;
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(etc)) {
        empty = !ds.iterator().hasNext();
      }
      if (empty && hasUsrEtc) {
        Files.delete(etc);
      } else if (!empty && hasUsrEtc) {
        throw new DeployException("deploying " + request.commit()
            + ": the tree contains both /etc and /usr/etc");
      } else if (!empty && hasUsr && !Files.exists(usrEtc, LinkOption.NOFOLLOW_LINKS)) {
        Files.move(etc, usrEtc);
        hasUsrEtc = true;
      } else if (!empty) {
        throw new DeployException("deploying " + request.commit()
            + ": the tree has /etc but no /usr directory to move it to");
      }
    }
    if (hasUsrEtc) {
      new Checkout(repo).checkout(request.commit(), etc,
          CheckoutOptions.builder().subpath("/usr/etc").forceCopy(true).build());
    }
  }

  /** One more than the highest serial of the commit's deployment directories. */
  private static int nextSerial(Path deployRoot, String commit) throws IOException {
    int next = 0;
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(deployRoot)) {
      for (Path p : ds) {
        Matcher m = DEPLOY_NAME.matcher(p.getFileName().toString());
        if (m.matches() && m.group(1).equals(commit)) {
          next = Math.max(next, Integer.parseInt(m.group(2)) + 1);
        }
      }
    }
    return next;
  }

  /**
   * Swaps the default and the rollback deployment (index 0 and 1): the entries are rewritten with
   * their versions swapped into the other loader directory, then switched to atomically.
   *
   * @return the sysroot afterwards
   * @throws DeployException when there is no rollback deployment
   * @throws IOException when writing fails (the previous order stays current)
   */
  public Sysroot rollback() throws IOException {
    try (Closeable lock = sysroot.lock()) {
      Sysroot s = sysroot.reload();
      SysrootCleaner.clean(s);
      List<Deployment> ds = new ArrayList<>(s.deployments());
      if (ds.size() < 2) {
        throw new DeployException("rolling back: there is no rollback deployment (the sysroot has "
            + ds.size() + " deployment" + (ds.size() == 1 ? "" : "s") + ")");
      }
      Deployment first = ds.remove(0);
      ds.add(1, first);
      return new BootConfigWriter(s, messages).write(BootConfigWriter.existing(s, ds));
    }
  }

  /**
   * Removes the deployment at an index from the boot order and deletes it.
   *
   * @param index the index, as {@code status} lists it
   * @return the removed deployment
   * @throws DeployException when there is no such index or it is the booted deployment
   * @throws IOException when writing fails
   */
  public Deployment undeploy(int index) throws IOException {
    try (Closeable lock = sysroot.lock()) {
      Sysroot s = sysroot.reload();
      SysrootCleaner.clean(s);
      List<Deployment> ds = new ArrayList<>(s.deployments());
      if (index < 0 || index >= ds.size()) {
        throw new DeployException("undeploying " + index + ": out of range, the sysroot has "
            + ds.size() + " deployment" + (ds.size() == 1 ? "" : "s"));
      }
      Deployment d = ds.remove(index);
      if (d.isBooted()) {
        throw new DeployException("undeploying " + index + ": it is the booted deployment");
      }
      new BootConfigWriter(s, messages).write(BootConfigWriter.existing(s, ds));
      messages.accept("Deleted deployment " + d.dirName());
      return d;
    }
  }

  /**
   * Removes what the current boot configuration does not use (leftovers of interrupted changes,
   * old loader directories, unreferenced deployments and boot files) and rewrites the GC anchor
   * refs. The repository is not pruned.
   *
   * @return the deployment directories removed
   * @throws IOException when something cannot be removed
   */
  public List<String> cleanup() throws IOException {
    try (Closeable lock = sysroot.lock()) {
      return SysrootCleaner.clean(sysroot.reload());
    }
  }

  private static List<String> removedBy(Sysroot before, Sysroot after) {
    List<String> out = new ArrayList<>();
    for (Deployment d : before.deployments()) {
      if (after.deployments().stream().noneMatch(d::sameAs)) {
        out.add(d.relativePath());
      }
    }
    return out;
  }
}
