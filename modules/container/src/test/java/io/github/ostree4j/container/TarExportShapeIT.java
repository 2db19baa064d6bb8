package io.github.ostree4j.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.testing.Cmd;
import io.github.ostree4j.testing.OstreeCli;
import io.github.ostree4j.testing.Peers;
import io.github.ostree4j.testing.TreeComparator;
import io.github.ostree4j.testing.TreeCorpus;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The exported stream as GNU tar sees it. Extracted as root, its checkout paths equal a real
 * {@code ostree checkout} of the commit, once the format's own rules are accounted for:
 * {@code usr/etc} appears as {@code etc}, the embedded repository {@code sysroot/} and
 * {@code var/tmp} are extra, and xattrs travel only on regular files with content (directories
 * and empty files carry none). {@code tar -tv} shows unique paths, mtime 0 everywhere, the
 * commit right after the skeleton, and each {@code .file-xattrs-link} right before its
 * {@code .file}. Two exports give identical bytes. Trees: the corpus cases, two small OS-like
 * trees ({@code usr/etc}, {@code sysroot}, {@code var} with and without {@code tmp}) and the
 * Debian minbase root filesystem.
 */
class TarExportShapeIT {

  @BeforeAll
  static void peers() {
    OstreeCli.executable();
    Peers.require("tar");
    Peers.requireRoot("extracting with owners, modes and xattrs");
  }

