package io.github.ostree4j.build.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A step root without overlayfs: a full copy of the stacked lower layers ({@link TreeCopier}),
 * recorded before the step ({@link Baseline}) and diffed into a change tree at the end
 * ({@link TreeDiff}). Mount points are created in the copy and recorded as if they had been there
 * all along, so they never count as changes.
 *
 * <p>Differences from the overlay path: files that are hard links of one another in the lowers
 * stay hard links in the copy, so writing to one in place changes all of them (overlayfs breaks
 * the link on copy-up); xattrs outside {@code user.} of unchanged lower files are not copied; and
 * opening a file for writing without changing it is not a change here.
 */
final class CopiedRoot implements StepRoot {

  private final Path copy;
  private final Path upper;
  private final SpecialFiles specials;
  private Baseline.Node baseline;
  private boolean finished;

  private CopiedRoot(Path copy, Path upper, SpecialFiles specials) {
    this.copy = copy;
    this.upper = upper;
    this.specials = specials;
  }

  /** Copies the stack into {@code <stepDir>/rootfs} and records it. */
  static CopiedRoot create(Path stepDir, StackedTree stack, Path upper) throws IOException {
    Path copy = stepDir.resolve("rootfs");
    Files.createDirectory(copy);
    TreeCopier.copy(stack, copy);
    CopiedRoot r = new CopiedRoot(copy, upper, new SpecialFiles(stepDir.resolve("whiteout")));
    r.baseline = Baseline.record(copy);
    return r;
  }

  @Override
  public Path root() {
    return copy;
  }

  @Override
  public boolean usesOverlay() {
    return false;
  }

  @Override
  public void addMountTargets(List<MountTargets.Missing> missing) throws IOException {
    for (MountTargets.Missing m : missing) {
      RootedPaths.Resolved r = m.resolved();
      for (int i = r.firstMissing(); i < r.components().size(); i++) {
        String parentRel = r.prefix(i);
        Path parent = parentRel.isEmpty() ? copy : copy.resolve(parentRel);
        Path at = copy.resolve(r.prefix(i + 1));
        if (FileTrees.exists(at)) {
          continue;
        }
        FileMeta parentBefore = FileMeta.read(parent);
        if (i == r.components().size() - 1 && m.file()) {
          Files.createFile(at);
          Metadata.setOwnerAndMode(at, 0, 0, 0644);
        } else {
          Files.createDirectory(at);
          Metadata.setOwnerAndMode(at, 0, 0, 0755);
          ChangeTreeFormat.setCopyId(at, FileMeta.read(at).ino());
        }
        Metadata.setMtime(parent, parentBefore.mtime());
        Baseline.Node pn = Baseline.find(baseline, parentRel);
        if (pn == null) {
          throw new IllegalStateException("no baseline for /" + parentRel);
        }
        if (pn.meta.sameFile(parentBefore) && !Baseline.changed(pn.meta, parentBefore)) {
          pn.meta = FileMeta.read(parent);
        }
        pn.children.put(r.components().get(i), new Baseline.Node(FileMeta.read(at)));
      }
    }
  }

  @Override
  public Path finish() throws IOException {
    if (!finished) {
      TreeDiff.apply(copy, baseline, upper, specials);
      FileTrees.deleteRecursively(copy);
      baseline = null;
      finished = true;
    }
    return upper;
  }

  @Override
  public void close() {}
}
