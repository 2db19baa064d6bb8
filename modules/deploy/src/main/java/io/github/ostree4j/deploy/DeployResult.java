package io.github.ostree4j.deploy;

import java.util.List;

/**
 * The outcome of writing a new deployment.
 *
 * @param deployment the new default deployment
 * @param etc what the {@code /etc} merge carried over from the previous deployment
 * @param removed the deployment directories removed afterwards (relative to the sysroot)
 */
public record DeployResult(Deployment deployment, EtcMergeResult etc, List<String> removed) {

  /**
   * Canonical constructor; copies the list.
   *
   * @param deployment the deployment
   * @param etc the merge result
   * @param removed removed directories
   */
  public DeployResult {
    removed = List.copyOf(removed);
  }
}