  static Stream<String> cases() {
    List<String> out = new ArrayList<>(TreeCorpus.names(false));
    out.add("os-like");
    out.add("with-var-tmp");
    out.add("minbase");
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void extractedExportEqualsOstreeCheckout(String name) throws IOException {
    Path tree = tree(name);
    SourceCommits.Source source = SourceCommits.ostree(name, tree, "archive");
    Path work = ItWork.newDir("shape-" + name);
    Path tar = export(source, work.resolve("a.tar"));
    Path again = export(source, work.resolve("b.tar"));
    assertEquals(-1, Files.mismatch(tar, again), "two exports of the same commit differ");

    checkListing(tar, source.commit());

    Path extracted = Files.createDirectory(work.resolve("extracted"));
    Cmd.of("tar", "--xattrs", "--xattrs-include=*", "--numeric-owner", "-xpf", tar.toString(), "-C",
        extracted.toString()).env("LC_ALL", "C.UTF-8").run().checkSuccess();
    Path checkout = work.resolve("checkout");
    OstreeCli.run("--repo=" + source.repo(), "checkout", source.commit().hex(), checkout.toString());

    boolean hasVar = Files.isDirectory(checkout.resolve("var"), LinkOption.NOFOLLOW_LINKS);
    boolean hasVarTmp = Files.isDirectory(checkout.resolve("var/tmp"), LinkOption.NOFOLLOW_LINKS);
    if (Files.isDirectory(checkout.resolve("usr/etc"), LinkOption.NOFOLLOW_LINKS)) {
      Files.move(checkout.resolve("usr/etc"), checkout.resolve("etc"));
    }
    stripXattrsOfDirectoriesAndEmptyFiles(checkout);
    TreeComparator.Options options = TreeComparator.Options.defaults()
        .exclude(p -> p.equals("sysroot") || p.startsWith("sysroot/"));
    if (!hasVarTmp) {
      options = options.exclude(hasVar ? "var/tmp" : "var");
    }
    TreeComparator.assertEqualTrees(checkout, extracted, options);

    if (!hasVarTmp) {
      Path varTmp = extracted.resolve("var/tmp");
      assertEquals(01777, (int) Files.getAttribute(varTmp, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777,
          "synthesized var/tmp is sticky and world-writable");
      assertEquals(0, (int) Files.getAttribute(varTmp, "unix:uid", LinkOption.NOFOLLOW_LINKS));
    }
    Path repo = extracted.resolve("sysroot/ostree/repo");
    assertEquals("[core]\nrepo_version=1\nmode=bare-split-xattrs\n",
        Files.readString(repo.resolve("config"), StandardCharsets.US_ASCII));
    assertEquals(256, count(repo.resolve("objects")));
    // The embedded repository is one the real ostree can read: the commit and its tree.
    String show = OstreeCli.run("--repo=" + repo, "ls", "-R", source.commit().hex()).stdout();
    assertEquals(OstreeCli.run("--repo=" + source.repo(), "ls", "-R", source.commit().hex()).stdout(), show);
    ItWork.deleteQuietly(work);
  }

  private static void checkListing(Path tar, Checksum commit) {
    List<String> verbose = Cmd.of("tar", "--numeric-owner", "--full-time", "-tvf", tar.toString())
        .env("LC_ALL", "C.UTF-8").run().checkSuccess().stdoutLines();
    for (String line : verbose) {
      assertTrue(line.contains(" 1970-01-01 00:00:00 "), "mtime is not 0: " + line);
    }
    List<String> names = new ArrayList<>();
    for (String n : Cmd.of("tar", "-tf", tar.toString()).env("LC_ALL", "C.UTF-8").run().checkSuccess().stdoutLines()) {
      names.add(n.equals("./") ? "." : n.endsWith("/") ? n.substring(0, n.length() - 1) : n);
    }
    assertEquals(verbose.size(), names.size());
    Set<String> seen = new HashSet<>();
    for (String n : names) {
      assertTrue(seen.add(n), "duplicate path " + n);
    }
    assertEquals(".", names.get(0));
    assertEquals("sysroot", names.get(1));
    int config = names.indexOf("sysroot/ostree/repo/config");
    assertEquals(1 + 4 + 256 + 8, config, "the skeleton precedes the config");
    String hex = commit.hex();
    assertEquals("sysroot/ostree/repo/objects/" + hex.substring(0, 2) + "/" + hex.substring(2) + ".commit",
        names.get(config + 1), "the commit comes right after the skeleton and config");
    int files = 0;
    for (int i = 0; i < names.size(); i++) {
      String n = names.get(i);
      if (n.endsWith(".file")) {
        files++;
        assertEquals(n + "-xattrs-link", names.get(i - 1), "the xattrs link right before " + n);
      }
      if (n.endsWith(".file-xattrs-link")) {
        assertEquals(n.substring(0, n.length() - "-xattrs-link".length()), names.get(i + 1));
      }
    }
    assertTrue(files > 0 || names.stream().noneMatch(n -> n.endsWith(".file-xattrs-link")));
    assertTrue(names.contains("var/tmp"));
  }

  private static Path export(SourceCommits.Source source, Path file) throws IOException {
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
      new CommitTarExporter(source.open(), source.commit()).exportCommit(out);
    }
    return file;
  }

  private static Path tree(String name) throws IOException {
    if (name.equals("minbase")) {
      return ItWork.minbase();
    }
    if (!name.equals("os-like") && !name.equals("with-var-tmp")) {
      return ItWork.corpus(name);
    }
    Path t = ItWork.newDir("tree-" + name);
    if (name.equals("os-like")) {
      Files.createDirectories(t.resolve("usr/bin"));
      Files.writeString(t.resolve("usr/bin/bash"), "#!/bin/bash\n");
      Files.setAttribute(t.resolve("usr/bin/bash"), "unix:mode", 0755);
      Files.createSymbolicLink(t.resolve("usr/bin/sh"), Path.of("bash"));
      Files.createSymbolicLink(t.resolve("bin"), Path.of("usr/bin"));
      Files.createDirectories(t.resolve("usr/etc/ssh"));
      Files.writeString(t.resolve("usr/etc/os-release"), "ID=test\n");
      Files.writeString(t.resolve("usr/etc/ssh/sshd_config"), "PermitRootLogin no\n");
      Files.setAttribute(t.resolve("usr/etc/ssh/sshd_config"), "unix:mode", 0600);
      Files.setAttribute(t.resolve("usr/etc/ssh"), "unix:mode", 0700);
      Files.createDirectories(t.resolve("usr/lib/modules/6.1.0"));
      Files.writeString(t.resolve("usr/lib/modules/6.1.0/vmlinuz"), "kernel\n");
      Files.createDirectories(t.resolve("var"));
      Files.createDirectories(t.resolve("sysroot"));
    } else {
      Files.createDirectories(t.resolve("var/tmp"));
      Files.setAttribute(t.resolve("var/tmp"), "unix:mode", 01770);
      Files.writeString(t.resolve("var/tmp/kept"), "kept\n");
      Files.writeString(t.resolve("top"), "top\n");
    }
    return t;
  }

  private static void stripXattrsOfDirectoriesAndEmptyFiles(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        boolean dir = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
        boolean emptyFile = Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && Files.size(p) == 0;
        if (dir || emptyFile) {
          UserDefinedFileAttributeView v = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class,
              LinkOption.NOFOLLOW_LINKS);
          for (String attr : v.list()) {
            v.delete(attr);
          }
        }
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private static int count(Path dir) throws IOException {
    int n = 0;
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        n++;
      }
    }
    return n;
  }
}
