package io.github.ostree4j.deploy;

import java.util.List;

/**
 * What an {@code /etc} merge carried over from the previous deployment, counted as libostree
 * counts it: files changed locally ({@code modified}, including type changes), files deleted
 * locally ({@code removed}, a deleted directory counting once) and files added locally ({@code
 * added}, every file of an added directory counting), plus the conflicts.
 *
 * @param modified paths relative to {@code /etc}, in walk order
 * @param removed paths relative to {@code /etc}
 * @param added paths relative to {@code /etc}
 * @param conflicts paths whose type changed on one side while the other had them
 */
public record EtcMergeResult(List<String> modified, List<String> removed, List<String> added,
    List<EtcConflict> conflicts) {

  /** A result with nothing carried over (no previous deployment). */
  public static final EtcMergeResult NONE = new EtcMergeResult(List.of(), List.of(), List.of(), List.of());

  /**
   * Canonical constructor; copies the lists.
   *
   * @param modified modified paths
   * @param removed removed paths
   * @param added added paths
   * @param conflicts conflicts
   */
  public EtcMergeResult {
    modified = List.copyOf(modified);
    removed = List.copyOf(removed);
    added = List.copyOf(added);
    conflicts = List.copyOf(conflicts);
  }

  /**
   * The line libostree prints: {@code Copying /etc changes: 1 modified, 0 removed, 1 added}.
   *
   * @return the summary
   */
  public String summary() {
    return "Copying /etc changes: " + modified.size() + " modified, " + removed.size()
        + " removed, " + added.size() + " added";
  }
}
