package io.github.ostree4j.deploy.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Where a deployment's kernel is and its boot checksum, as libostree finds them: the first
 * directory of {@code usr/lib/modules} (in name order) holding a regular file {@code vmlinuz};
 * beside it optionally {@code initramfs.img} (or {@code initramfs}), {@code devicetree} and
 * {@code .vmlinuz.hmac}. The boot checksum is the SHA-256 of the kernel, initramfs and devicetree
 * bytes in that order.
 *
 * <p>Unlike libostree, symbolic links are never followed (a hostile tree could point them at the
 * host), a {@code dtb/} directory and the legacy {@code vmlinuz-VER-CHECKSUM} layouts of {@code
 * usr/lib/ostree-boot} and {@code boot} are not supported.
 *
 * @param kernelVersion the directory name under {@code usr/lib/modules}
 * @param moduleDir that directory
 * @param initramfs the initramfs file name in it, or null
 * @param devicetree whether there is a {@code devicetree} file
 * @param hmac whether there is a {@code .vmlinuz.hmac} file
 * @param bootcsum the boot checksum (64 hex digits)
 */
public record KernelLayout(String kernelVersion, Path moduleDir, String initramfs,
    boolean devicetree, boolean hmac, String bootcsum) {

  /**
   * Finds the kernel of a deployment tree and computes its boot checksum.
   *
   * @param root the deployment's root directory
   * @return the layout, or empty when there is no kernel
   * @throws IOException when the tree cannot be read
   */
  public static Optional<KernelLayout> find(Path root) throws IOException {
    return find(root, null);
  }

  /**
   * Finds the kernel of a deployment tree.
   *
   * @param root the deployment's root directory
   * @param knownBootcsum the boot checksum if already known (it is then not recomputed), or null
   * @return the layout, or empty when there is no kernel
   * @throws IOException when the tree cannot be read
   */
  public static Optional<KernelLayout> find(Path root, String knownBootcsum) throws IOException {
    Path modules = root.resolve("usr/lib/modules");
    if (!FileOps.realDirectory(root, "usr/lib/modules")) {
      return Optional.empty();
    }
    List<Path> dirs = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(modules)) {
      for (Path p : ds) {
        dirs.add(p);
      }
    }
    dirs.sort(null);
    for (Path d : dirs) {
      String kver = d.getFileName().toString();
      if (!Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS) || !validName(kver)
          || !isRegular(d.resolve("vmlinuz"))) {
        continue;
      }
      String initramfs = isRegular(d.resolve("initramfs.img")) ? "initramfs.img"
          : isRegular(d.resolve("initramfs")) ? "initramfs" : null;
      boolean dt = isRegular(d.resolve("devicetree"));
      boolean hmac = isRegular(d.resolve(".vmlinuz.hmac"));
      String csum = knownBootcsum;
      if (csum == null) {
        MessageDigest md = sha256();
        digest(md, d.resolve("vmlinuz"));
        if (initramfs != null) {
          digest(md, d.resolve(initramfs));
        }
        if (dt) {
          digest(md, d.resolve("devicetree"));
        }
        csum = HexFormat.of().formatHex(md.digest());
      }
      return Optional.of(new KernelLayout(kver, d, initramfs, dt, hmac, csum));
    }
    return Optional.empty();
  }

  /** The kernel's name in the boot directory: {@code vmlinuz-KVER}. */
  public String kernelName() {
    return "vmlinuz-" + kernelVersion;
  }

  /** The initramfs's name in the boot directory: {@code initramfs-KVER.img}. */
  public String initramfsName() {
    return "initramfs-" + kernelVersion + ".img";
  }

  /** The devicetree's name in the boot directory: {@code devicetree-KVER}. */
  public String devicetreeName() {
    return "devicetree-" + kernelVersion;
  }

  /** The HMAC file's name in the boot directory, as dracut expects: {@code .vmlinuz-KVER.hmac}. */
  public String hmacName() {
    return "." + kernelName() + ".hmac";
  }

  /**
   * A file to install in the boot directory.
   *
   * @param source the file in the deployment tree
   * @param name its name in {@code /boot/ostree/STATEROOT-BOOTCSUM/}
   */
  public record BootFile(Path source, String name) {}

  /**
   * The files to install in the boot directory, kernel first.
   *
   * @return the files
   */
  public List<BootFile> files() {
    List<BootFile> out = new ArrayList<>();
    out.add(new BootFile(moduleDir.resolve("vmlinuz"), kernelName()));
    if (initramfs != null) {
      out.add(new BootFile(moduleDir.resolve(initramfs), initramfsName()));
    }
    if (devicetree) {
      out.add(new BootFile(moduleDir.resolve("devicetree"), devicetreeName()));
    }
    if (hmac) {
      out.add(new BootFile(moduleDir.resolve(".vmlinuz.hmac"), hmacName()));
    }
    return out;
  }

  private static boolean validName(String s) {
    if (s.isEmpty() || s.startsWith(".")) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c <= ' ' || c == 0x7f || c == '/') {
        return false;
      }
    }
    return true;
  }

  private static boolean isRegular(Path p) {
    return Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS);
  }

  private static void digest(MessageDigest md, Path p) throws IOException {
    byte[] buf = new byte[65536];
    try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
