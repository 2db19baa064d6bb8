package io.github.ostree4j.build.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * COPY semantics checked against what buildah 1.28 produced for the same Containerfile lines
 * (see the comments); owners are only checked when running as root.
 */
class CopyStepTest {

  private static final boolean ROOT = "root".equals(System.getProperty("user.name"));
  private static final long T2001 = 981173106000L; // 2001-02-03 04:05:06 UTC

  @TempDir Path tmp;
  Path ctx;
  Path root;

  @BeforeEach
  void setUp() throws IOException {
    ctx = Files.createDirectories(tmp.resolve("ctx"));
    root = Files.createDirectories(tmp.resolve("root"));
    Files.writeString(ctx.resolve("a.txt"), "hello\n");
    Files.setLastModifiedTime(ctx.resolve("a.txt"), FileTime.fromMillis(T2001));
    Files.createDirectories(ctx.resolve("cdir/inner"));
    Files.writeString(ctx.resolve("cdir/f"), "f\n");
    FileAttrs.chmod(ctx.resolve("cdir/f"), 0640);
    FileAttrs.chmod(ctx.resolve("cdir"), 0750);
    Files.createSymbolicLink(ctx.resolve("cdir/link"), Path.of("f"));
    Files.createSymbolicLink(ctx.resolve("topl"), Path.of("a.txt"));
    Files.createDirectories(root.resolve("etc"));
    Files.writeString(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n"
        + "app:x:1000:1000::/home/app:/bin/sh\n");
    Files.writeString(root.resolve("etc/group"), "root:x:0:\napp:x:1000:\nstaff:x:50:app\n");
    Files.createDirectories(root.resolve("usr/bin"));
    Files.createSymbolicLink(root.resolve("bin"), Path.of("usr/bin"));
  }

  private void copy(List<String> sources, String dest, String chown, Integer chmod, String workdir)
      throws Exception {
    CopyStep.Spec spec = new CopyStep.Spec(false, sources, List.of(), dest, workdir, chown, chmod,
        false, Optional.empty(), Optional.empty(), 0L);
    CopyStep step = new CopyStep(spec, new SourceSelection(ctx, null, null, true), false,
        tmp.resolve("dl"));
    step.prepare(true);
    step.apply(root);
  }

  private static FileAttrs.Stat st(Path p) throws IOException {
    return FileAttrs.lstat(p);
  }

  /** COPY --chown=app cdir /o1/ : dest dir 0755 owned by app, contents keep their modes. */
  @Test
  void directoryContentsWithChown() throws Exception {
    copy(List.of("cdir"), "/o1/", "app", null, "/");
    assertEquals(0755, st(root.resolve("o1")).permissions());
    assertEquals(0640, st(root.resolve("o1/f")).permissions());
    assertTrue(st(root.resolve("o1/inner")).isDirectory());
    assertEquals("f", Files.readSymbolicLink(root.resolve("o1/link")).toString());
    if (ROOT) {
      assertEquals(1000, st(root.resolve("o1")).uid());
      assertEquals(1000, st(root.resolve("o1/f")).gid());
      assertEquals(1000, st(root.resolve("o1/link")).uid());
    }
  }

  /** COPY --chown=app:staff a.txt /o2/new/dir/ : created parents owned by app:staff. */
  @Test
  void createdParentsGetTheChownOwner() throws Exception {
    copy(List.of("a.txt"), "/o2/new/dir/", "app:staff", null, "/");
    Path f = root.resolve("o2/new/dir/a.txt");
    assertEquals("hello\n", Files.readString(f));
    assertEquals(T2001, st(f).mtimeMillis());
    if (ROOT) {
      assertEquals(50, st(root.resolve("o2")).gid());
      assertEquals(1000, st(root.resolve("o2/new")).uid());
      assertEquals(50, st(f).gid());
    }
  }

  /** COPY --chmod=700 cdir /o3 : chmod on files and subdirectories, not on /o3 itself. */
  @Test
  void chmodSparesTheDestinationDirectory() throws Exception {
    copy(List.of("cdir"), "/o3", null, 0700, "/");
    assertEquals(0755, st(root.resolve("o3")).permissions());
    assertEquals(0700, st(root.resolve("o3/f")).permissions());
    assertEquals(0700, st(root.resolve("o3/inner")).permissions());
    assertTrue(st(root.resolve("o3/link")).isSymlink());
  }

  /** A top-level symlink source, also one matched by a wildcard, is followed. */
  @Test
  void topLevelLinksAreFollowed() throws Exception {
    copy(List.of("topl"), "/o4/", "1234", null, "/");
    assertTrue(st(root.resolve("o4/topl")).isRegularFile());
    assertEquals("hello\n", Files.readString(root.resolve("o4/topl")));
    copy(List.of("cdir/*"), "/o7/", null, null, "/");
    assertTrue(st(root.resolve("o7/link")).isRegularFile());
    assertEquals(0640, st(root.resolve("o7/link")).permissions());
    // a matched directory contributes its (empty) contents, not itself
    assertFalse(Files.exists(root.resolve("o7/inner")));
    if (ROOT) {
      assertEquals(1234, st(root.resolve("o4/topl")).gid());
    }
  }

  /** COPY a.txt /o6/x/y writes the file y; a relative destination is relative to WORKDIR. */
  @Test
  void fileDestinationsAndWorkdir() throws Exception {
    copy(List.of("a.txt"), "/o6/x/y", null, null, "/");
    assertTrue(st(root.resolve("o6/x/y")).isRegularFile());
    copy(List.of("a.txt"), ".", null, null, "/w3/y");
    assertTrue(st(root.resolve("w3/y/a.txt")).isRegularFile());
  }

