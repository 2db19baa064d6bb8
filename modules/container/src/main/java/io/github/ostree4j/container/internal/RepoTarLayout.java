package io.github.ostree4j.container.internal;

import io.github.ostree4j.ostree.Checksum;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Where things live in an ostree-ext tar stream: the {@code bare-split-xattrs} repository under
 * {@code sysroot/ostree/repo/}, its skeleton directories and config, object paths, and the
 * mapping of commit paths to the checkout paths next to it ({@code usr/etc} becomes {@code etc}).
 */
public final class RepoTarLayout {

  /** The repository inside the stream (no trailing slash). */
  public static final String REPO = "sysroot/ostree/repo";

  /** The objects directory inside the stream. */
  public static final String OBJECTS = REPO + "/objects";

  /** The repository config file inside the stream. */
  public static final String CONFIG_PATH = REPO + "/config";

  /** The config of the embedded repository: mode {@code bare-split-xattrs}. */
  public static final String CONFIG = "[core]\nrepo_version=1\nmode=bare-split-xattrs\n";

  /** Mode of the synthesized {@code var/tmp} directory: sticky and world-writable. */
  public static final int VAR_TMP_MODE = 01777;

  /** The synthesized {@code var/tmp} directory. */
  public static final String VAR_TMP = "var/tmp";

  private static final List<String> SKELETON = buildSkeleton();

  private RepoTarLayout() {}

  private static List<String> buildSkeleton() {
    List<String> dirs = new ArrayList<>();
    dirs.add("sysroot");
    dirs.add("sysroot/ostree");
    dirs.add(REPO);
    dirs.add(OBJECTS);
    for (int i = 0; i < 256; i++) {
      dirs.add(OBJECTS + "/" + String.format("%02x", i));
    }
    for (String d : List.of("extensions", "refs", "refs/heads", "refs/mirrors", "refs/remotes", "state", "tmp",
        "tmp/cache")) {
      dirs.add(REPO + "/" + d);
    }
    return List.copyOf(dirs);
  }

  /** The skeleton directories, in the order they are written (all root:root 0755). */
  public static List<String> skeletonDirectories() {
    return SKELETON;
  }

  /** The config file's bytes. */
  public static byte[] configBytes() {
    return CONFIG.getBytes(StandardCharsets.US_ASCII);
  }

  /** The path of an object in the stream, e.g. {@code sysroot/ostree/repo/objects/ab/cd...ef.file}. */
  public static String objectPath(Checksum checksum, String suffix) {
    String hex = checksum.hex();
    return OBJECTS + "/" + hex.substring(0, 2) + "/" + hex.substring(2) + "." + suffix;
  }

  /**
   * The checkout path for a path of the commit: {@code usr/etc} and everything below it move to
   * {@code etc}; other paths are unchanged.
   */
  public static String checkoutPath(String commitPath) {
    if (commitPath.equals("usr/etc")) {
      return "etc";
    }
    if (commitPath.startsWith("usr/etc/")) {
      return commitPath.substring("usr/".length());
    }
    return commitPath;
  }
}
