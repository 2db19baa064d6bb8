package io.github.ostree4j.build.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Turns a checkout of an image's merge commit into the root filesystem a container runtime sees
 * for that image, as the ostree-ext tar export lays it out:
 *
 * <ul>
 *   <li>{@code usr/etc} becomes {@code etc} (the store keeps {@code /etc} there, for ostree images
 *       and for the derived layers of any image); for other images a {@code usr} left empty by
 *       that is removed (the store made it; an image with an empty {@code /usr} loses it);
 *   <li>for ostree images: {@code var/tmp} (root, 01777) when the tree has none, and the embedded
 *       repository's skeleton ({@code sysroot/ostree/repo/objects/00..ff}, {@code refs/...},
 *       {@code state}, {@code tmp/cache}, {@code extensions}) with its {@code config} of mode
 *       {@code bare-split-xattrs}, so that {@code ostree container commit} recognizes the image.
 *       The repository's objects (hard links to every file in the real image) are not
 *       materialized.
 * </ul>
 */
public final class ContainerView {

  /** The version of these rules; cached views of another version are not used. */
  public static final String VERSION = "v1";
  /** The repository inside an ostree container image. */
  public static final String REPO = "sysroot/ostree/repo";
  /** Its config. */
  public static final String REPO_CONFIG = "[core]\nrepo_version=1\nmode=bare-split-xattrs\n";

  private ContainerView() {}

  /**
   * Applies the container view to a fresh checkout.
   *
   * @param tree the checkout
   * @param ostree whether the image is an ostree container image
   * @throws IOException when the tree cannot be changed
   */
  public static void apply(Path tree, boolean ostree) throws IOException {
    Path usrEtc = tree.resolve("usr/etc");
    Path etc = tree.resolve("etc");
    if (Files.isDirectory(usrEtc, LinkOption.NOFOLLOW_LINKS)
        && !Files.exists(etc, LinkOption.NOFOLLOW_LINKS)) {
      Files.move(usrEtc, etc);
      Path usr = tree.resolve("usr");
      if (!ostree && isEmptyDirectory(usr)) {
        Files.delete(usr); // made by the store only to hold usr/etc
      }
    }
    if (!ostree) {
      return;
    }
    Path varTmp = tree.resolve("var/tmp");
    if (!Files.exists(varTmp, LinkOption.NOFOLLOW_LINKS)) {
      mkdir(tree.resolve("var"), 0755);
      mkdir(varTmp, 01777);
    }
    for (String d : new String[] {"sysroot", "sysroot/ostree", REPO, REPO + "/objects"}) {
      mkdir(tree.resolve(d), 0755);
    }
    for (int i = 0; i < 256; i++) {
      mkdir(tree.resolve(REPO + "/objects/" + String.format("%02x", i)), 0755);
    }
    for (String d : new String[] {"extensions", "refs", "refs/heads", "refs/mirrors",
        "refs/remotes", "state", "tmp", "tmp/cache"}) {
      mkdir(tree.resolve(REPO + "/" + d), 0755);
    }
    Path config = tree.resolve(REPO + "/config");
    if (!Files.exists(config, LinkOption.NOFOLLOW_LINKS)) {
      Files.write(config, REPO_CONFIG.getBytes(StandardCharsets.US_ASCII));
      Files.setAttribute(config, "unix:mode", 0644, LinkOption.NOFOLLOW_LINKS);
    }
  }

  /**
   * Whether a root filesystem is an ostree container (it holds the embedded repository's config).
   *
   * @param root the root filesystem
   * @return true when {@code sysroot/ostree/repo/config} is a regular file
   */
  public static boolean isOstreeContainer(Path root) {
    return Files.isRegularFile(root.resolve(REPO + "/config"), LinkOption.NOFOLLOW_LINKS);
  }

  private static boolean isEmptyDirectory(Path p) throws IOException {
    if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    try (var s = Files.list(p)) {
      return s.findAny().isEmpty();
    }
  }

  private static void mkdir(Path p, int mode) throws IOException {
    if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.createDirectory(p);
    Files.setAttribute(p, "unix:mode", mode, LinkOption.NOFOLLOW_LINKS);
  }
}
