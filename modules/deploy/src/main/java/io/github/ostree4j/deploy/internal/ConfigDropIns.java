package io.github.ostree4j.deploy.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Finds configuration drop-ins the way Zincati (through liboverdrop) does: every {@code *.toml}
 * file of the given directories, the directories taken in order; a file replaces one of the same
 * name in an earlier directory; a file that is a symlink to {@code /dev/null} masks the name;
 * hidden files (a leading {@code .}) and directories are ignored. The result is sorted by file
 * name (byte order), the order in which the files are merged: later files win. Only regular files
 * (and symlinks to them) are drop-ins; a dangling symlink is kept so that reading it fails loudly.
 */
public final class ConfigDropIns {

  /** The extension of drop-ins. */
  public static final String EXTENSION = ".toml";

  private ConfigDropIns() {}

  /**
   * The drop-ins in merge order.
   *
   * @param dirs the directories, lowest precedence first; missing ones are skipped
   * @return the files, sorted by name
   * @throws IOException when a directory exists but cannot be listed
   */
  public static List<Path> scan(List<Path> dirs) throws IOException {
    Map<String, Path> byName = new TreeMap<>();
    for (Path dir : dirs) {
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
        for (Path p : ds) {
          String name = p.getFileName().toString();
          if (name.startsWith(".") || !name.endsWith(EXTENSION) || name.equals(EXTENSION)) {
            continue;
          }
          if (isMask(p)) {
            byName.remove(name);
          } else if (Files.isRegularFile(p) || !Files.exists(p)) {
            byName.put(name, p); // a dangling symlink is kept: reading it reports the problem
          }
        }
      } catch (IOException e) {
        throw new IOException("listing configuration directory " + dir + ": " + reason(e), e);
      }
    }
    return new ArrayList<>(byName.values());
  }

  /** Whether {@code p} is a symlink to {@code /dev/null}. */
  static boolean isMask(Path p) throws IOException {
    if (!Files.isSymbolicLink(p)) {
      return false;
    }
    Path target = Files.readSymbolicLink(p);
    if (target.toString().equals("/dev/null")) {
      return true;
    }
    Path resolved = p.getParent().resolve(target).normalize();
    return resolved.toString().equals("/dev/null")
        || (Files.exists(resolved) && Files.exists(Path.of("/dev/null"))
            && Files.isSameFile(resolved, Path.of("/dev/null")));
  }

  private static String reason(IOException e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
