package io.github.ostree4j.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The /etc three-way merge rules, one case each. */
class EtcMergeTest {

  @TempDir Path tmp;
  private Path orig;
  private Path local;
  private Path target;

  @BeforeEach
  void trees() throws IOException {
    orig = Files.createDirectories(tmp.resolve("old-usr-etc"));
    local = Files.createDirectories(tmp.resolve("old-etc"));
    target = Files.createDirectories(tmp.resolve("new-etc"));
  }

  /** The same file in the old image, on the machine and (optionally different) in the new image. */
  private void file(String path, String old, String machine, String image) throws IOException {
    write(orig, path, old);
    write(local, path, machine);
    write(target, path, image);
  }

  private static void write(Path root, String path, String content) throws IOException {
    if (content == null) {
      return;
    }
    Path p = root.resolve(path);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
  }

  private String read(String path) throws IOException {
    return Files.readString(target.resolve(path));
  }

  private EtcMergeResult merge() throws IOException {
    return EtcMerge.merge(orig, local, target);
  }

  @Test
  void localEditWinsAlsoWhenTheImageChangedTheFile() throws IOException {
    file("a.conf", "v1\n", "mine\n", "v2\n");
    file("b.conf", "v1\n", "mine\n", "v1\n");
    EtcMergeResult r = merge();
    assertEquals("mine\n", read("a.conf"));
    assertEquals("mine\n", read("b.conf"));
    assertEquals(List.of("a.conf", "b.conf"), r.modified());
    assertEquals(List.of(), r.conflicts());
  }

  @Test
  void untouchedFilesFollowTheImage() throws IOException {
    file("same.conf", "v1\n", "v1\n", "v2\n");
    file("dropped.conf", "v1\n", "v1\n", null);
    write(target, "new.conf", "new in v2\n");
    EtcMergeResult r = merge();
    assertEquals("v2\n", read("same.conf"));
    assertFalse(Files.exists(target.resolve("dropped.conf")));
    assertEquals("new in v2\n", read("new.conf"));
    assertEquals("Copying /etc changes: 0 modified, 0 removed, 0 added", r.summary());
  }

  @Test
  void modeChangeIsALocalEdit() throws IOException {
    file("secret", "x\n", "x\n", "x\n");
    Files.setAttribute(local.resolve("secret"), "unix:mode", 0600);
    EtcMergeResult r = merge();
    assertEquals(List.of("secret"), r.modified());
    assertEquals(0600, (Integer) Files.getAttribute(target.resolve("secret"), "unix:mode") & 07777);
  }

  @Test
  void deletedFilesStayDeleted() throws IOException {
    file("gone.conf", "v1\n", null, "v2\n");
    file("dir/inner.conf", "v1\n", null, "v2\n");
    write(target, "dir/added-by-image", "x\n");
    EtcMergeResult r = merge();
    assertFalse(Files.exists(target.resolve("gone.conf")));
    assertFalse(Files.exists(target.resolve("dir")), "a directory deleted locally stays deleted");
    assertEquals(List.of("dir", "gone.conf"), r.removed());
  }

  @Test
  void addedFilesAndDirectoriesAreKept() throws IOException {
    write(local, "local.conf", "mine\n");
    write(local, "sub/one", "1\n");
    write(local, "sub/deeper/two", "2\n");
    Files.createSymbolicLink(local.resolve("link"), Path.of("local.conf"));
    EtcMergeResult r = merge();
    assertEquals("mine\n", read("local.conf"));
    assertEquals("2\n", read("sub/deeper/two"));
    assertEquals(Path.of("local.conf"), Files.readSymbolicLink(target.resolve("link")));
    // every file of an added directory counts, as ostree counts them
    assertEquals(List.of("link", "local.conf", "sub", "sub/deeper", "sub/deeper/two", "sub/one"),
        r.added());
    assertEquals("Copying /etc changes: 0 modified, 0 removed, 6 added", r.summary());
  }

