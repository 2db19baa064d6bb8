package io.github.ostree4j.deploy;

import io.github.ostree4j.testing.Cmd;
import io.github.ostree4j.testing.CmdResult;
import io.github.ostree4j.testing.OstreeCli;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Small bootable OS trees for the sysroot tests, committed with the real ostree CLI, and checks
 * of sysroots with it.
 */
final class OsTrees {

  static final String KVER = "5.10.0";
  private static final Pattern STATUS_LINE =
      Pattern.compile("^[ *] (\\S+) ([0-9a-f]{64})\\.([0-9]+)(?: \\(.*\\))?$");

  private OsTrees() {}

  /**
   * A tree: usr/lib/modules/KVER/{vmlinuz,initramfs.img}, usr/etc/os-release, usr/etc files,
   * usr/bin/hello, bin -> usr/bin.
   */
  static Path tree(Path dir, String version, String kernel) {
    try {
      Files.createDirectories(dir.resolve("usr/lib/modules/" + KVER));
      Files.createDirectories(dir.resolve("usr/etc/app"));
      Files.createDirectories(dir.resolve("usr/bin"));
      Files.writeString(dir.resolve("usr/lib/modules/" + KVER + "/vmlinuz"), "kernel " + kernel + "\n");
      Files.writeString(dir.resolve("usr/lib/modules/" + KVER + "/initramfs.img"), "initramfs " + kernel + "\n");
      Files.writeString(dir.resolve("usr/etc/os-release"), "NAME=TestOS\nID=testos\nPRETTY_NAME=\"TestOS 42\"\n");
      Files.writeString(dir.resolve("usr/etc/aconfigfile"), "a=" + version + "\n");
      Files.writeString(dir.resolve("usr/etc/app/app.conf"), "key=value\n");
      Files.writeString(dir.resolve("usr/etc/untouched"), "image " + version + "\n");
      Files.writeString(dir.resolve("usr/bin/hello"), "#!/bin/sh\necho " + version + "\n");
      Files.setAttribute(dir.resolve("usr/bin/hello"), "unix:mode", 0755);
      if (!Files.exists(dir.resolve("bin"))) {
        Files.createSymbolicLink(dir.resolve("bin"), Path.of("usr/bin"));
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Commits a tree with {@code ostree commit --bootable}, version metadata, ref {@code branch}. */
  static String commit(Path repo, String branch, String version, Path tree) {
    return OstreeCli.commit(repo, List.of("--branch=" + branch, "--bootable",
        "--add-metadata-string=version=" + version, "--timestamp=2024-01-01T00:00:00Z",
        "--owner-uid=0", "--owner-gid=0"), tree);
  }

  /** The deployments {@code ostree admin status --sysroot=DIR} lists, as {@code OS CSUM.SERIAL}. */
  static List<String> ostreeStatus(Path sysroot) {
    CmdResult r = OstreeCli.run("admin", "status", "--sysroot=" + sysroot);
    List<String> out = new ArrayList<>();
    for (String line : r.stdoutLines()) {
      Matcher m = STATUS_LINE.matcher(line);
      if (m.matches()) {
        out.add(m.group(1) + " " + m.group(2) + "." + m.group(3));
      }
    }
    return out;
  }

  /** Our deployments in the same form. */
  static List<String> ourStatus(Path sysroot) throws IOException {
    List<String> out = new ArrayList<>();
    for (Deployment d : Sysroot.open(sysroot).deployments()) {
      out.add(d.stateroot() + " " + d.dirName());
    }
    return out;
  }

  /** Fails unless {@code ostree fsck} of the sysroot repository is clean. */
  static void assertFsckClean(Path sysroot) {
    CmdResult fsck = OstreeCli.tryRun("fsck", "--repo=" + sysroot.resolve("ostree/repo"));
    if (fsck.exitCode() != 0 || !fsck.stdout().contains("no errors found")) {
      throw new AssertionError("ostree fsck failed:\n" + fsck.stdout() + fsck.stderr());
    }
  }

  /**
   * Fails unless every boot entry's {@code linux} and {@code initrd} exist below boot/ and every
   * entry's deployment directory exists.
   */
  static void assertEntriesPointAtFiles(Path sysroot) throws IOException {
    Path loader = sysroot.resolve("boot/loader");
    if (!Files.exists(loader)) {
      return;
    }
    Path entries = loader.resolve("entries");
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(entries)) {
      for (Path e : ds) {
        for (String line : Files.readAllLines(e)) {
          if (line.startsWith("linux ") || line.startsWith("initrd ")) {
            Path f = sysroot.resolve("boot").resolve(line.substring(line.indexOf(' ') + 1).substring(1));
            if (!Files.isRegularFile(f)) {
              throw new AssertionError(e + ": " + line + " does not exist");
            }
          }
        }
      }
    }
    for (Deployment d : Sysroot.open(sysroot).deployments()) {
      if (!Files.isDirectory(sysroot.resolve(d.relativePath()))) {
        throw new AssertionError("deployment directory " + d.relativePath() + " is missing");
      }
    }
  }

  /** Clears the immutable attribute ostree sets on deployment directories, so they can be deleted. */
  static void unlock(Path sysroot) {
    Path deploy = sysroot.resolve("ostree/deploy");
    if (!Files.isDirectory(deploy)) {
      return;
    }
    try (DirectoryStream<Path> oses = Files.newDirectoryStream(deploy)) {
      for (Path os : oses) {
        Path d = os.resolve("deploy");
        if (!Files.isDirectory(d)) {
          continue;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(d)) {
          for (Path p : ds) {
            if (Files.isDirectory(p)) {
              Cmd.of("chattr", "-i", p.toString()).run();
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
