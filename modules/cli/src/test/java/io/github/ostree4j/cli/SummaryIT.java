package io.github.ostree4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.ostree4j.ostree.OstreeRepo;
import io.github.ostree4j.ostree.Summary;
import io.github.ostree4j.ostree.gvariant.Variant;
import io.github.ostree4j.testing.OstreeCli;
import io.github.ostree4j.testing.Peers;
import io.github.ostree4j.testing.TreeCorpus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ostree4j summary -u} writes the bytes {@code ostree summary -u} writes. */
class SummaryIT {

  @TempDir Path tmp;

  private static void copyTree(Path from, Path to) throws Exception {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path q = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          Files.createDirectories(q);
        } else {
          Files.copy(p, q, java.nio.file.LinkOption.NOFOLLOW_LINKS, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }

  private Path sampleRepo() {
    Path repo = tmp.resolve("repo");
    OstreeCli.init(repo, "archive");
    Cli.run("commit", "--repo=" + repo, "-b", "main", "--add-metadata-string=version=1.0",
        TreeCorpus.write(tmp.resolve("t1"), "names").toString()).ok();
    Cli.run("commit", "--repo=" + repo, "-b", "main", TreeCorpus.write(tmp.resolve("t2"), "empty").toString()).ok();
    Cli.run("commit", "--repo=" + repo, "-b", "os/x86_64/stable", "--add-metadata-string=version=42",
        TreeCorpus.write(tmp.resolve("t3"), "long-paths").toString()).ok();
    Cli.run("refs", "--repo=" + repo, "--alias", "--create=alias", "main");
    return repo;
  }

  @Test
  void sameBytesAsOstree() throws Exception {
    Peers.require("ostree");
    Path repo = sampleRepo();
    OstreeCli.run("static-delta", "generate", "--repo=" + repo, "--empty", "--to=main");
    Path theirs = tmp.resolve("theirs");
    Path ours = tmp.resolve("ours");
    copyTree(repo, theirs);
    copyTree(repo, ours);
    String[] md = {"--add-metadata=foo='bar'", "--add-metadata=n=uint32 5", "--add-metadata=flag=true"};
    OstreeCli.run(List.of("summary", "-u", "--repo=" + theirs, md[0], md[1], md[2]));
    Cli.run("summary", "-u", "--repo=" + ours, md[0], md[1], md[2]).ok();

    Summary t = Summary.parse(Files.readAllBytes(theirs.resolve("summary")));
    Summary o = Summary.parse(Files.readAllBytes(ours.resolve("summary")));
    // Pin the time: regenerate ours with ostree's last-modified; then the bytes must be equal.
    Map<String, Variant> extra = new LinkedHashMap<>();
    extra.put("foo", Variant.string("bar"));
    extra.put("n", Variant.uint32(5));
    extra.put("flag", Variant.bool(true));
    byte[] pinned = Summary.generate(OstreeRepo.open(ours), extra, t.lastModified().orElseThrow()).bytes();
    assertEquals(HexFormat.of().formatHex(Files.readAllBytes(theirs.resolve("summary"))), HexFormat.of().formatHex(pinned));
    assertEquals(List.copyOf(t.metadata().keySet()), List.copyOf(o.metadata().keySet()));
    assertEquals(Files.readString(theirs.resolve("config")), Files.readString(ours.resolve("config")));
    try (Stream<Path> a = Files.walk(theirs.resolve("delta-indexes")); Stream<Path> b = Files.walk(ours.resolve("delta-indexes"))) {
      List<String> la = a.filter(Files::isRegularFile).map(p -> theirs.relativize(p).toString()).sorted().toList();
      List<String> lb = b.filter(Files::isRegularFile).map(p -> ours.relativize(p).toString()).sorted().toList();
      assertEquals(la, lb);
      for (String f : la) {
        assertEquals(HexFormat.of().formatHex(Files.readAllBytes(theirs.resolve(f))),
            HexFormat.of().formatHex(Files.readAllBytes(ours.resolve(f))), f);
      }
    }
  }

  @Test
  void ostreeReadsOurSummaryAndViewsMatch() throws Exception {
    Peers.require("ostree");
    Path repo = sampleRepo();
    Cli.run("summary", "-u", "--repo=" + repo, "-m", "note='hello'").ok();
    String theirView = OstreeCli.run("summary", "--view", "--repo=" + repo).stdout();
    assertEquals(theirView, Cli.run("summary", "--view", "--repo=" + repo).ok().stdout());
    String theirRaw = OstreeCli.run("summary", "--view", "--raw", "--repo=" + repo).stdout();
    assertEquals(theirRaw, Cli.run("summary", "--view", "--raw", "--repo=" + repo).ok().stdout());
    // and the other way round: our view of a summary written by ostree
    OstreeCli.run("summary", "-u", "--repo=" + repo);
    assertEquals(OstreeCli.run("summary", "--view", "--repo=" + repo).stdout(),
        Cli.run("summary", "--view", "--repo=" + repo).ok().stdout());
  }
}
