package io.github.ostree4j.container.internal;

/**
 * Groups paths that no package database claims into components by where they live. The group of
 * a file is its directory cut to three levels: {@code usr/bin}, {@code usr/lib/x86_64-linux-gnu},
 * {@code usr/share/zoneinfo}, {@code usr/share/locale}, {@code usr/share/doc}, {@code
 * usr/lib/firmware}, {@code var/lib/apt}; a kernel's files are cut at four levels, so that each
 * kernel version ({@code usr/lib/modules/6.1.0-13-amd64}) is a component of its own. Everything
 * under {@code etc} or {@code usr/etc} is one group, files at the root are the group {@code /}.
 * Group names contain a {@code /}, so they never collide with package names.
 */
public final class PathGroups {

  private static final int DEPTH = 3;

  private static final java.util.List<String> GENERATED =
      java.util.List.of("etc/", "usr/etc/", "var/log/", "var/cache/ldconfig/");

  private PathGroups() {}

  /**
   * Whether a file that no package claims is generated machine state that package scripts
   * rewrite on most updates (configuration under {@code etc} or {@code usr/etc} such as {@code
   * passwd} or {@code ld.so.cache}, logs, the linker cache). Such files go to layer 0, which
   * changes with every commit anyway; in a layer of their own they would make that layer change
   * too, and a copy of a package file (a configuration template copied to {@code /etc}) would
   * move between layers whenever the package changes the template.
   *
   * @param path a relative tree path
   * @return true for generated state
   */
  public static boolean isGenerated(String path) {
    for (String prefix : GENERATED) {
      if (path.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The group of a file.
   *
   * @param path a relative tree path
   * @return the group name
   */
  public static String of(String path) {
    if (path.startsWith("etc/")) {
      return "etc/";
    }
    if (path.startsWith("usr/etc/")) {
      return "usr/etc/";
    }
    int depth = path.startsWith("usr/lib/modules/") ? DEPTH + 1 : DEPTH;
    int end = -1;
    int levels = 0;
    for (int i = path.indexOf('/'); i >= 0 && levels < depth; i = path.indexOf('/', i + 1)) {
      end = i;
      levels++;
    }
    if (end < 0) {
      return "/";
    }
    String dir = path.substring(0, end);
    return levels == 1 && dir.indexOf('/') < 0 ? dir + "/" : dir;
  }
}
