package io.github.ostree4j.build.internal;

import java.util.List;

/**
 * What one RUN step executes: argv (SHELL + command already combined), environment
 * ({@code K=V}), working directory inside the root, numeric user/group and supplementary groups,
 * whether the host network is shared (podman's default for builds), extra mounts and hostname.
 */
public record RunSpec(List<String> args, List<String> env, String cwd, int uid, int gid,
    List<Integer> additionalGids, boolean hostNetwork, List<MountPoint> mounts, String hostname) {

  public RunSpec {
    args = List.copyOf(args);
    env = List.copyOf(env);
    additionalGids = List.copyOf(additionalGids);
    mounts = List.copyOf(mounts);
  }
}
