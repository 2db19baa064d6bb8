package io.github.ostree4j.build.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ostree4j.build.BuildException;
import io.github.ostree4j.build.BuildOptions;
import io.github.ostree4j.build.BuildResult;
import io.github.ostree4j.build.ImageBuilder;
import io.github.ostree4j.container.Encapsulator;
import io.github.ostree4j.oci.Compression;
import io.github.ostree4j.oci.Descriptor;
import io.github.ostree4j.oci.ImageManifest;
import io.github.ostree4j.oci.MediaTypes;
import io.github.ostree4j.oci.OciLayout;
import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.ostree.CommitOptions;
import io.github.ostree4j.ostree.Committer;
import io.github.ostree4j.ostree.OstreeRepo;
import io.github.ostree4j.ostree.RepoMode;
import io.github.ostree4j.testing.TreeComparator;
import io.github.ostree4j.testing.WorkDirs;
import io.github.ostree4j.transport.ImageDestination;
import io.github.ostree4j.transport.ImageReference;
import io.github.ostree4j.transport.ImageTransports;
import io.github.ostree4j.transport.TransportOptions;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine end to end with real runc: the layer cache, reproducible digests, heredocs (checked
 * against BuildKit's documented behaviour, since buildah 1.28 has none), RUN mounts, squash,
 * zstd, the ostree shim, and that a failed build writes nothing.
 */
class EngineIT {

  @BeforeEach
  void peers() {
    BuildPeers.require();
  }

  private record Built(BuildResult result, String output, Path layout) {
    ImageManifest manifest() throws Exception {
      OciLayout l = OciLayout.open(layout);
      return l.readManifest(l.findManifest("img"));
    }

    List<String> layerDigests() throws Exception {
      return manifest().layers().stream().map(d -> d.digest().toString()).collect(Collectors.toList());
    }
  }

  private static Path context(String containerfile) throws Exception {
    Path ctx = WorkDirs.newDir("ctx");
    Files.writeString(ctx.resolve("Containerfile"), containerfile);
    return ctx;
  }

  private static Built build(Path ctx, Path storage, Consumer<BuildOptions.Builder> more)
      throws Exception {
    Path out = WorkDirs.newDir("out").resolve("layout");
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    BuildOptions.Builder b = BuildOptions.builder(ctx)
        .destination(ImageReference.parse("oci:" + out + ":img"))
        .storageRoot(storage).output(log).buildArg("BASE", BuildPeers.busyboxImage());
    more.accept(b);
    try {
      BuildResult r = ImageBuilder.of(b.build()).build();
      return new Built(r, log.toString(StandardCharsets.UTF_8), out);
    } catch (Exception e) {
      throw new AssertionError(e.getMessage() + "\n--- output ---\n"
          + log.toString(StandardCharsets.UTF_8), e);
    }
  }

  private static Path rootfs(Built b) {
    return BuildPeers.unpack(b.layout(), WorkDirs.newDir("unpack").resolve("bundle"));
  }

  /** With --layers, a second build runs nothing and reuses every layer. */
  @Test
  void cacheHitRunsNothing() throws Exception {
    Path ctx = context("ARG BASE\nFROM ${BASE}\nCOPY a.txt /a.txt\n"
        + "RUN echo EXEC$((40+2)) && cp /a.txt /b.txt\nENV X=1\nCOPY c.txt /c.txt\n"
        + "RUN echo SECOND-RUN > /second\n");
    Files.writeString(ctx.resolve("a.txt"), "a\n");
    Files.writeString(ctx.resolve("c.txt"), "c\n");
    Path storage = WorkDirs.newDir("storage");
    Built first = build(ctx, storage, b -> b.layers(true));
    assertTrue(first.output().contains("EXEC42"), first.output());
    Built second = build(ctx, storage, b -> b.layers(true));
    assertFalse(second.output().contains("EXEC42"), second.output());
    assertEquals(4, count(second.output(), "--> Using cache "), second.output());
    assertEquals(first.layerDigests(), second.layerDigests());
    // a changed source invalidates its step and the ones after it, not the ones before
    Files.writeString(ctx.resolve("c.txt"), "changed\n");
    Built third = build(ctx, storage, b -> b.layers(true));
    assertEquals(2, count(third.output(), "--> Using cache "), third.output());
    assertFalse(third.output().contains("EXEC42"), third.output());
    assertEquals(first.layerDigests().subList(0, 3), third.layerDigests().subList(0, 3));
    assertNotEquals(first.layerDigests().get(3), third.layerDigests().get(3));
    assertEquals("changed\n", Files.readString(rootfs(third).resolve("c.txt")));
    // --no-cache runs everything again
    Built fourth = build(ctx, storage, b -> b.layers(true).noCache(true));
    assertTrue(fourth.output().contains("EXEC42"), fourth.output());
    assertEquals(0, count(fourth.output(), "Using cache"));
    // a build argument in effect is part of the key
    Path argCtx = context("ARG BASE\nFROM ${BASE}\nARG V=1\nRUN echo ARG-RUN-$V && echo $V > /v\n");
    Path s2 = WorkDirs.newDir("storage");
    build(argCtx, s2, b -> b.layers(true));
    Built v2 = build(argCtx, s2, b -> b.layers(true).buildArg("V", "2"));
    assertTrue(v2.output().contains("ARG-RUN-2"), v2.output());
    Built v1 = build(argCtx, s2, b -> b.layers(true));
    assertFalse(v1.output().contains("ARG-RUN-1"), v1.output());
  }

  private static int count(String s, String needle) {
    int n = 0;
    for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }

  /** --timestamp and SOURCE_DATE_EPOCH: two cold builds give the same manifest digest. */
  @Test
  void reproducibleDigests() throws Exception {
    Path ctx = context("ARG BASE\nFROM ${BASE}\nCOPY a.txt /a.txt\nRUN date > /now && mkdir -p /d/e\n"
        + "LABEL x=y\nWORKDIR /new/dir\n");
    Files.writeString(ctx.resolve("a.txt"), "a\n");
    Built a = build(ctx, WorkDirs.newDir("storage"), b -> b.timestamp(1_600_000_000L));
    Thread.sleep(1100);
    Built b2 = build(ctx, WorkDirs.newDir("storage"), b -> b.environment(
        Map.of("SOURCE_DATE_EPOCH", "1600000000")));
    // RUN date writes the current time: the layers differ unless the file is left out
    Path ctx2 = context("ARG BASE\nFROM ${BASE}\nCOPY a.txt /a.txt\nRUN mkdir -p /d/e && echo x > /d/e/f\n"
        + "LABEL x=y\nWORKDIR /new/dir\n");
    Files.writeString(ctx2.resolve("a.txt"), "a\n");
    Built c = build(ctx2, WorkDirs.newDir("storage"), b -> b.timestamp(1_600_000_000L));
    Thread.sleep(1100);
    Built d = build(ctx2, WorkDirs.newDir("storage"), b -> b.timestamp(1_600_000_000L)
        .compression(Compression.GZIP));
    assertEquals(c.result().manifestDigest(), d.result().manifestDigest());
    assertEquals(c.result().configDigest(), d.result().configDigest());
    assertEquals("2020-09-13T12:26:40Z", OciLayout.open(c.layout()).readConfig(c.manifest().config())
        .created().orElseThrow());
    // SOURCE_DATE_EPOCH gives the same config times as --timestamp
    assertEquals(OciLayout.open(a.layout()).readConfig(a.manifest().config()).created(),
        OciLayout.open(b2.layout()).readConfig(b2.manifest().config()).created());
    // file times in new layers are clamped, base files keep theirs
    Path root = rootfs(c);
    assertTrue(Files.getLastModifiedTime(root.resolve("a.txt"), LinkOption.NOFOLLOW_LINKS)
        .toMillis() <= 1_600_000_000_000L);
    assertTrue(Files.getLastModifiedTime(root.resolve("d/e/f"), LinkOption.NOFOLLOW_LINKS)
        .toMillis() <= 1_600_000_000_000L);
  }

  /**
   * Heredocs as the Dockerfile reference documents them: a RUN that is one heredoc runs it
   * through the shell, one starting with {@code #!} runs as a script, several heredocs are fed
   * to the shell with the command line; COPY heredocs are files, expanded unless the delimiter
   * is quoted, {@code <<-} strips leading tabs.
   */
  @Test
  void heredocsAsBuildKitDocumentsThem() throws Exception {
    String cf = "# syntax=docker/dockerfile:1\nARG BASE\nFROM ${BASE}\nARG FOO=bar\n"
        + "RUN <<EOF\necho one > /h1\necho two >> /h1\nEOF\n"
        + "RUN <<EOF\n#!/bin/sh -e\necho \"script $0\" > /h2\nEOF\n"
        + "RUN <<FILE1 cat > /file1 && <<FILE2 cat > /file2\nI am\nfirst\nFILE1\nI am\nsecond\nFILE2\n"
        + "COPY <<-EOT /script.sh\n\techo \"hello ${FOO}\"\nEOT\n"
        + "COPY <<\"EOT\" /literal.sh\necho \"hello ${FOO}\"\nEOT\n"
        + "COPY <<A <<B /multi/\nfirst file\nA\nsecond file\nB\n";
    Built b = build(context(cf), BuildPeers.storageRoot(), x -> { });
    Path root = rootfs(b);
    assertEquals("one\ntwo\n", Files.readString(root.resolve("h1")));
    assertTrue(Files.readString(root.resolve("h2")).startsWith("script /dev/pipes/"),
        Files.readString(root.resolve("h2")));
    assertEquals("I am\nfirst\n", Files.readString(root.resolve("file1")));
    assertEquals("I am\nsecond\n", Files.readString(root.resolve("file2")));
    assertEquals("echo \"hello bar\"\n", Files.readString(root.resolve("script.sh")));
    assertEquals("echo \"hello ${FOO}\"\n", Files.readString(root.resolve("literal.sh")));
    assertEquals("first file\n", Files.readString(root.resolve("multi/A")));
    assertEquals("second file\n", Files.readString(root.resolve("multi/B")));
    assertEquals(0644, FileAttrs.lstat(root.resolve("script.sh")).permissions());
    assertFalse(Files.exists(root.resolve("dev/pipes")), "the script mount leaves nothing");
  }

  /** RUN --mount: secrets, caches kept between builds, tmpfs, binds, --network=none. */
  @Test
  void runMounts() throws Exception {
    Path ctx = context("ARG BASE\nFROM ${BASE} AS first\nRUN echo from-stage > /stage.txt\n"
        + "FROM ${BASE}\n"
        + "RUN --mount=type=secret,id=token cat /run/secrets/token > /seen-secret\n"
        + "RUN --mount=type=secret,id=token,env=TOKEN echo \"$TOKEN\" > /seen-env\n"
        + "RUN --mount=type=cache,target=/var/cache/x sh -c 'ls /var/cache/x > /cache-before;"
        + " date >> /var/cache/x/stamp'\n"
        + "RUN --mount=type=tmpfs,target=/scratch sh -c 'echo t > /scratch/t && cat /scratch/t > /tmpfs-ok'\n"
        + "RUN --mount=type=bind,source=data,target=/mnt cat /mnt/d.txt > /bound && "
        + "(touch /mnt/x 2>/dev/null && echo writable > /bind-mode || echo read-only > /bind-mode)\n"
        + "RUN --mount=type=bind,from=first,source=/stage.txt,target=/st.txt cp /st.txt /from-stage\n"
        + "RUN --network=none ls /sys/class/net > /net\n");
    Files.createDirectories(ctx.resolve("data"));
    Files.writeString(ctx.resolve("data/d.txt"), "bound data\n");
    Path secret = Files.writeString(WorkDirs.newDir("secret").resolve("tok"), "s3cr3t");
    Path storage = WorkDirs.newDir("storage");
    Built b = build(ctx, storage, x -> x.secret("token", secret));
    Path root = rootfs(b);
    assertEquals("s3cr3t", Files.readString(root.resolve("seen-secret")));
    assertEquals("s3cr3t\n", Files.readString(root.resolve("seen-env")));
    assertFalse(Files.exists(root.resolve("run/secrets")), "no trace of the secret mount");
    assertEquals("", Files.readString(root.resolve("cache-before")));
    assertFalse(Files.exists(root.resolve("var/cache/x/stamp")), "cache contents stay out of layers");
    assertEquals("t\n", Files.readString(root.resolve("tmpfs-ok")));
    assertFalse(Files.exists(root.resolve("scratch/t")));
    assertEquals("bound data\n", Files.readString(root.resolve("bound")));
    assertEquals("read-only\n", Files.readString(root.resolve("bind-mode")));
    assertEquals("from-stage\n", Files.readString(root.resolve("from-stage")));
    assertEquals("lo\n", Files.readString(root.resolve("net")));
    Built again = build(ctx, storage, x -> x.secret("token", secret));
    assertEquals("stamp\n", Files.readString(rootfs(again).resolve("cache-before")),
        "the cache mount kept the first build's file");
    // a required secret that was not given fails the step
    Path req = context("ARG BASE\nFROM ${BASE}\nRUN --mount=type=secret,id=missing,required true\n");
    AssertionError e = assertThrows(AssertionError.class, () -> build(req, storage, x -> { }));
    assertTrue(e.getMessage().contains("Containerfile:3: RUN: secret 'missing' is required"),
        e.getMessage());
  }

  /** --squash: one new layer, the same tree as without. */
  @Test
  void squashGivesOneNewLayer() throws Exception {
    Path ctx = context("ARG BASE\nFROM ${BASE}\nCOPY a.txt /a\nRUN rm /data/old && echo x > /x\n"
        + "COPY a.txt /b\nENV E=1\n");
    Files.writeString(ctx.resolve("a.txt"), "a\n");
    Built plain = build(ctx, BuildPeers.storageRoot(), x -> { });
    Built squashed = build(ctx, BuildPeers.storageRoot(), x -> x.squash(true));
    assertEquals(plain.manifest().layers().size() - 2, squashed.manifest().layers().size());
    long nonEmpty = OciLayout.open(squashed.layout()).readConfig(squashed.manifest().config())
        .history().stream().filter(h -> !h.path("empty_layer").asBoolean(false)).count();
    assertEquals(squashed.manifest().layers().size(), nonEmpty);
    TreeComparator.assertEqualTrees(rootfs(plain), rootfs(squashed),
        TreeComparator.Options.defaults().ignoreRootMetadata());
  }

  /** zstd layers: new layers only; base layers keep their bytes. */
  @Test
  void zstdCompression() throws Exception {
    Path ctx = context("ARG BASE\nFROM ${BASE}\nRUN echo z > /z\n");
    Built b = build(ctx, BuildPeers.storageRoot(), x -> x.compression(Compression.ZSTD));
    List<Descriptor> layers = b.manifest().layers();
    assertEquals(MediaTypes.OCI_LAYER_GZIP, layers.get(0).mediaType());
    Descriptor last = layers.get(layers.size() - 1);
    assertEquals(MediaTypes.OCI_LAYER_ZSTD, last.mediaType());
    try (InputStream in = Compression.ZSTD.decompress(OciLayout.open(b.layout()).openBlob(last.digest()))) {
      assertTrue(in.readAllBytes().length >= 1024);
    }
  }

  /** A failing RUN: the error names the line, exit code and output; the old tag stays. */
  @Test
  void failedBuildWritesNothing() throws Exception {
    Path ok = context("ARG BASE\nFROM ${BASE}\nRUN echo good > /good\n");
    Built good = build(ok, BuildPeers.storageRoot(), x -> { });
    Path bad = context("ARG BASE\nFROM ${BASE}\nRUN echo partial > /partial\n"
        + "RUN echo 'about to fail' && exit 3\n");
    BuildException e = assertThrows(BuildException.class, () -> ImageBuilder.of(
        BuildOptions.builder(bad).destination(ImageReference.parse("oci:" + good.layout() + ":img"))
            .storageRoot(BuildPeers.storageRoot()).buildArg("BASE", BuildPeers.busyboxImage())
            .build()).build());
    assertEquals("Containerfile:4: RUN failed with exit code 3: echo 'about to fail' && exit 3",
        e.summary());
    assertTrue(e.outputTail().contains("about to fail"), e.outputTail());
    assertEquals(good.result().manifestDigest(), good.manifest().digest(), "the tag did not move");
  }

  /**
   * An ostree container image without an ostree binary: {@code ostree container commit} works
   * through the shim (and cleans /tmp and /var/tmp), other ostree commands fail clearly.
   */
  @Test
  void ostreeShimCommits() throws Exception {
    Path tree = WorkDirs.newDir("ostree-tree").resolve("t");
    BusyboxRootfs.create(tree.resolve("usr"));
    Files.move(tree.resolve("usr/etc"), tree.resolve("usr/etc-tmp"));
    Files.createDirectories(tree.resolve("usr/etc"));
    Files.move(tree.resolve("usr/etc-tmp/passwd"), tree.resolve("usr/etc/passwd"));
    Files.move(tree.resolve("usr/etc-tmp/group"), tree.resolve("usr/etc/group"));
    Files.createSymbolicLink(tree.resolve("bin"), Path.of("usr/bin"));
    Files.createDirectories(tree.resolve("tmp"));
    Path repoDir = WorkDirs.newDir("ostree-repo");
    OstreeRepo repo = OstreeRepo.init(repoDir, RepoMode.BARE_USER);
    Checksum commit = new Committer(repo).commitDirectory(tree, CommitOptions.builder()
        .branch("os").timestamp(0L).build());
    Path image = WorkDirs.newDir("ostree-image").resolve("layout");
    ImageReference ref = ImageReference.parse("oci:" + image + ":os");
    try (ImageDestination d = ImageTransports.openDestination(ref, TransportOptions.defaults())) {
      Encapsulator.builder(repo, commit).maxLayers(0).build().encapsulate(d);
      d.commit();
    }
    Path ctx = context("FROM " + ref + "\n"
        + "RUN echo junk > /var/tmp/junk && echo keep > /usr/keep && ostree container commit\n"
        + "RUN ostree status 2> /usr/status-error || true\n");
    Built b = build(ctx, BuildPeers.storageRoot(), x -> { });
    Path root = rootfs(b);
    assertEquals("keep\n", Files.readString(root.resolve("usr/keep")));
    assertFalse(Files.exists(root.resolve("var/tmp/junk")), "container commit emptied /var/tmp");
    assertTrue(Files.readString(root.resolve("usr/status-error")).contains("only 'ostree container commit'"));
    assertFalse(Files.exists(root.resolve("usr/bin/ostree")), "the shim is not part of the image");
    try (Stream<Path> s = Files.list(root.resolve("run"))) {
      assertEquals(0, s.count(), "nothing of the shim's marker directory is left");
    } catch (java.nio.file.NoSuchFileException e) {
      // no /run at all is fine too
    }
    // labels of the base (ostree.*) are kept
    assertTrue(OciLayout.open(b.layout()).readConfig(b.manifest().config()).labels()
        .containsKey(Encapsulator.LABEL_COMMIT));
  }
}
