package io.github.ostree4j.deploy;

import io.github.ostree4j.deploy.internal.FileOps;
import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.ostree.Refs;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes what the current boot configuration does not use, as libostree's sysroot cleanup does:
 * the other boot version's loader directory and links, deployment directories and origins no
 * entry points to (also half-written ones of an interrupted deployment), boot checksum
 * directories no entry uses, temp files, and GC anchor refs of other boot versions. The anchor
 * refs {@code ostree/N/M/INDEX} of the current configuration are (re)written.
 */
final class SysrootCleaner {

  private static final Pattern DEPLOY_NAME = Pattern.compile("([0-9a-f]{64})\\.([0-9]+)");
  private static final Pattern ORIGIN_NAME = Pattern.compile("([0-9a-f]{64}\\.[0-9]+)\\.origin");
  private static final Pattern BOOT_DIR = Pattern.compile(".+-[0-9a-f]{64}");
  private static final Pattern ANCHOR = Pattern.compile("ostree/([0-9]+)/([0-9]+)/([0-9]+)");

  private SysrootCleaner() {}

  /**
   * Cleans a sysroot; the caller holds the sysroot lock.
   *
   * @param s the current state
   * @return the deployment directories removed, relative to the sysroot
   * @throws IOException when something cannot be removed
   */
  static List<String> clean(Sysroot s) throws IOException {
    Path dir = s.path();
    Path boot = dir.resolve("boot");
    Path ostree = dir.resolve("ostree");
    int bv = s.bootVersion();
    int other = bv == 0 ? 1 : 0;
    int sv = s.subBootVersion();
    FileOps.deleteTree(boot.resolve("loader." + other));
    FileOps.deleteTree(boot.resolve("loader.tmp"));
    for (String n : List.of("boot." + other, "boot." + other + ".tmp", "boot." + bv + ".tmp",
        "boot." + other + ".0", "boot." + other + ".1", "boot." + bv + "." + (sv == 0 ? 1 : 0))) {
      FileOps.deleteTree(ostree.resolve(n));
    }

    Set<String> used = new HashSet<>();
    Set<String> bootDirs = new HashSet<>();
    for (Deployment d : s.deployments()) {
      used.add(d.stateroot() + "/" + d.dirName());
      bootDirs.add(d.stateroot() + "-" + d.bootcsum());
    }
    List<String> removed = new ArrayList<>();
    for (String os : s.stateroots()) {
      Path deploy = ostree.resolve("deploy").resolve(os).resolve("deploy");
      for (Path p : list(deploy)) {
        String name = p.getFileName().toString();
        Matcher dm = DEPLOY_NAME.matcher(name);
        Matcher om = ORIGIN_NAME.matcher(name);
        if (dm.matches() && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)
            && !used.contains(os + "/" + name)) {
          FileOps.deleteTree(p);
          removed.add(dir.relativize(p).toString());
        } else if (om.matches() && !used.contains(os + "/" + om.group(1))) {
          Files.deleteIfExists(p);
        } else if (name.startsWith(".") && name.endsWith(".tmp")) {
          FileOps.deleteTree(p);
        }
      }
    }
    for (Path p : list(boot.resolve("ostree"))) {
      String name = p.getFileName().toString();
      if (!BOOT_DIR.matcher(name).matches() || !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      if (!bootDirs.contains(name)) {
        FileOps.deleteTree(p);
        continue;
      }
      for (Path f : list(p)) {
        String fn = f.getFileName().toString();
        if (fn.startsWith(".") && fn.endsWith(".tmp")) {
          Files.deleteIfExists(f);
        }
      }
    }
    anchorRefs(s);
    return removed;
  }

  /** Keeps exactly the anchor refs of the current configuration. */
  private static void anchorRefs(Sysroot s) throws IOException {
    Refs refs = s.repo().refs();
    List<Deployment> ds = s.deployments();
    Map<String, Checksum> all = refs.list();
    for (Map.Entry<String, Checksum> e : all.entrySet()) {
      Matcher m = ANCHOR.matcher(e.getKey());
      if (!m.matches()) {
        continue;
      }
      int i = Integer.parseInt(m.group(3));
      boolean current = Integer.parseInt(m.group(1)) == s.bootVersion()
          && Integer.parseInt(m.group(2)) == s.subBootVersion() && i < ds.size()
          && ds.get(i).commit().equals(e.getValue());
      if (!current) {
        refs.delete(e.getKey());
      }
    }
    for (int i = 0; i < ds.size(); i++) {
      String name = "ostree/" + s.bootVersion() + "/" + s.subBootVersion() + "/" + i;
      if (!ds.get(i).commit().equals(all.get(name))) {
        refs.set(name, ds.get(i).commit());
      }
    }
  }

  private static List<Path> list(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return out;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        out.add(p);
      }
    }
    out.sort(null);
    return out;
  }
}
