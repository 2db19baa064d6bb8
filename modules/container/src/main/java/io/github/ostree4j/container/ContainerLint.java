package io.github.ostree4j.container;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code container lint}: checks a bootable container root filesystem for what breaks or
 * surprises on a node, in the spirit of {@code bootc container lint}.
 *
 * <ul>
 *   <li>{@code kernel} (error): exactly one kernel, {@code /usr/lib/modules/VERSION/vmlinuz};
 *   <li>{@code etc-usretc} (error): both {@code /etc} and {@code /usr/etc} have content (a node
 *       would see only one of them);
 *   <li>{@code var-content} (warning): files in {@code /var} are only copied on the first
 *       deployment; later updates of them never reach a node;
 *   <li>{@code nonempty-boot} (warning): {@code /boot} is managed by the node, content shipped
 *       there is ignored;
 *   <li>{@code content-outside-usr} (warning): content in top-level directories other than {@code
 *       /usr}, {@code /etc} and {@code /var} (such as {@code /opt} or {@code /srv}), which an ostree
 *       import drops;
 *   <li>{@code sysroot} (warning): no {@code /sysroot/ostree/repo} (not an ostree container).
 * </ul>
 */
public final class ContainerLint {

  /** How bad a finding is. */
  public enum Level { ERROR, WARNING }

  /** One finding. */
  public record Finding(Level level, String check, String message) {
    @Override
    public String toString() {
      return (level == Level.ERROR ? "error" : "warning") + ": " + check + ": " + message;
    }
  }

  /** Top-level entries that are expected (API filesystems, ostree, merged-/usr symlinks). */
  private static final Set<String> EXPECTED_TOP = Set.of("usr", "etc", "var", "boot", "sysroot",
      "ostree", "dev", "proc", "sys", "run", "tmp", "bin", "sbin", "lib", "lib32", "lib64",
      "libx32", "home", "root", "mnt", "media", "efi", "afs");

  private static final int SHOWN = 5;

  private ContainerLint() {}

  /**
   * Checks a root filesystem.
   *
   * @param root the root directory (an unpacked image, or {@code /} inside a build)
   * @return the findings, errors first
   * @throws IOException when the tree cannot be read
   */
  public static List<Finding> check(Path root) throws IOException {
    List<Finding> out = new ArrayList<>();
    checkKernel(root, out);
    if (hasContent(root.resolve("etc")) && hasContent(root.resolve("usr/etc"))) {
      out.add(new Finding(Level.ERROR, "etc-usretc", "both /etc and /usr/etc have content"));
    }
    List<String> var = files(root.resolve("var"), root, Set.of("var/tmp", "var/cache", "var/log"));
    if (!var.isEmpty()) {
      out.add(new Finding(Level.WARNING, "var-content", var.size() + " files in /var are only"
          + " copied on first deployment, never updated: " + sample(var)));
    }
    List<String> boot = files(root.resolve("boot"), root, Set.of());
    if (!boot.isEmpty()) {
      out.add(new Finding(Level.WARNING, "nonempty-boot", "/boot is managed by the node; "
          + boot.size() + " files there are ignored: " + sample(boot)));
    }
    Set<String> outside = new TreeSet<>();
    try (DirectoryStream<Path> top = Files.newDirectoryStream(root)) {
      for (Path p : top) {
        String name = p.getFileName().toString();
        if (EXPECTED_TOP.contains(name) || name.startsWith(".")
            || Files.isSymbolicLink(p) || !hasContent(p) && Files.isDirectory(p)) {
          continue;
        }
        outside.add("/" + name);
      }
    }
    if (!outside.isEmpty()) {
      out.add(new Finding(Level.WARNING, "content-outside-usr", "content outside /usr, /etc and"
          + " /var is dropped on import: " + String.join(", ", outside)));
    }
    if (!Files.isDirectory(root.resolve("sysroot/ostree/repo"))) {
      out.add(new Finding(Level.WARNING, "sysroot", "no /sysroot/ostree/repo: not an ostree"
          + " container image"));
    }
    out.sort((a, b) -> a.level().compareTo(b.level()));
    return out;
  }

  private static void checkKernel(Path root, List<Finding> out) throws IOException {
    Path modules = root.resolve("usr/lib/modules");
    List<String> kernels = new ArrayList<>();
    if (Files.isDirectory(modules)) {
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(modules)) {
        for (Path k : ds) {
          if (Files.isRegularFile(k.resolve("vmlinuz"))) {
            kernels.add(k.getFileName().toString());
          }
        }
      }
    }
    if (kernels.isEmpty()) {
      out.add(new Finding(Level.ERROR, "kernel", "no kernel: expected /usr/lib/modules/VERSION/vmlinuz"));
    } else if (kernels.size() > 1) {
      kernels.sort(null);
      out.add(new Finding(Level.ERROR, "kernel", "more than one kernel: " + String.join(", ", kernels)));
    }
  }

  private static boolean hasContent(Path dir) throws IOException {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      return ds.iterator().hasNext();
    }
  }

  /** Non-directory entries under dir, relative to root, skipping the given subtrees. */
  private static List<String> files(Path dir, Path root, Set<String> skip) throws IOException {
    List<String> out = new ArrayList<>();
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return out;
    }
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) {
        return skip.contains(root.relativize(d).toString()) ? FileVisitResult.SKIP_SUBTREE
            : FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path f, BasicFileAttributes a) {
        out.add("/" + root.relativize(f));
        return FileVisitResult.CONTINUE;
      }
    });
    out.sort(null);
    return out;
  }

  private static String sample(List<String> paths) {
    return paths.size() <= SHOWN ? String.join(", ", paths)
        : String.join(", ", paths.subList(0, SHOWN)) + ", …";
  }
}
