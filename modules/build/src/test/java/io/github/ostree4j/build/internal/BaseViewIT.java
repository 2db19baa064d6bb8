package io.github.ostree4j.build.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ostree4j.container.Encapsulator;
import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.ostree.CommitOptions;
import io.github.ostree4j.ostree.Committer;
import io.github.ostree4j.ostree.OstreeRepo;
import io.github.ostree4j.ostree.RepoMode;
import io.github.ostree4j.testing.DebianRootfs;
import io.github.ostree4j.testing.Peers;
import io.github.ostree4j.testing.TreeComparator;
import io.github.ostree4j.testing.WorkDirs;
import io.github.ostree4j.transport.ImageDestination;
import io.github.ostree4j.transport.ImageReference;
import io.github.ostree4j.transport.ImageTransports;
import io.github.ostree4j.transport.TransportOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The base root filesystem a build starts from (the hardlink checkout of the image's merge commit
 * in the container view) against {@code umoci unpack} of the same image. Documented differences:
 * {@code sysroot/ostree/repo/objects/*} of an ostree image is not materialized (umoci unpacks one
 * hard link per file there), and modification times are not compared (ostree keeps none; every
 * file of a checkout has time 0).
 */
class BaseViewIT {

  @BeforeEach
  void peers() {
    Peers.requireRoot("hardlink checkouts with real owners from a bare repository");
    Peers.require("umoci");
    BusyboxRootfs.busybox();
  }

  private static BaseImage resolve(String ref) throws Exception {
    try (StorageLayout s = StorageLayout.open(WorkDirs.newDir("storage"));
        BaseImages bases = new BaseImages(s, TransportOptions.defaults(), m -> { })) {
      return bases.resolve(ImageReference.parse(ref));
    }
  }

  private static void assertSameAsUmoci(String ref, Path layout, String tag, Predicate<String> exclude)
      throws Exception {
    BaseImage base = resolve(ref);
    Path bundle = WorkDirs.newDir("umoci").resolve("bundle");
    BuildPeers.umoci("unpack", "--image", layout + ":" + tag, bundle.toString());
    TreeComparator.assertEqualTrees(bundle.resolve("rootfs"), base.rootfs(),
        TreeComparator.Options.defaults().ignoreRootMetadata().exclude(exclude));
  }

  /** A non-ostree image (busybox, made by umoci): every path equal, /etc included. */
  @Test
  void plainImage() throws Exception {
    String ref = BuildPeers.busyboxImage();
    Path layout = Path.of(ref.substring("oci:".length(), ref.lastIndexOf(':')));
    assertSameAsUmoci(ref, layout, "base", p -> false);
    assertTrue(Files.isRegularFile(resolve(ref).rootfs().resolve("etc/passwd")));
  }

  /** An ostree image: equal except the objects of the embedded repository. */
  @Test
  void encapsulatedOstreeCommit() throws Exception {
    Path tree = BusyboxRootfs.create(WorkDirs.newDir("tree").resolve("t"));
    Files.createDirectories(tree.resolve("usr/etc"));
    Files.move(tree.resolve("etc/passwd"), tree.resolve("usr/etc/passwd"));
    Files.move(tree.resolve("etc/group"), tree.resolve("usr/etc/group"));
    Files.delete(tree.resolve("etc"));
    Path image = encapsulate(tree);
    String ref = "oci:" + image + ":os";
    assertSameAsUmoci(ref, image, "os", BaseViewIT::repoObject);
    BaseImage base = resolve(ref);
    assertTrue(base.ostree());
    assertTrue(ContainerView.isOstreeContainer(base.rootfs()));
    assertEquals(01777, FileAttrs.lstat(base.rootfs().resolve("var/tmp")).permissions());
  }

  /** The Debian minbase root filesystem, encapsulated (chunked by package). */
  @Test
  void debianMinbase() throws Exception {
    Path rootfs = DebianRootfs.minbase();
    Path image = encapsulate(rootfs);
    assertSameAsUmoci("oci:" + image + ":os", image, "os", BaseViewIT::repoObject);
  }

  private static boolean repoObject(String p) {
    return p.startsWith("sysroot/ostree/repo/objects/") && p.length() > "sysroot/ostree/repo/objects/xx".length();
  }

  private static Path encapsulate(Path tree) throws Exception {
    OstreeRepo repo = OstreeRepo.init(WorkDirs.newDir("repo"), RepoMode.BARE);
    Checksum commit = new Committer(repo).commitDirectory(tree, CommitOptions.builder()
        .branch("os").timestamp(0L).build());
    Path image = WorkDirs.newDir("image").resolve("layout");
    ImageReference ref = ImageReference.parse("oci:" + image + ":os");
    try (ImageDestination d = ImageTransports.openDestination(ref, TransportOptions.defaults())) {
      Encapsulator.builder(repo, commit).build().encapsulate(d);
      d.commit();
    }
    return image;
  }
}
