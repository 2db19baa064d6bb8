package io.github.ostree4j.container.internal;

import io.github.ostree4j.ostree.OstreeException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The dpkg database of a commit, read through the repository: the packages of the {@code status}
 * file, the {@code diversions} file and the per-package files of {@code info/}.
 */
public final class DpkgDatabase {

  /** Where ostree-based Debian systems keep the dpkg database, in order of preference. */
  public static final List<String> ADMIN_DIRS =
      List.of("var/lib/dpkg", "usr/share/dpkg/database", "usr/lib/sysimage/dpkg");

  /** States of packages that dpkg no longer tracks. */
  private static final Set<String> GONE = Set.of("not-installed");

  /**
   * A package instance of the status file.
   *
   * @param name the package name
   * @param arch the architecture ({@code ""} if not recorded)
   * @param multiArchSame whether it is {@code Multi-Arch: same} (its info files carry the arch)
   * @param source the source package name (the package name when the field is absent)
   */
  public record Package(String name, String arch, boolean multiArchSame, String source) {

    /** The stem of this package's files in {@code info/}. */
    String infoStem() {
      return multiArchSame && !arch.isEmpty() ? name + ":" + arch : name;
    }
  }

  /**
   * A diversion: {@code from} is moved to {@code to}, unless the package is {@code by}.
   *
   * @param from the diverted path
   * @param to where other packages' copy goes
   * @param by the diverting package, {@code ":"} for a local diversion
   */
  public record Diversion(String from, String to, String by) {}

  private final TreeIndex tree;
  private final String adminDir;
  private final List<Package> packages;
  private final Map<String, Diversion> diversions;

  private DpkgDatabase(TreeIndex tree, String adminDir, List<Package> packages, Map<String, Diversion> diversions) {
    this.tree = tree;
    this.adminDir = adminDir;
    this.packages = packages;
    this.diversions = diversions;
  }

  /**
   * Finds and reads the database: the first of {@link #ADMIN_DIRS} that holds a {@code status}
   * regular file.
   *
   * @param tree the commit's paths
   * @return the database, if the commit has one
   * @throws IOException if the database cannot be read or is malformed
   */
  public static Optional<DpkgDatabase> find(TreeIndex tree) throws IOException {
    for (String dir : ADMIN_DIRS) {
      Optional<String> status = tree.resolve("/" + dir + "/status");
      if (status.isPresent() && tree.file(status.get()).isPresent()) {
        String admin = status.get().substring(0, status.get().length() - "/status".length());
        return Optional.of(new DpkgDatabase(tree, admin, readStatus(tree, status.get()),
            readDiversions(tree, admin + "/diversions")));
      }
    }
    return Optional.empty();
  }

  /** The database directory, as a tree path. */
  public String adminDir() {
    return adminDir;
  }

  /** The packages dpkg knows about (any state but not-installed), in status file order. */
  public List<Package> packages() {
    return packages;
  }

  /** The diversions, by diverted path. */
  public Map<String, Diversion> diversions() {
    return diversions;
  }

  /**
   * The tree path of a package's {@code .list} file.
   *
   * @param p the package
   * @return the path, if the file exists
   */
  public Optional<String> listFile(Package p) {
    for (String stem : List.of(p.infoStem(), p.name())) {
      String path = adminDir + "/info/" + stem + ".list";
      if (tree.file(path).isPresent()) {
        return Optional.of(path);
      }
    }
    return Optional.empty();
  }

  /**
   * The package whose info file a path of {@code info/} is, from the name
   * {@code <package>[:<arch>].<kind>}.
   *
   * @param infoFile a tree path directly inside {@code info/}
   * @return the package, if one matches
   */
  public Optional<Package> ownerOfInfoFile(String infoFile) {
    String base = infoFile.substring(infoFile.lastIndexOf('/') + 1);
    int dot = base.lastIndexOf('.');
    if (dot <= 0) {
      return Optional.empty();
    }
    String stem = base.substring(0, dot);
    for (Package p : packages) {
      if (p.infoStem().equals(stem)) {
        return Optional.of(p);
      }
    }
    for (Package p : packages) {
      if (p.name().equals(stem)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /**
   * Reads the paths of a package's {@code .list} file, one per line.
   *
   * @param listFile the tree path of the file
   * @param sink receives each absolute path
   * @throws IOException if the file cannot be read
   */
  public void readList(String listFile, PathSink sink) throws IOException {
    try (LineReader r = new LineReader(tree.open(listFile), listFile)) {
      for (String line = r.next(); line != null; line = r.next()) {
        if (!line.isEmpty()) {
          sink.accept(line);
        }
      }
    }
  }

  /** Receives paths. */
  @FunctionalInterface
  public interface PathSink {
    /**
     * Takes one path.
     *
     * @param path the path
     * @throws IOException if handling it fails
     */
    void accept(String path) throws IOException;
  }

  private static List<Package> readStatus(TreeIndex tree, String path) throws IOException {
    List<Package> out = new ArrayList<>();
    try (LineReader r = new LineReader(tree.open(path), path)) {
      Map<String, String> fields = new HashMap<>();
      String key = null;
      for (String line = r.next(); ; line = r.next()) {
        if (line == null || line.isEmpty()) {
          if (!fields.isEmpty()) {
            toPackage(fields, path).ifPresent(out::add);
            fields.clear();
          }
          if (line == null) {
            break;
          }
          key = null;
          continue;
        }
        if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
          continue; // continuation of a multi-line field (Description, Conffiles): not needed
        }
        int colon = line.indexOf(':');
        if (colon <= 0) {
          throw new OstreeException(path + ": malformed line '" + abbreviate(line) + "'");
        }
        key = line.substring(0, colon);
        if (key.equals("Package") || key.equals("Status") || key.equals("Architecture")
            || key.equals("Multi-Arch") || key.equals("Source")) {
          fields.put(key, line.substring(colon + 1).trim());
        }
      }
    }
    return List.copyOf(out);
  }

  private static Optional<Package> toPackage(Map<String, String> f, String path) throws IOException {
    String name = f.get("Package");
    if (name == null || name.isEmpty()) {
      throw new OstreeException(path + ": a stanza has no Package field");
    }
    if (!name.matches("[a-z0-9][a-z0-9+.-]*")) {
      throw new OstreeException(path + ": invalid package name '" + abbreviate(name) + "'");
    }
    String status = f.getOrDefault("Status", "");
    String[] words = status.split("\\s+");
    String state = words[words.length - 1];
    if (GONE.contains(state)) {
      return Optional.empty();
    }
    String source = f.getOrDefault("Source", "").trim();
    int space = source.indexOf(' ');
    if (space > 0) {
      source = source.substring(0, space); // "glibc (2.36-9)": the binary's version differs
    }
    if (source.isEmpty()) {
      source = name;
    }
    return Optional.of(new Package(name, f.getOrDefault("Architecture", ""),
        "same".equals(f.get("Multi-Arch")), source));
  }

  private static Map<String, Diversion> readDiversions(TreeIndex tree, String path) throws IOException {
    Map<String, Diversion> out = new HashMap<>();
    if (tree.file(path).isEmpty()) {
      return out;
    }
    try (LineReader r = new LineReader(tree.open(path), path)) {
      while (true) {
        String from = r.next();
        if (from == null) {
          break;
        }
        String to = r.next();
        String by = r.next();
        if (to == null || by == null) {
          throw new OstreeException(path + ": truncated diversion of '" + abbreviate(from) + "'");
        }
        out.put(from, new Diversion(from, to, by));
      }
    }
    return out;
  }

  private static String abbreviate(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "..." : s;
  }
}
