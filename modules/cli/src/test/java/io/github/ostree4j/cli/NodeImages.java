package io.github.ostree4j.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Small bootable OS images for the node tests: trees with a fake kernel and initramfs in
 * usr/lib/modules, usr/etc/os-release and two incompressible data directories (so that chunking
 * puts them in layers of their own), committed with ostree4j and encapsulated with {@code
 * --max-layers=4}. Version N changes only {@code usr/share/big-b}, so an upgrade changes one
 * component layer (plus the small commit layer).
 */
final class NodeImages {

  static final String KVER = "6.1.0-test";
  static final int BIG = 1 << 20;

  private final Path work;
  private final Path repo;
  private int trees;

  NodeImages(Path work) {
    this.work = work;
    this.repo = work.resolve("build-repo");
    Ostree4j.init(repo, "bare-user");
  }

  Path repo() {
    return repo;
  }

  /** The tree of a version: big-a always the same, big-b depending on {@code version}. */
  Path tree(String version, boolean kernel, int bigBytes) {
    return tree(version, kernel, bigBytes, 0);
  }

  /** A tree with {@code smallFiles} more small files in usr/share/many (a longer checkout). */
  Path tree(String version, boolean kernel, int bigBytes, int smallFiles) {
    Path t = work.resolve("tree-" + (trees++));
    try {
      Files.createDirectories(t.resolve("usr/etc/app"));
      Files.createDirectories(t.resolve("usr/bin"));
      Files.createDirectories(t.resolve("usr/share/big-a"));
      Files.createDirectories(t.resolve("usr/share/big-b"));
      if (kernel) {
        Path k = Files.createDirectories(t.resolve("usr/lib/modules/" + KVER));
        Files.writeString(k.resolve("vmlinuz"), "not really a kernel\n");
        Files.writeString(k.resolve("initramfs.img"), "not really an initramfs\n");
      } else {
        Files.createDirectories(t.resolve("usr/lib/modules/" + KVER));
        Files.writeString(t.resolve("usr/lib/modules/" + KVER + "/modules.dep"), "\n");
      }
      Files.writeString(t.resolve("usr/etc/os-release"), "NAME=TestOS\nID=testos\nPRETTY_NAME=\"TestOS 42\"\n");
      Files.writeString(t.resolve("usr/etc/aconfigfile"), "a=" + version + "\n");
      Files.writeString(t.resolve("usr/etc/app/app.conf"), "key=" + version + "\n");
      Files.writeString(t.resolve("usr/etc/untouched"), "image " + version + "\n");
      Files.writeString(t.resolve("usr/bin/hello"), "#!/bin/sh\necho hello\n");
      Files.setAttribute(t.resolve("usr/bin/hello"), "unix:mode", 0755);
      Files.createSymbolicLink(t.resolve("bin"), Path.of("usr/bin"));
      Files.write(t.resolve("usr/share/big-a/data"), random(1, bigBytes));
      Files.write(t.resolve("usr/share/big-b/data"), random(1000 + version.hashCode(), bigBytes));
      if (smallFiles > 0) {
        Path many = Files.createDirectories(t.resolve("usr/share/many"));
        for (int i = 0; i < smallFiles; i++) {
          Files.writeString(many.resolve("f" + i), version + " " + i + "\n");
        }
      }
      return t;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Commits a tree to branch {@code os}; bootable (ostree.bootable, containers.bootc) or not. */
  String commit(Path tree, String version, boolean bootable) {
    List<String> opts = new ArrayList<>(List.of("-b", "os", "--timestamp=2024-01-0" + (1 + Math.abs(version.hashCode()) % 9) + "T00:00:00Z",
        "--owner-uid=0", "--owner-gid=0", "--add-metadata-string=version=" + version));
    if (bootable) {
      opts.add("--bootable");
    }
    return Ostree4j.commit(repo, opts, tree);
  }

  /** Encapsulates branch {@code os} to {@code dest} with 4 component layers; returns the digest. */
  String encapsulate(String dest, String... extra) {
    List<String> args = new ArrayList<>(List.of("container", "encapsulate", "--repo=" + repo,
        "--max-layers=4"));
    args.addAll(List.of(extra));
    args.add("os");
    args.add(dest);
    return Ostree4j.ok(args).stdout().strip();
  }

  /** A bootable image of {@code version} at {@code dest}; returns its manifest digest. */
  String bootable(String version, String dest, String... extra) {
    commit(tree(version, true, BIG), version, true);
    return encapsulate(dest, extra);
  }

  private static byte[] random(long seed, int n) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }
}