  @Test
  void addedFileInADirectoryTheNewImageNoLongerHas() throws IOException {
    file("olddir/x", "1\n", "1\n", null);
    write(local, "olddir/mine", "m\n");
    EtcMergeResult r = merge();
    assertEquals("m\n", read("olddir/mine"));
    assertFalse(Files.exists(target.resolve("olddir/x")), "untouched image file follows the image");
    assertEquals(List.of("olddir/mine"), r.added());
  }

  @Test
  void localTypeChangeIsAConflictAndTheLocalVersionKept() throws IOException {
    file("was-file", "v1\n", null, "v2\n");
    Files.createDirectories(local.resolve("was-file"));
    write(local, "was-file/inside", "i\n");
    file("to-link", "v1\n", null, "v1\n");
    Files.createSymbolicLink(local.resolve("to-link"), Path.of("elsewhere"));
    EtcMergeResult r = merge();
    assertTrue(Files.isDirectory(target.resolve("was-file")));
    assertEquals("i\n", read("was-file/inside"));
    assertTrue(Files.isSymbolicLink(target.resolve("to-link")));
    assertEquals(List.of(
        new EtcConflict("to-link", "changed locally from a file to a symlink; kept the local version"),
        new EtcConflict("was-file", "changed locally from a file to a directory; kept the local version")),
        r.conflicts());
  }

  @Test
  void imageTypeChangeOfALocallyEditedFileIsAConflict() throws IOException {
    file("becomes-dir", "v1\n", "mine\n", null);
    write(target, "becomes-dir/part", "p\n");
    file("becomes-link", "v1\n", "mine\n", null);
    Files.createSymbolicLink(target.resolve("becomes-link"), Path.of("x"));
    EtcMergeResult r = merge();
    assertTrue(Files.isDirectory(target.resolve("becomes-dir"), LinkOption.NOFOLLOW_LINKS),
        "a local file cannot replace the image's directory");
    assertEquals("p\n", read("becomes-dir/part"));
    assertEquals("mine\n", read("becomes-link"), "otherwise the local edit wins");
    assertEquals(List.of(
        new EtcConflict("becomes-dir", "changed locally; the new image changed it from a file to a directory; kept the image's version"),
        new EtcConflict("becomes-link", "changed locally; the new image changed it from a file to a symlink; kept the local version")),
        r.conflicts());
  }

  @Test
  void addedLocallyWhileTheImageAddsAnotherType() throws IOException {
    write(local, "both", "mine\n");
    write(target, "both/inner", "image\n");
    EtcMergeResult r = merge();
    assertEquals(List.of(new EtcConflict("both",
        "added locally as a file; the new image has a directory; kept the image's version")), r.conflicts());
    assertEquals("image\n", read("both/inner"));
  }

  @Test
  void noPreviousEtcMeansNothingToMerge() throws IOException {
    write(target, "a", "1\n");
    EtcMergeResult r = EtcMerge.merge(orig, tmp.resolve("missing"), target);
    assertEquals(EtcMergeResult.NONE, r);
    assertEquals("1\n", read("a"));
  }

  @Test
  void neverWritesOrDeletesThroughASymlinkOfTheNewImage() throws IOException {
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Files.writeString(outside.resolve("victim"), "keep me\n");
    file("dir/victim", "v1\n", null, null); // deleted locally
    file("dir/edited", "v1\n", "mine\n", null); // edited locally
    write(local, "dir/added", "added\n");
    Files.createSymbolicLink(target.resolve("dir"), outside); // the new image made dir a symlink
    EtcMergeResult r = merge();
    assertEquals("keep me\n", Files.readString(outside.resolve("victim")));
    assertFalse(Files.exists(outside.resolve("edited")));
    assertFalse(Files.exists(outside.resolve("added")));
    assertTrue(Files.isSymbolicLink(target.resolve("dir")));
    assertEquals(List.of(
        new EtcConflict("dir/edited", "changed locally, but the new image has a symlink at dir; kept the image's version"),
        new EtcConflict("dir/added", "changed locally, but the new image has a symlink at dir; kept the image's version")),
        r.conflicts());
  }
}
