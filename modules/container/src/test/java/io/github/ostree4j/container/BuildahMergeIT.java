package io.github.ostree4j.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ostree4j.oci.Compression;
import io.github.ostree4j.oci.Descriptor;
import io.github.ostree4j.oci.ImageConfig;
import io.github.ostree4j.oci.ImageManifest;
import io.github.ostree4j.oci.OciLayout;
import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.ostree.CommitOptions;
import io.github.ostree4j.ostree.Committer;
import io.github.ostree4j.ostree.OstreeRepo;
import io.github.ostree4j.ostree.RepoMode;
import io.github.ostree4j.testing.Cmd;
import io.github.ostree4j.testing.OstreeCli;
import io.github.ostree4j.testing.Peers;
import io.github.ostree4j.testing.TreeComparator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A layered import against the real {@code buildah}: a base tree committed with our {@link
 * Committer} and shipped as an OCI image (GNU tar + {@code umoci}), two derived layers made by
 * {@code buildah run} (adds under {@code /usr} and {@code /etc}, deleted files and directories,
 * a directory replaced by a file and a file by a directory, a directory emptied and refilled, an
 * ostree object changed in place through its checkout hard link, content in {@code /opt} and
 * {@code /tmp}), imported with {@link DerivedLayerImporter} and merged with {@link
 * MergeCommitBuilder}. The real {@code ostree checkout} of the merge commit must equal buildah's
 * own root filesystem of the final image, with {@code etc} at {@code usr/etc} and the content an
 * ostree system drops removed.
 *
 * <p>With the vfs driver the layers carry one whiteout per deleted name and the changed object
 * shows up as ostree-rs-ext#405 describes (a regular file under {@code sysroot/ostree/repo} with a
 * real mtime, and the checkout path a hard link to it); with overlay the emptied directory is an
 * opaque whiteout.
 */
class BuildahMergeIT {

  static final String OBJECT = "sysroot/ostree/repo/objects/ab/" + "c".repeat(62) + ".file";
  static final List<String> EMPTIED = List.of("run", "tmp", "proc", "sys", "dev");

  static final String ROUND_1 = String.join("; ",
      "set -e",
      "echo new > /usr/share/added",
      "mkdir -p /usr/lib/newdir/deeper",
      "echo n > /usr/lib/newdir/deeper/n",
      "echo conf > /etc/new.conf",
      "rm /usr/share/gone",
      "rm -rf /usr/share/doc",
      "rm -rf /usr/lib/dir2file",
      "echo now-a-file > /usr/lib/dir2file",
      "rm /usr/lib/file2dir",
      "mkdir /usr/lib/file2dir",
      "echo inner > /usr/lib/file2dir/inner",
      "rm -rf /usr/share/a",
      "mkdir /usr/share/a",
      "echo n > /usr/share/a/n",
      "echo v2 >> /usr/bin/tool",
      "mkdir -p /opt/app",
      "echo x > /opt/app/x",
      "echo t > /tmp/t");
  static final String ROUND_2 = String.join("; ",
      "set -e",
      "rm /usr/share/added",
      "echo again > /usr/share/gone",
      "rm -rf /usr/lib/newdir",
      "echo ID=changed > /etc/os-release",
      "mkdir -m 0700 /usr/share/private",
      "echo p > /usr/share/private/p");

  @TempDir Path tmp;

  @ParameterizedTest(name = "storage driver {0}")
  @ValueSource(strings = {"vfs", "overlay"})
  void mergedImageChecksOutLikeBuildahsRootFilesystem(String driver) throws Exception {
    OstreeCli.executable();
    Peers.require("umoci");
    Peers.require("tar");
    Buildah buildah = new Buildah(tmp.resolve("storage"), tmp.resolve("runroot"), driver);
    if (driver.equals("overlay")) {
      Assumptions.assumeTrue(buildah.tryRun("info").success(), "buildah cannot use overlay storage here");
    }
    try {
      run(buildah, driver);
    } finally {
      buildah.cleanup();
    }
  }

