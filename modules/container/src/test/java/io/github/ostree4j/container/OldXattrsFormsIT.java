package io.github.ostree4j.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.ostree.OstreeRepo;
import io.github.ostree4j.ostree.RepoMode;
import io.github.ostree4j.testing.OstreeCli;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Streams in the older xattrs forms, built in the test from a current export, import as the same
 * commit and leave a repository the real {@code ostree fsck} finds clean:
 *
 * <ul>
 *   <li>2022 to 2025: shared {@code objects/xx/<sha256>.file-xattrs} files and
 *       {@code <object>.file-xattrs-link} hard links to them, with relative ({@code ../xx/...}) or
 *       full link targets;
 *   <li>2021 ("v0"): shared {@code sysroot/ostree/repo/xattrs/<sha256>} files and
 *       {@code <object>.file.xattrs} hard links.
 * </ul>
 */
class OldXattrsFormsIT {

  private static final String REPO = "sysroot/ostree/repo/";

  enum Form {
    SHARED_RELATIVE,
    SHARED_FULL_PATH,
    V0
  }

  @BeforeAll
  static void peers() {
    OstreeCli.executable();
  }

  @ParameterizedTest(name = "{0} in the {1} form")
  @CsvSource({
    "xattrs, SHARED_RELATIVE", "xattrs, SHARED_FULL_PATH", "xattrs, V0",
    "hardlinks, SHARED_RELATIVE", "symlinks, V0"
  })
  void olderFormImportsAsTheSameCommit(String name, Form form) throws IOException {
    SourceCommits.Source source = SourceCommits.ostree(name, ItWork.corpus(name), "archive");
    byte[] current = Files.readAllBytes(SourceCommits.exported(name, source));
    byte[] old = TarItems.write(rewrite(TarItems.read(current), form));

    // The rewritten stream really is in the old form: shared xattrs content, linked to.
    List<RawTar.Entry> entries = RawTar.read(old);
    long links = entries.stream().filter(e -> e.isHardlink() && (e.path().endsWith(".file-xattrs-link")
        || e.path().endsWith(".file.xattrs"))).count();
    long shared = entries.stream().filter(e -> e.isRegular() && (e.path().endsWith(".file-xattrs")
        || e.path().startsWith(REPO + "xattrs/"))).count();
    long objects = entries.stream().filter(e -> e.path().endsWith(".file")).count();
    assertEquals(objects, links, "one link per content object");
    assertTrue(shared > 0 && shared < links, "xattrs content is shared: " + shared + " for " + links + " links");
    assertTrue(entries.stream().noneMatch(e -> e.isRegular() && e.path().endsWith(".file-xattrs-link")));

    Path target = ItWork.newDir("old-form").resolve("repo");
    OstreeRepo repo = OstreeRepo.init(target, RepoMode.ARCHIVE);
    Checksum imported = new CommitTarImporter(repo).importCommit(new ByteArrayInputStream(old));
    assertEquals(source.commit(), imported);
    ItWork.assertCleanRepo(target);
    ItWork.deleteQuietly(target.getParent());
  }

  /** Replaces each {@code .file-xattrs-link} regular file by shared content and a hard link. */
  static List<TarItems.Item> rewrite(List<TarItems.Item> items, Form form) {
    List<TarItems.Item> out = new ArrayList<>();
    Set<String> written = new HashSet<>();
    for (TarItems.Item i : items) {
      String name = i.name();
      if (!name.endsWith(".file-xattrs-link")) {
        out.add(i);
        continue;
      }
      String h = sha256(i.data());
      String object = name.substring(0, name.length() - ".file-xattrs-link".length());
      if (form == Form.V0) {
        String shared = REPO + "xattrs/" + h;
        if (written.add(shared)) {
          out.add(TarItems.regular(shared, i.data()));
        }
        out.add(TarItems.hardlink(object + ".file.xattrs", shared));
      } else {
        String shared = REPO + "objects/" + h.substring(0, 2) + "/" + h.substring(2) + ".file-xattrs";
        if (written.add(shared)) {
          out.add(TarItems.regular(shared, i.data()));
        }
        String target = form == Form.SHARED_RELATIVE ? "../" + h.substring(0, 2) + "/" + h.substring(2) + ".file-xattrs"
            : shared;
        out.add(TarItems.hardlink(name, target));
      }
    }
    return out;
  }

  static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