  /** Writing to /bin/ goes through the image's /bin -> usr/bin link, which stays a link. */
  @Test
  void destinationLinksToDirectoriesAreEntered() throws Exception {
    copy(List.of("a.txt"), "/bin/", null, null, "/");
    assertTrue(Files.isSymbolicLink(root.resolve("bin")));
    assertTrue(Files.isRegularFile(root.resolve("usr/bin/a.txt"), LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void sourcesOutsideTheContextAreRefused() {
    StepFailedException e = assertThrows(StepFailedException.class,
        () -> copy(List.of("../outside"), "/x", null, null, "/"));
    assertTrue(e.getMessage().contains("outside the build context"), e.getMessage());
    assertThrows(StepFailedException.class, () -> copy(List.of("missing"), "/x", null, null, "/"));
    assertThrows(StepFailedException.class, () -> copy(List.of("*.nope"), "/x/", null, null, "/"));
  }

  @Test
  void severalSourcesNeedADirectory() {
    StepFailedException e = assertThrows(StepFailedException.class,
        () -> copy(List.of("a.txt", "topl"), "/file", null, null, "/"));
    assertTrue(e.getMessage().contains("must be a directory"), e.getMessage());
  }

  @Test
  void linksInTheContextCannotLeadOut() throws Exception {
    Files.createSymbolicLink(ctx.resolve("evil"), Path.of("/etc"));
    // the link is followed inside the context: /etc of the context, which does not exist
    assertThrows(StepFailedException.class, () -> copy(List.of("evil/passwd"), "/x", null, null, "/"));
    assertFalse(Files.exists(root.resolve("x")));
  }

  @Test
  void unknownChownNamesFail() {
    StepFailedException e = assertThrows(StepFailedException.class,
        () -> copy(List.of("a.txt"), "/x", "nobody-here", null, "/"));
    assertTrue(e.getMessage().contains("nobody-here"), e.getMessage());
  }

  @Test
  void excludeAndParents() throws Exception {
    CopyStep.Spec spec = new CopyStep.Spec(false, List.of("cdir"), List.of(), "/ex/", "/", null,
        null, false, Optional.empty(), Optional.empty(), 0L);
    new CopyStep(spec, new SourceSelection(ctx, null,
        io.github.ostree4j.build.IgnorePatterns.parse("inner\nlink"), true), false,
        tmp.resolve("dl")).prepareAndApply(root);
    assertTrue(Files.exists(root.resolve("ex/f")));
    assertFalse(Files.exists(root.resolve("ex/inner")));
    assertFalse(Files.exists(root.resolve("ex/link"), LinkOption.NOFOLLOW_LINKS));
    CopyStep.Spec parents = new CopyStep.Spec(false, List.of("cdir/f", "a.txt"), List.of(), "/p/",
        "/", null, null, true, Optional.empty(), Optional.empty(), 0L);
    new CopyStep(parents, new SourceSelection(ctx, null, null, true), false, tmp.resolve("dl"))
        .prepareAndApply(root);
    assertEquals("f\n", Files.readString(root.resolve("p/cdir/f")));
    assertEquals("hello\n", Files.readString(root.resolve("p/a.txt")));
  }

  /** ADD of a URL: downloaded, mode 0600, checksum verified; a wrong checksum fails. */
  @Test
  void addUrl() throws Exception {
    Path served = Files.createDirectories(tmp.resolve("served"));
    Files.writeString(served.resolve("file.txt"), "downloaded\n");
    try (io.github.ostree4j.testing.StaticHttpServer http =
        io.github.ostree4j.testing.StaticHttpServer.serve(served)) {
      String url = http.url() + (http.url().endsWith("/") ? "" : "/") + "file.txt";
      String sha = io.github.ostree4j.oci.Digest.sha256("downloaded\n".getBytes()).toString();
      CopyStep.Spec spec = new CopyStep.Spec(true, List.of(url), List.of(), "/dl/", "/", null,
          null, false, Optional.of(sha), Optional.empty(), T2001);
      new CopyStep(spec, new SourceSelection(ctx, null, null, true), false, tmp.resolve("dl"))
          .prepareAndApply(root);
      Path f = root.resolve("dl/file.txt");
      assertEquals("downloaded\n", Files.readString(f));
      assertEquals(0600, st(f).permissions());
      assertEquals(T2001, st(f).mtimeMillis(), "no Last-Modified: the build's time");
      CopyStep.Spec wrong = new CopyStep.Spec(true, List.of(url), List.of(), "/dl2/", "/", null,
          null, false, Optional.of("sha256:" + "0".repeat(64)), Optional.empty(), 0L);
      StepFailedException e = assertThrows(StepFailedException.class, () -> new CopyStep(wrong,
          new SourceSelection(ctx, null, null, true), false, tmp.resolve("dl")).prepareAndApply(root));
      assertTrue(e.getMessage().startsWith("checksum mismatch for " + url), e.getMessage());
      assertFalse(Files.exists(root.resolve("dl2")));
    }
  }

  @Test
  void contentHashFollowsContentAndModes() throws Exception {
    SourceSelection sel = new SourceSelection(ctx, null, null, true);
    String h1 = sel.contentHash(sel.select("cdir"));
    assertEquals(h1, sel.contentHash(sel.select("cdir")));
    Files.setLastModifiedTime(ctx.resolve("cdir/f"), FileTime.fromMillis(0));
    assertEquals(h1, sel.contentHash(sel.select("cdir")), "times are not part of the hash");
    FileAttrs.chmod(ctx.resolve("cdir/f"), 0600);
    String h2 = sel.contentHash(sel.select("cdir"));
    assertFalse(h1.equals(h2));
    Files.writeString(ctx.resolve("cdir/f"), "changed\n");
    assertFalse(h2.equals(sel.contentHash(sel.select("cdir"))));
  }
}