  private void run(Buildah buildah, String driver) throws Exception {
    // the image's root filesystem, and the same tree as an ostree commit would hold it
    Path image = tmp.resolve("image-root");
    baseTree(image);
    Path ostreeTree = tmp.resolve("ostree-root");
    Cmd.of("cp", "-a", image.toString(), ostreeTree.toString()).run().checkSuccess();
    Files.move(ostreeTree.resolve("etc"), ostreeTree.resolve("usr/etc"));
    Cmd.of("rm", "-rf", ostreeTree.resolve("sysroot").toString()).run().checkSuccess();
    Path repoDir = tmp.resolve("repo");
    OstreeRepo repo = OstreeRepo.init(repoDir, RepoMode.ARCHIVE);
    Checksum base = new Committer(repo).commitDirectory(ostreeTree, CommitOptions.builder()
        .branch(ContainerRefs.BASE_IMAGE_PREFIX + "test/base").timestamp(0).build());

    // the base image, then two derived images built on it
    Path layout = tmp.resolve("oci");
    Path baseTar = tmp.resolve("base.tar");
    Cmd.of("tar", "--sort=name", "--numeric-owner", "-C", image.toString(), "-cf", baseTar.toString(), ".")
        .run().checkSuccess();
    Cmd.of("umoci", "init", "--layout", layout.toString()).run().checkSuccess();
    Cmd.of("umoci", "new", "--image", layout + ":base").run().checkSuccess();
    Cmd.of("umoci", "raw", "add-layer", "--image", layout + ":base", baseTar.toString()).run().checkSuccess();
    String c1 = buildah.run("from", "--quiet", "oci:" + layout + ":base");
    buildah.run("run", c1, "--", "sh", "-c", ROUND_1);
    buildah.run("commit", "--quiet", c1, "oci:" + layout + ":derived1");
    String c2 = buildah.run("from", "--quiet", "oci:" + layout + ":derived1");
    buildah.run("run", c2, "--", "sh", "-c", ROUND_2);
    buildah.run("commit", "--quiet", c2, "oci:" + layout + ":derived2");

    // import the derived layers and merge
    OciLayout oci = OciLayout.open(layout);
    Descriptor md = oci.findManifest("derived2");
    ImageManifest manifest = oci.readManifest(md);
    ImageConfig config = oci.readConfig(manifest.config());
    assertEquals(3, manifest.layers().size(), "base layer and two derived layers");
    List<Checksum> layers = new ArrayList<>();
    List<DerivedLayerResult> results = new ArrayList<>();
    for (Descriptor layer : manifest.layers().subList(1, 3)) {
      DerivedLayerResult r;
      try (InputStream in = Compression.forMediaType(layer.mediaType()).decompress(oci.openBlob(layer))) {
        r = new DerivedLayerImporter(repo).importLayer(in,
            CommitOptions.builder().branch(ContainerRefs.layerRef(layer.digest())).build());
      }
      results.add(r);
      layers.add(r.commit());
    }
    long created = Instant.parse(config.created().orElseThrow()).getEpochSecond();
    Checksum merged = new MergeCommitBuilder(repo).merge(base, layers,
        new MergeMetadata(md.digest(), manifest.bytes(), config.bytes(), created));
    String imageRef = ContainerRefs.imageRef("oci:" + layout + ":derived2");
    repo.refs().set(imageRef, merged);

    // what the layers really contained
    Map<String, TarArchiveEntry> first = entries(oci, manifest.layers().get(1));
    assertTrue(first.containsKey("usr/share/.wh.doc"), first.keySet().toString());
    if (driver.equals("vfs")) {
      TarArchiveEntry object = first.get(OBJECT);
      TarArchiveEntry tool = first.get("usr/bin/tool");
      assertTrue(object != null && object.isFile() && object.getModTime().getTime() > 0, "changed object in the layer");
      assertTrue(tool != null && tool.isLink() && tool.getLinkName().equals(OBJECT), "tool links to the object");
      assertTrue(first.containsKey("usr/share/a/.wh.f"), first.keySet().toString());
    } else {
      assertTrue(first.containsKey("usr/share/a/.wh..wh..opq"), first.keySet().toString());
    }
    assertTrue(results.get(0).filtered().containsKey("opt"), results.get(0).filtered().toString());
    assertTrue(results.get(0).filtered().containsKey("tmp"), results.get(0).filtered().toString());

    // the real ostree: a clean repository, the refs, the merge commit's parent and metadata
    OstreeCli.run("--repo=" + repoDir, "fsck");
    List<String> refs = OstreeCli.run("--repo=" + repoDir, "refs").stdoutLines();
    assertTrue(refs.contains(imageRef), refs.toString());
    for (Descriptor layer : manifest.layers().subList(1, 3)) {
      assertTrue(refs.contains(ContainerRefs.layerRef(layer.digest())), refs.toString());
    }
    assertEquals(base.hex(), OstreeCli.run("--repo=" + repoDir, "rev-parse", imageRef + "^").stdout().strip());
    assertEquals("'" + md.digest() + "'", OstreeCli.run("--repo=" + repoDir, "show",
        "--print-metadata-key=ostree.manifest-digest", imageRef).stdout().strip());

    Path checkout = tmp.resolve("checkout");
    OstreeCli.run("--repo=" + repoDir, "checkout", "-U", imageRef, checkout.toString());

    // buildah's own view of the final image, mapped the way ostree keeps it
    String c3 = buildah.run("from", "--quiet", "oci:" + layout + ":derived2");
    Path mounted = Path.of(buildah.run("mount", c3));
    Path expected = tmp.resolve("expected");
    Cmd.of("cp", "-a", mounted.toString(), expected.toString()).run().checkSuccess();
    buildah.run("umount", c3);
    ostreeView(expected);

    TreeComparator.assertEqualTrees(expected, checkout, TreeComparator.Options.defaults().ignoreRootMetadata());
    assertEquals("v1\nv2\n", Files.readString(checkout.resolve("usr/bin/tool")));
  }

