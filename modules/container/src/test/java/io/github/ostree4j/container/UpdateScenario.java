package io.github.ostree4j.container;

import io.github.ostree4j.testing.Cmd;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Makes "v2" of a Debian root filesystem the way a package upgrade or installation changes it:
 * the files of upgraded packages are rebuilt (binaries and changelogs change, translations and
 * manual pages stay), their version in {@code status} and their {@code .md5sums} follow; a new
 * package adds files, a {@code .list}, a {@code .md5sums} and a {@code status} entry. The copy
 * shares unchanged files with the original through hard links; every changed file is replaced,
 * never written in place.
 */
final class UpdateScenario {

  private final Path root;
  private final List<String> changed = new ArrayList<>();

  private UpdateScenario(Path root) {
    this.root = root;
  }

  /** A hard-linked copy of {@code rootfs} at {@code dest} (a plain copy across filesystems). */
  static UpdateScenario copyOf(Path rootfs, Path dest) {
    if (!Cmd.of("cp", "-al", rootfs.toString(), dest.toString()).run().success()) {
      Cmd.of("rm", "-rf", dest.toString()).run().checkSuccess();
      Cmd.of("cp", "-a", rootfs.toString(), dest.toString()).run().checkSuccess();
    }
    return new UpdateScenario(dest);
  }

  Path root() {
    return root;
  }

  /** Descriptions of what was changed. */
  List<String> changes() {
    return changed;
  }

  /** Rebuilds a package: new content for its program and library files and its changelog. */
  void upgrade(String pkg) throws IOException {
    Path admin = root.resolve("var/lib/dpkg");
    List<String> list = Cmd.of("dpkg-query", "--admindir=" + admin, "-L", pkg).run().checkSuccess().stdoutLines();
    Set<String> modified = new HashSet<>();
    for (String p : list) {
      Path f = regularFile(p);
      if (f == null) {
        continue;
      }
      String rel = root.toRealPath().relativize(f).toString();
      boolean stable = rel.startsWith("usr/share/man/") || rel.startsWith("usr/share/locale/")
          || (rel.startsWith("usr/share/doc/") && !rel.endsWith("changelog.Debian.gz"));
      if (!stable) {
        byte[] old = Files.readAllBytes(f);
        byte[] next = new byte[old.length + 16];
        System.arraycopy(old, 0, next, 0, old.length);
        byte[] tag = ("rebuilt " + pkg + " ").getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(tag, 0, next, old.length, Math.min(16, tag.length));
        replace(f, next);
        modified.add(rel);
      }
    }
    Path md5sums = admin.resolve("info/" + pkg + ".md5sums");
    if (!Files.exists(md5sums)) {
      md5sums = admin.resolve("info/" + pkg + ":amd64.md5sums");
    }
    if (Files.exists(md5sums)) {
      StringBuilder out = new StringBuilder();
      for (String line : Files.readAllLines(md5sums, StandardCharsets.UTF_8)) {
        String path = line.substring(34);
        Path real = regularFile("/" + path);
        String rel = real == null ? path : root.toRealPath().relativize(real).toString();
        out.append(modified.contains(rel) ? md5(real) + "  " + path : line).append('\n');
      }
      replace(md5sums, out.toString().getBytes(StandardCharsets.UTF_8));
    }
    editStatus(pkg);
    changed.add("upgrade " + pkg + " (" + modified.size() + " files rebuilt)");
  }

  /** Installs a new package with a program, a data file and a copyright file. */
  void install(String pkg, int programBytes, int dataBytes) throws IOException {
    install(pkg, pkg, programBytes, dataBytes);
  }

  /** Installs a new package built from the given source package. */
  void install(String pkg, String source, int programBytes, int dataBytes) throws IOException {
    Random random = new Random(pkg.hashCode());
    byte[] program = new byte[programBytes];
    random.nextBytes(program);
    byte[] data = new byte[dataBytes];
    random.nextBytes(data);
    byte[] copyright = ("Files: *\nCopyright: none\nLicense: public-domain\n").getBytes(StandardCharsets.UTF_8);
    List<String[]> files = List.of(
        new String[] {"/usr/bin/" + pkg, "program"},
        new String[] {"/usr/share/" + pkg + "/data.bin", "data"},
        new String[] {"/usr/share/doc/" + pkg + "/copyright", "copyright"});
    StringBuilder md5s = new StringBuilder();
    for (String[] f : files) {
      byte[] content = f[1].equals("program") ? program : f[1].equals("data") ? data : copyright;
      Path target = root.resolve(f[0].substring(1));
      Files.createDirectories(target.getParent());
      Files.write(target, content);
      md5s.append(md5(target)).append("  ").append(f[0].substring(1)).append('\n');
    }
    String list = String.join("\n", "/.", "/usr", "/usr/bin", "/usr/bin/" + pkg, "/usr/share",
        "/usr/share/" + pkg, "/usr/share/" + pkg + "/data.bin", "/usr/share/doc", "/usr/share/doc/" + pkg,
        "/usr/share/doc/" + pkg + "/copyright") + "\n";
    Path info = root.resolve("var/lib/dpkg/info");
    Files.writeString(info.resolve(pkg + ".list"), list);
    Files.writeString(info.resolve(pkg + ".md5sums"), md5s.toString());
    Path status = root.resolve("var/lib/dpkg/status");
    String stanza = "Package: " + pkg + "\nStatus: install ok installed\nPriority: optional\nSection: misc\n"
        + "Installed-Size: " + ((programBytes + dataBytes) / 1024 + 1) + "\nMaintainer: Nobody <nobody@example.org>\n"
        + (source.equals(pkg) ? "" : "Source: " + source + "\n")
        + "Architecture: amd64\nVersion: 1.0-1\nDescription: example package\n\n";
    replace(status, (Files.readString(status, StandardCharsets.UTF_8) + stanza).getBytes(StandardCharsets.UTF_8));
    changed.add("install " + pkg + " (" + (programBytes + dataBytes + copyright.length) + " bytes)");
  }

  private void editStatus(String pkg) throws IOException {
    Path status = root.resolve("var/lib/dpkg/status");
    List<String> lines = Files.readAllLines(status, StandardCharsets.UTF_8);
    boolean in = false;
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      if (l.startsWith("Package: ")) {
        in = l.equals("Package: " + pkg);
      } else if (in && l.startsWith("Version: ")) {
        lines.set(i, l + "+b1");
      }
    }
    replace(status, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** The real path of a listed path if it is a regular file inside the root. */
  private Path regularFile(String listed) throws IOException {
    if (!listed.startsWith("/") || listed.equals("/.")) {
      return null;
    }
    Path p = root.resolve(listed.substring(1));
    if (!Files.isDirectory(p.getParent())) {
      return null;
    }
    Path real = p.getParent().toRealPath().resolve(p.getFileName());
    if (!real.startsWith(root.toRealPath()) || !Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
      return null;
    }
    return real;
  }

  /** Writes a new file and renames it over {@code f}, so hard-linked copies keep the old content. */
  private static void replace(Path f, byte[] content) throws IOException {
    Path tmp = f.resolveSibling(f.getFileName() + ".upd-tmp");
    Files.write(tmp, content);
    Object mode = Files.getAttribute(f, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(tmp, "unix:mode", mode);
    Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static String md5(Path f) throws IOException {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(Files.readAllBytes(f)));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
