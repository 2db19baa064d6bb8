package io.github.ostree4j.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.github.ostree4j.oci.Digest;
import io.github.ostree4j.ostree.OstreeRepo;
import io.github.ostree4j.ostree.RepoMode;
import io.github.ostree4j.transport.ImageDestination;
import io.github.ostree4j.transport.ImageReference;
import io.github.ostree4j.transport.ImageTransports;
import io.github.ostree4j.transport.TransportOptions;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ContainerStore#pull(ContainerStore.FetchedImage, TransportOptions)}: a node checks the
 * manifest, then pulls; what it pulls is the manifest it checked, even if the tag moved between
 * the two.
 */
class ContainerStorePullTest {

  @TempDir Path tmp;

  @Test
  void pullOfAFetchedManifestImportsThatManifestAfterTheTagMoved() throws Exception {
    TransportOptions options = TransportOptions.defaults();
    ImageReference ref = ImageReference.parse("oci:" + tmp.resolve("layout") + ":stable");
    TestCommits v1 = commit("v1", "1");
    Digest d1 = encapsulate(v1, ref);
    ContainerStore.FetchedImage checked = ContainerStore.fetchManifest(ref, options);
    assertEquals(d1, checked.manifestResponse().digest());

    TestCommits v2 = commit("v2", "2");
    Digest d2 = encapsulate(v2, ref); // the tag moves to v2
    assertNotEquals(d1, d2);

    OstreeRepo node = OstreeRepo.init(tmp.resolve("node"), RepoMode.BARE_USER);
    ContainerStore store = new ContainerStore(node);
    ContainerStore.PullResult r = store.pull(checked, options);
    assertEquals(d1, r.manifestDigest(), "the checked manifest, not the tag's current one");
    assertEquals(Optional.of(v1.commit), r.baseCommit());
    assertEquals(d1, store.query(ref.toString()).orElseThrow().manifestDigest());

    ContainerStore.PullResult again = store.pull(ref, options);
    assertEquals(d2, again.manifestDigest(), "a pull by reference reads the tag now");
    assertEquals(Optional.of(v2.commit), again.baseCommit());
    assertEquals(d2, store.query(ref.toString()).orElseThrow().manifestDigest());
  }

  private TestCommits commit(String name, String version) throws Exception {
    Path tree = tmp.resolve("tree-" + name);
    TestCommits.write(tree, "usr/lib/os-release", "ID=test\nVERSION_ID=" + version + "\n");
    TestCommits.write(tree, "usr/bin/tool", "tool " + version + "\n");
    TestCommits.write(tree, "usr/share/data/common", "the same in every version\n");
    TestCommits.link(tree, "bin", "usr/bin");
    return TestCommits.commit(tmp.resolve("work-" + name), tree);
  }

  private static Digest encapsulate(TestCommits c, ImageReference ref) throws Exception {
    try (ImageDestination d = ImageTransports.openDestination(ref, TransportOptions.defaults())) {
      Encapsulator.Result r = Encapsulator.builder(c.repo, c.commit).build().encapsulate(d);
      d.commit();
      return r.manifestDigest();
    }
  }
}