  /** A small root filesystem that can run {@code sh -c} with {@code rm} and {@code mkdir}. */
  private static void baseTree(Path root) throws IOException {
    Files.createDirectories(root.resolve("usr/bin"));
    for (String tool : List.of("dash", "rm", "mkdir")) {
      Path bin = Path.of("/bin", tool);
      Files.copy(bin, root.resolve("usr/bin").resolve(tool), StandardCopyOption.COPY_ATTRIBUTES);
      Matcher m = Pattern.compile("(/\\S+)").matcher(Cmd.of("ldd", bin.toString()).run().checkSuccess().stdout());
      while (m.find()) {
        String lib = m.group(1);
        Path dest = root.resolve("usr").resolve((lib.startsWith("/usr/") ? lib.substring(5) : lib.substring(1)));
        if (!Files.exists(dest)) {
          Files.createDirectories(dest.getParent());
          Files.copy(Path.of(lib), dest);
          Files.setAttribute(dest, "unix:mode", 0755);
        }
      }
    }
    Files.createSymbolicLink(root.resolve("usr/bin/sh"), Path.of("dash"));
    Files.createSymbolicLink(root.resolve("bin"), Path.of("usr/bin"));
    Files.createSymbolicLink(root.resolve("lib"), Path.of("usr/lib"));
    if (Files.isDirectory(root.resolve("usr/lib64"))) {
      Files.createSymbolicLink(root.resolve("lib64"), Path.of("usr/lib64"));
    }
    write(root, "usr/share/doc/readme", "r");
    write(root, "usr/share/doc/sub/x", "x");
    write(root, "usr/share/gone", "g");
    write(root, "usr/share/a/f", "f");
    write(root, "usr/share/a/sub/g", "g");
    write(root, "usr/lib/dir2file/z", "z");
    write(root, "usr/lib/file2dir", "f");
    write(root, "etc/os-release", "ID=test");
    Files.createDirectories(root.resolve("tmp"));
    Files.setAttribute(root.resolve("tmp"), "unix:mode", 01777);
    // an ostree object and its checkout path, hard links of one file with mtime 0, as exported
    write(root, "usr/bin/tool", "v1");
    Files.setAttribute(root.resolve("usr/bin/tool"), "unix:mode", 0755);
    Files.createDirectories(root.resolve(OBJECT).getParent());
    Files.createLink(root.resolve(OBJECT), root.resolve("usr/bin/tool"));
    Files.setLastModifiedTime(root.resolve(OBJECT), FileTime.fromMillis(0));
  }

  private static void write(Path root, String path, String line) throws IOException {
    Path p = root.resolve(path);
    Files.createDirectories(p.getParent());
    Files.writeString(p, line + "\n");
    Files.setAttribute(p, "unix:mode", 0644);
  }

  /**
   * Turns an image root filesystem into what an ostree merge of it holds: {@code etc} at {@code
   * usr/etc} without the empty {@code hostname} and {@code resolv.conf} the build injected, the
   * API filesystems and {@code /tmp} empty, {@code /opt} dropped, and no {@code /sysroot} (the
   * base commit has none; in the image it is the ostree repository).
   */
  private static void ostreeView(Path root) throws IOException {
    Files.move(root.resolve("etc"), root.resolve("usr/etc"));
    for (String injected : List.of("hostname", "resolv.conf")) {
      Path p = root.resolve("usr/etc").resolve(injected);
      if (Files.isRegularFile(p) && Files.size(p) == 0) {
        Files.delete(p);
      }
    }
    for (String top : EMPTIED) {
      Path dir = root.resolve(top);
      if (Files.isDirectory(dir)) {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
          for (Path child : ds) {
            Cmd.of("rm", "-rf", child.toString()).run().checkSuccess();
          }
        }
      }
    }
    Cmd.of("rm", "-rf", root.resolve("opt").toString(), root.resolve("sysroot").toString()).run().checkSuccess();
  }

  private static Map<String, TarArchiveEntry> entries(OciLayout oci, Descriptor layer) throws IOException {
    Map<String, TarArchiveEntry> out = new HashMap<>();
    try (InputStream in = Compression.forMediaType(layer.mediaType()).decompress(oci.openBlob(layer));
        TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        String name = e.getName();
        out.put(name.endsWith("/") ? name.substring(0, name.length() - 1) : name, e);
      }
    }
    return out;
  }
}
