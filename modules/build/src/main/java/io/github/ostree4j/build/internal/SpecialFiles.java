package io.github.ostree4j.build.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Creates what the JDK cannot: whiteouts, device nodes and fifos, through {@code mknod}. Whiteouts
 * are hard links to one 0/0 character device per instance (overlayfs shares its whiteouts the
 * same way), so a step with many deletions forks {@code mknod} once.
 */
final class SpecialFiles {

  private final Path whiteoutTemplate;

  /** @param whiteoutTemplate where the shared whiteout lives; on the change tree's file system */
  SpecialFiles(Path whiteoutTemplate) {
    this.whiteoutTemplate = whiteoutTemplate;
  }

  /** Creates a whiteout at {@code at}. */
  void whiteout(Path at) throws IOException {
    if (!Files.exists(whiteoutTemplate, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      mknod(whiteoutTemplate, "c", 0, 0, 0);
    }
    Files.createLink(at, whiteoutTemplate);
  }

  /** Creates a device node or fifo like {@code meta} (permissions set; owner and times are not). */
  static void copyOf(Path at, FileMeta meta) throws IOException {
    switch (meta.type()) {
      case FileMeta.S_IFCHR:
        mknod(at, "c", meta.major(), meta.minor(), meta.perms());
        break;
      case FileMeta.S_IFBLK:
        mknod(at, "b", meta.major(), meta.minor(), meta.perms());
        break;
      case FileMeta.S_IFIFO:
        HostCommand.check(List.of(mknodPath(), "-m", octal(meta.perms()), at.toString(), "p"), null,
            "creating fifo " + at);
        break;
      default:
        throw new IllegalArgumentException("not a device or fifo: " + meta.typeName());
    }
  }

  private static void mknod(Path at, String type, long major, long minor, int perms) throws IOException {
    HostCommand.check(List.of(mknodPath(), "-m", octal(perms), at.toString(), type, Long.toString(major),
        Long.toString(minor)), null, "creating device node " + at);
  }

  private static String mknodPath() throws IOException {
    return HostCommand.require("mknod", "create whiteouts and device nodes").toString();
  }

  private static String octal(int perms) {
    return String.format("%04o", perms & 07777);
  }
}
