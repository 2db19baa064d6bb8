package io.github.ostree4j.build.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A step root on kernel overlayfs: the lower layers read-only, the step's changes collected by the
 * kernel in the upper directory. Missing mount points live in an extra lower layer
 * ({@code mounts/}) just above the others, so the runtime never creates them in the upper
 * directory; adding one after mounting remounts (the upper directory keeps what was written).
 */
final class OverlayRoot implements StepRoot {

  private final Path targets;
  private final List<Path> lowers;
  private final Path upper;
  private final Path merged;
  private final OverlayMount mount;
  private boolean finished;

  private OverlayRoot(Path stepDir, Path targets, List<Path> lowers, Path upper) {
    this.targets = targets;
    this.lowers = List.copyOf(lowers);
    this.upper = upper;
    this.merged = stepDir.resolve("merged");
    this.mount = new OverlayMount(stepDir, upper, stepDir.resolve("work"), merged);
  }

  /**
   * Mounts the overlay.
   *
   * @param targets the (existing) directory for mount points, used as the topmost lower layer
   * @param lowers the step's lower layers, topmost first
   * @throws IOException when the overlay cannot be mounted (the caller may fall back to a copy)
   */
  static OverlayRoot mount(Path stepDir, Path targets, List<Path> lowers, Path upper) throws IOException {
    OverlayRoot r = new OverlayRoot(stepDir, targets, lowers, upper);
    r.mount.mount(r.layers());
    return r;
  }

  private List<Path> layers() {
    List<Path> all = new ArrayList<>();
    all.add(targets);
    all.addAll(lowers);
    return all;
  }

  @Override
  public Path root() {
    return merged;
  }

  @Override
  public boolean usesOverlay() {
    return true;
  }

  @Override
  public void addMountTargets(List<MountTargets.Missing> missing) throws IOException {
    // Lower layers must not change under a mounted overlay: unmount first, and read the merged
    // view (for the parents to mirror) from the layers themselves, upper directory included.
    mount.unmount();
    List<Path> view = new ArrayList<>();
    view.add(upper);
    view.addAll(layers());
    MountTargets.create(targets, new StackedTree(view), missing);
    mount.mount(layers());
  }

  @Override
  public Path finish() throws IOException {
    if (!finished) {
      mount.unmount();
      finished = true;
    }
    return upper;
  }

  @Override
  public void close() throws IOException {
    mount.unmount();
  }
}
