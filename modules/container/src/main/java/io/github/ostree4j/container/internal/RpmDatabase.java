package io.github.ostree4j.container.internal;

import io.github.ostree4j.ostree.OstreeException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The rpm database of a commit, read with the {@code rpm} command on a temporary copy of the
 * database directory (rpm's databases are sqlite or Berkeley DB files that only librpm reads
 * reliably). Packages are claimed as components named after the package, grouped by source rpm.
 */
public final class RpmDatabase {

  /** Where rpm-based systems keep the database, in order of preference. */
  public static final List<String> DB_DIRS = List.of("usr/lib/sysimage/rpm", "usr/share/rpm", "var/lib/rpm");

  private static final List<String> DB_FILES = List.of("rpmdb.sqlite", "Packages", "Packages.db");
  private static final String FORMAT = "@%{NAME}\\t%{ARCH}\\t%{SOURCERPM}\\n[%{FILENAMES}\\n]";
  private static final long TIMEOUT_MINUTES = 10;

  /** A package and the absolute paths of its files. */
  private record Package(String name, String arch, String source, List<String> files) {}

  private RpmDatabase() {}

  /**
   * Finds the database directory: the first of {@link #DB_DIRS} holding a database file.
   *
   * @param tree the commit's paths
   * @return the tree path of the directory, if any
   * @throws IOException if a symlink cannot be read
   */
  public static Optional<String> find(TreeIndex tree) throws IOException {
    for (String dir : DB_DIRS) {
      Optional<String> resolved = tree.resolve("/" + dir);
      if (resolved.isPresent() && tree.isDirectory(resolved.get())) {
        for (String f : DB_FILES) {
          if (tree.file(resolved.get() + "/" + f).isPresent()) {
            return resolved;
          }
        }
      }
    }
    return Optional.empty();
  }

  /**
   * The {@code rpm} executable on {@code PATH}.
   *
   * @return its path, if installed
   */
  public static Optional<Path> executable() {
    String path = System.getenv("PATH");
    for (String dir : (path == null ? "/usr/bin:/bin" : path).split(File.pathSeparator)) {
      if (!dir.isEmpty()) {
        Path p = Path.of(dir, "rpm");
        if (Files.isRegularFile(p) && Files.isExecutable(p)) {
          return Optional.of(p);
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Claims every package's files and marks the database directory volatile.
   *
   * @param rpm the rpm executable
   * @param tree the commit's paths
   * @param dbDir the tree path of the database directory
   * @param ownership receives the claims
   * @throws IOException if the database cannot be copied or rpm fails
   */
  public static void claim(Path rpm, TreeIndex tree, String dbDir, OwnershipMap ownership) throws IOException {
    List<Package> packages = query(rpm, tree, dbDir);
    Map<String, Integer> instances = new HashMap<>();
    for (Package p : packages) {
      instances.merge(p.name(), 1, Integer::sum);
    }
    for (Package p : packages) {
      String name = instances.get(p.name()) > 1 ? p.name() + "." + p.arch() : p.name();
      ownership.addPackage(name, p.source());
      for (String f : p.files()) {
        Optional<String> resolved = tree.resolve(f);
        if (resolved.isPresent() && tree.file(resolved.get()).isPresent()) {
          ownership.claim(resolved.get(), name);
        }
      }
    }
    for (String f : tree.filesUnder(dbDir)) {
      ownership.markVolatile(f);
    }
  }

  private static List<Package> query(Path rpm, TreeIndex tree, String dbDir) throws IOException {
    Path tmp = Files.createTempDirectory("ostree4j-rpmdb-");
    try {
      Path db = Files.createDirectory(tmp.resolve("db"));
      for (String f : tree.filesUnder(dbDir)) {
        Path target = db.resolve(f.substring(dbDir.length() + 1));
        if (!target.normalize().startsWith(db)) {
          throw new OstreeException(f + ": escapes the database directory");
        }
        Files.createDirectories(target.getParent());
        try (InputStream in = tree.open(f); OutputStream out = Files.newOutputStream(target)) {
          in.transferTo(out);
        } catch (OstreeException e) {
          if (!e.getMessage().contains("is a symlink")) {
            throw e;
          }
        }
      }
      Path stderr = tmp.resolve("stderr");
      ProcessBuilder pb = new ProcessBuilder(rpm.toString(), "--dbpath", db.toString(), "-qa", "--qf", FORMAT)
          .redirectError(stderr.toFile())
          .redirectInput(ProcessBuilder.Redirect.PIPE);
      pb.environment().put("LC_ALL", "C.UTF-8");
      Process process = pb.start();
      process.getOutputStream().close();
      List<Package> out = new ArrayList<>();
      String what = "rpm -qa on " + dbDir;
      try (LineReader r = new LineReader(process.getInputStream(), what)) {
        Package current = null;
        for (String line = r.next(); line != null; line = r.next()) {
          if (line.startsWith("@")) {
            String[] f = line.substring(1).split("\t", -1);
            if (f.length != 3 || f[0].isEmpty() || f[0].indexOf(',') >= 0 || f[0].indexOf('/') >= 0) {
              throw new OstreeException(what + ": unexpected output '" + line + "'");
            }
            current = f[0].equals("gpg-pubkey") ? null : new Package(f[0], f[1], sourceName(f[2], f[0]), new ArrayList<>());
            if (current != null) {
              out.add(current);
            }
          } else if (line.startsWith("/") && current != null) {
            current.files().add(line);
          }
        }
      } finally {
        try {
          if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new OstreeException("rpm -qa on " + dbDir + " did not finish in " + TIMEOUT_MINUTES + " minutes");
          }
        } catch (InterruptedException e) {
          process.destroyForcibly();
          Thread.currentThread().interrupt();
          throw new OstreeException("interrupted while reading the rpm database " + dbDir);
        }
      }
      if (process.exitValue() != 0) {
        String err = new String(Files.readAllBytes(stderr), StandardCharsets.UTF_8).trim();
        int nl = err.lastIndexOf('\n');
        throw new OstreeException("rpm -qa on " + dbDir + " failed with exit code " + process.exitValue()
            + ": " + (nl >= 0 ? err.substring(nl + 1) : err));
      }
      return out;
    } finally {
      FileTrees.deleteRecursively(tmp);
    }
  }

  /** {@code glibc} from {@code glibc-2.36-9.fc37.src.rpm}; the package name when there is none. */
  static String sourceName(String sourceRpm, String fallback) {
    String s = sourceRpm;
    for (String suffix : List.of(".src.rpm", ".nosrc.rpm")) {
      if (s.endsWith(suffix)) {
        s = s.substring(0, s.length() - suffix.length());
        int release = s.lastIndexOf('-');
        int version = release > 0 ? s.lastIndexOf('-', release - 1) : -1;
        if (version > 0) {
          String name = s.substring(0, version);
          if (name.indexOf(',') < 0) {
            return name;
          }
        }
      }
    }
    return fallback;
  }
}
