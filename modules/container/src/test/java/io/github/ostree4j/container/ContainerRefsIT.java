package io.github.ostree4j.container;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.ostree4j.ostree.CommitOptions;
import io.github.ostree4j.ostree.Committer;
import io.github.ostree4j.ostree.OstreeRepo;
import io.github.ostree4j.ostree.RepoMode;
import io.github.ostree4j.oci.Digest;
import io.github.ostree4j.testing.OstreeCli;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real {@code ostree} accepts every escaped ref name, and lists them back as written. */
class ContainerRefsIT {

  @TempDir Path tmp;

  @Test
  void realOstreeAcceptsEscapedRefs() throws Exception {
    OstreeCli.executable();
    Path repoDir = tmp.resolve("repo");
    OstreeRepo repo = OstreeRepo.init(repoDir, RepoMode.ARCHIVE);
    String commit = new Committer(repo).commitTar(new LayerTar().file("usr/x", "x").stream(),
        CommitOptions.builder().timestamp(0).build()).hex();
    List<String> refs = new ArrayList<>();
    for (String s : ContainerRefsTest.ROUNDTRIP) {
      refs.add(ContainerRefs.imageRef(s));
    }
    refs.add(ContainerRefs.imageRef("docker://quay.io/fedora/fedora-bootc:41"));
    refs.add(ContainerRefs.imageRef("oci:/var/tmp/image dir:tag_1"));
    refs.add(ContainerRefs.layerRef(Digest.sha256("layer".getBytes(StandardCharsets.UTF_8))));
    refs.add(ContainerRefs.BASE_IMAGE_PREFIX + "project/" + ContainerRefs.escape("caf\u00e9 \u65e5"));
    for (String ref : refs) {
      OstreeCli.run("--repo=" + repoDir, "refs", "--create=" + ref, commit);
    }
    assertEquals(new TreeSet<>(refs), new TreeSet<>(OstreeCli.run("--repo=" + repoDir, "refs").stdoutLines()));
    for (String ref : refs) {
      assertEquals(commit, OstreeCli.run("--repo=" + repoDir, "rev-parse", ref).stdout().strip());
    }
  }
}
