package io.github.ostree4j.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ostree4j.oci.Compression;
import io.github.ostree4j.oci.Descriptor;
import io.github.ostree4j.oci.ImageManifest;
import io.github.ostree4j.oci.OciArchive;
import io.github.ostree4j.oci.OciLayout;
import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.ostree.OstreeRepo;
import io.github.ostree4j.ostree.RepoMode;
import io.github.ostree4j.testing.OstreeCli;
import io.github.ostree4j.testing.SharedTestData;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Layer 0 of the upstream fixtures {@code exampleos-derive.ociarchive} and
 * {@code exampleos-derive-v2.ociarchive}: a 2021 ("v0") ostree-ext tar stream with
 * {@code xattrs/<sha256>} content and {@code .file.xattrs} hard links. It imports in commit mode
 * as the commit the image names, which the real {@code ostree} then finds complete and clean.
 */
class ExampleOsFixtureIT {

  /** The commit named by the image's {@code ostree.commit} annotation. */
  static final String COMMIT = "3cb6170b6945065c2475bc16d7bebcc84f96b4c677811a6751e479b89f8c3770";
  /** The commit's content checksum, from the fixture notes (checked with ostree 2022.7). */
  static final String CONTENT_CHECKSUM = "c2f8878522aa71cea1a9ce16c61f0110d61313c4c761327ae11b753e6e09c2f3";

  @BeforeAll
  static void peers() {
    OstreeCli.executable();
  }

  @ParameterizedTest(name = "{0} into {1}")
  @CsvSource({
    "exampleos-derive.ociarchive, ARCHIVE",
    "exampleos-derive.ociarchive, BARE_USER",
    "exampleos-derive-v2.ociarchive, ARCHIVE"
  })
  void layerZeroImportsAsTheImagesCommit(String fixture, RepoMode mode) throws IOException {
    Path archive = SharedTestData.require("ostree-ext-fixtures/" + fixture);
    Path work = ItWork.newDir("fixture");
    OciLayout layout = OciArchive.extract(archive, work.resolve("oci"));
    ImageManifest manifest = layout.readManifest(layout.findManifest(null));
    assertEquals(COMMIT, manifest.annotations().get("ostree.commit"));
    Descriptor layer0 = manifest.layers().get(0);

    Path target = work.resolve("repo");
    OstreeRepo repo = OstreeRepo.init(target, mode);
    Checksum imported;
    try (InputStream in = Compression.forMediaType(layer0.mediaType()).decompress(layout.openBlob(layer0))) {
      imported = new CommitTarImporter(repo).importCommit(in);
    }
    assertEquals(COMMIT, imported.hex());
    ItWork.assertCleanRepo(target);

    String show = OstreeCli.run("--repo=" + target, "show", COMMIT).stdout();
    assertTrue(show.contains(CONTENT_CHECKSUM), show);
    String ls = OstreeCli.run("--repo=" + target, "ls", "-R", COMMIT).stdout();
    for (String path : new String[] {"/usr/bin/bash", "/usr/bin/foo", "/usr/bin/hardlink-a", "/usr/bin/hardlink-b",
        "/usr/bin/sh -> bash", "/usr/lib/modules/5.10.18-200.x86_64/vmlinuz",
        "/usr/lib/modules/5.10.18-200.x86_64/initramfs.img"}) {
      assertTrue(ls.contains(path + "\n"), "ostree ls -R lacks " + path + ":\n" + ls);
    }
    String bash = OstreeCli.run("--repo=" + target, "ls", "-X", COMMIT, "/usr/bin/bash").stdout();
    assertTrue(bash.contains("system_u:object_r:shell_exec_t:s0"), "the SELinux label came along: " + bash);
    assertEquals("bash\n", OstreeCli.run("--repo=" + target, "cat", COMMIT, "/usr/bin/bash").stdout());
    ItWork.deleteQuietly(work);
  }
}
