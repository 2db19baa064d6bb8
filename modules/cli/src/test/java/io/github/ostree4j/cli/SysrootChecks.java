package io.github.ostree4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ostree4j.testing.CmdResult;
import io.github.ostree4j.testing.OstreeCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Checks of a sysroot with the real ostree CLI, for the node tests. */
final class SysrootChecks {

  private static final Pattern OSTREE_LINE =
      Pattern.compile("^[ *] (\\S+) ([0-9a-f]{64}\\.[0-9]+)(?: \\(.*\\))?$");
  private static final Pattern OUR_COMMIT = Pattern.compile("^ +Commit: ([0-9a-f]{64}\\.[0-9]+)$");
  private static final Pattern OUR_STATEROOT = Pattern.compile("^ +Stateroot: (\\S+)$");

  private SysrootChecks() {}

  /** {@code ostree admin status}: {@code STATEROOT CSUM.SERIAL} per deployment, in order. */
  static List<String> ostreeStatus(Path sysroot) {
    CmdResult r = OstreeCli.run("admin", "status", "--sysroot=" + sysroot);
    List<String> out = new ArrayList<>();
    for (String line : r.stdoutLines()) {
      Matcher m = OSTREE_LINE.matcher(line);
      if (m.matches()) {
        out.add(m.group(1) + " " + m.group(2));
      }
    }
    return out;
  }

  /** {@code ostree4j status}: the same form. */
  static List<String> ourStatus(Path sysroot) {
    String text = Ostree4j.ok("status", "--sysroot=" + sysroot).stdout();
    List<String> out = new ArrayList<>();
    String commit = null;
    for (String line : text.split("\n")) {
      Matcher c = OUR_COMMIT.matcher(line);
      Matcher s = OUR_STATEROOT.matcher(line);
      if (c.matches()) {
        commit = c.group(1);
      } else if (s.matches() && commit != null) {
        out.add(s.group(1) + " " + commit);
        commit = null;
      }
    }
    return out;
  }

  /**
   * The real ostree and ostree4j list the same deployments in the same order, every boot entry
   * points at existing kernel, initramfs and deployment directory, and ostree fsck is clean.
   *
   * @return the deployments, {@code STATEROOT CSUM.SERIAL}
   */
  static List<String> assertConsistent(Path sysroot) throws IOException {
    List<String> theirs = ostreeStatus(sysroot);
    assertEquals(theirs, ourStatus(sysroot), "ostree admin status vs ostree4j status");
    assertEntriesPointAtFiles(sysroot, theirs.size());
    assertFsckClean(sysroot);
    return theirs;
  }

  static void assertFsckClean(Path sysroot) {
    CmdResult fsck = OstreeCli.tryRun("fsck", "--repo=" + sysroot.resolve("ostree/repo"));
    assertTrue(fsck.exitCode() == 0 && fsck.stdout().contains("no errors found"),
        "ostree fsck:\n" + fsck.stdout() + fsck.stderr());
  }

  /** Every entry's linux, initrd and ostree= deployment exist; there are {@code n} entries. */
  static void assertEntriesPointAtFiles(Path sysroot, int n) throws IOException {
    Path entries = sysroot.resolve("boot/loader/entries");
    List<Path> files = new ArrayList<>();
    if (Files.isDirectory(entries)) {
      try (Stream<Path> s = Files.list(entries)) {
        s.forEach(files::add);
      }
    }
    assertEquals(n, files.size(), "boot entries: " + files);
    for (Path e : files) {
      for (String line : Files.readAllLines(e)) {
        String[] kv = line.split(" ", 2);
        if (kv[0].equals("linux") || kv[0].equals("initrd")) {
          assertTrue(Files.isRegularFile(sysroot.resolve("boot" + kv[1])), e + ": " + line);
        }
        if (kv[0].equals("options")) {
          for (String a : kv[1].split(" ")) {
            if (a.startsWith("ostree=")) {
              Path d = sysroot.resolve(a.substring("ostree=/".length()));
              assertTrue(Files.isDirectory(d.resolve("usr")), e + ": " + a + " is not a deployment");
            }
          }
        }
      }
    }
  }

  /** The default entry (highest version) of {@code boot/loader/entries}: its kernel, initramfs, deployment. */
  static void assertDefaultEntryBootable(Path sysroot) throws IOException {
    Path entries = sysroot.resolve("boot/loader/entries");
    Path best = null;
    int bestVersion = -1;
    try (Stream<Path> s = Files.list(entries)) {
      for (Path e : (Iterable<Path>) s::iterator) {
        for (String line : Files.readAllLines(e)) {
          if (line.startsWith("version ")) {
            int v = Integer.parseInt(line.substring(8).strip());
            if (v > bestVersion) {
              bestVersion = v;
              best = e;
            }
          }
        }
      }
    }
    assertTrue(best != null, "no boot entry in " + entries);
    boolean linux = false;
    boolean initrd = false;
    boolean deployment = false;
    for (String line : Files.readAllLines(best)) {
      String[] kv = line.split(" ", 2);
      if (kv[0].equals("linux")) {
        linux = Files.isRegularFile(sysroot.resolve("boot" + kv[1]));
      } else if (kv[0].equals("initrd")) {
        initrd = Files.isRegularFile(sysroot.resolve("boot" + kv[1]));
      } else if (kv[0].equals("options")) {
        for (String a : kv[1].split(" ")) {
          if (a.startsWith("ostree=")) {
            deployment = Files.isDirectory(sysroot.resolve(a.substring("ostree=/".length())).resolve("usr/lib/modules"));
          }
        }
      }
    }
    assertTrue(linux && initrd && deployment, "default entry " + best + ": kernel " + linux
        + ", initramfs " + initrd + ", deployment " + deployment + "\n" + Files.readString(best));
  }
}
