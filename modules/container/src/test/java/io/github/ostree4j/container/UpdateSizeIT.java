package io.github.ostree4j.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ostree4j.container.internal.DpkgComponents.Grouping;
import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.ostree.CommitOptions;
import io.github.ostree4j.ostree.Committer;
import io.github.ostree4j.ostree.ContentObject;
import io.github.ostree4j.ostree.OstreeRepo;
import io.github.ostree4j.testing.Cmd;
import io.github.ostree4j.testing.DebianRootfs;
import io.github.ostree4j.testing.Peers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Update size on the Debian minbase tree: v1 is the tree as built, v2 the same tree after a few
 * package upgrades or installations (made as dpkg would leave the tree, then checked with the real
 * {@code dpkg-query}). For each v2 the test counts the component layers whose content (objects
 * and their paths, as in the layer tar) is not among v1's layers, and their bytes, for our packing
 * and for the model of upstream's packing, each with the prior build (the normal case) and as a
 * fresh plan, and for components per binary package and per source package. The numbers are
 * written to {@code target/update-size.md} (they are the ones quoted in docs/chunking.md).
 */
class UpdateSizeIT {

  private static final StringBuilder REPORT = new StringBuilder();
  private static final Map<Checksum, Long> COMPRESSED = new HashMap<>();

  @BeforeAll
  static void header() {
    REPORT.append("| scenario | components | packing | plan | layers changed | bytes | gzip bytes | layer 0 content bytes |\n")
        .append("|---|---|---|---|---:|---:|---:|---:|\n");
  }

  @AfterAll
  static void write() throws IOException {
    String basedir = System.getProperty("basedir", ".");
    Path out = Path.of(basedir, "target", "update-size.md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, REPORT.toString());
    System.out.println(REPORT);
  }

  @Test
  void smallLibraryUpgrades() throws IOException {
    run("zlib and libzstd upgrades", s -> {
      s.upgrade("zlib1g");
      s.upgrade("libzstd1");
    }, 2);
  }

  /**
   * Every source package upgraded alone (all its binary packages rebuilt, as Debian updates
   * them): the mean, over the source packages, of the bytes of the v1 layers that hold any of
   * its files. With a prior build these layers are exactly the ones that change.
   */
  @Test
  void everySourceUpgradedAlone() throws IOException {
    Path admin = DebianRootfs.minbase().resolve("var/lib/dpkg");
    Map<String, String> sourceOf = new HashMap<>();
    for (String line : Cmd.of("dpkg-query", "--admindir=" + admin, "-W", "-f=${Package} ${source:Package}\\n")
        .run().checkSuccess().stdoutLines()) {
      String[] f = line.split(" ");
      sourceOf.put(f[0], f[1]);
    }
    OstreeRepo repo = MinbaseCommits.repo();
    Map<Checksum, ChunkObject> o1 = MinbaseCommits.objects();
    Set<String> sources = new java.util.TreeSet<>(sourceOf.values());
    double[] best = new double[3];
    double[] up = new double[3];
    for (Grouping grouping : Grouping.values()) {
      List<Component> k1 = ComponentFinder.find(repo, MinbaseCommits.commit(), o1, grouping);
      for (boolean ours : new boolean[] {true, false}) {
        LayerPlan plan = ours ? Chunker.plan(k1, o1, Chunker.DEFAULT_MAX_LAYERS) : upstream(k1, o1);
        double bytes = 0;
        double gzip = 0;
        for (String src : sources) {
          for (PlannedLayer l : plan.layers()) {
            boolean hit = l.components().stream().anyMatch(c -> c.equals(src) || src.equals(sourceOf.get(c)));
            if (hit) {
              for (Checksum o : l.objects()) {
                bytes += o1.get(o).size();
                gzip += compressed(repo, o1.get(o));
              }
            }
          }
        }
        bytes /= sources.size();
        gzip /= sources.size();
        (ours ? best : up)[grouping.ordinal()] = gzip;
        REPORT.append("| each of the ").append(sources.size()).append(" source packages upgraded alone (mean) | ")
            .append(label(grouping)).append(" | ")
            .append(ours ? "ours" : "upstream model").append(" | with prior | | ").append(Math.round(bytes))
            .append(" | ").append(Math.round(gzip)).append(" | |\n");
      }
      assertTrue(best[grouping.ordinal()] < up[grouping.ordinal()], grouping + ": " + best[grouping.ordinal()]
          + " vs " + up[grouping.ordinal()]);
    }
  }

  @Test
  void glibcUpgrade() throws IOException {
    run("glibc upgrade (libc6, libc-bin)", s -> {
      s.upgrade("libc6");
      s.upgrade("libc-bin");
    }, 2);
  }

  @Test
  void newBinaryPackageOfAnInstalledSource() throws IOException {
    run("new package of source glibc (0.5 MB)", s -> s.install("glibc-extra", "glibc", 100_000, 400_000), 1);
  }

  @Test
  void tzdataUpgrade() throws IOException {
    run("tzdata upgrade", s -> s.upgrade("tzdata"), 1);
  }

  @Test
  void newPackage() throws IOException {
    run("new package (2.3 MB)", s -> s.install("demo-tool", 300_000, 2_000_000), 1);
  }

  @Test
  void upgradesAndNewPackage() throws IOException {
    run("all three", s -> {
      s.upgrade("libc6");
      s.upgrade("libc-bin");
      s.upgrade("tzdata");
      s.install("demo-tool", 300_000, 2_000_000);
    }, 4);
  }

  private interface Change {
    void apply(UpdateScenario s) throws IOException;
  }

  private void run(String scenario, Change change, int changedPackages) throws IOException {
    Peers.require("dpkg-query");
    Path rootfs = DebianRootfs.minbase();
    OstreeRepo repo = MinbaseCommits.repo();
    Checksum c1 = MinbaseCommits.commit();
    Map<Checksum, ChunkObject> o1 = MinbaseCommits.objects();
    Path dir = MinbaseCommits.newDir("v2");
    UpdateScenario s = UpdateScenario.copyOf(rootfs, dir.resolve("rootfs"));
    change.apply(s);
    // The edited database must still be one dpkg reads.
    List<String> pkgs = Cmd.of("dpkg-query", "--admindir=" + s.root().resolve("var/lib/dpkg"), "-W",
        "-f=${Package} ${Version}\\n").run().checkSuccess().stdoutLines();
    for (String c : s.changes()) {
      String pkg = c.split(" ")[1];
      assertTrue(pkgs.stream().anyMatch(l -> l.startsWith(pkg + " ")
          && (c.startsWith("install") ? l.endsWith(" 1.0-1") : l.endsWith("+b1"))), pkg + " in " + pkgs);
    }
    Checksum c2 = new Committer(repo).commitDirectory(s.root(),
        CommitOptions.builder().branch("v2").subject("v2").timestamp(0).build());
    Map<Checksum, ChunkObject> o2 = ChunkObjects.of(repo, c2);
    MinbaseCommits.deleteQuietly(dir);

    long newBytes = 0;
    long newCompressed = 0;
    for (ChunkObject o : o2.values()) {
      if (!o1.containsKey(o.checksum())) {
        newBytes += o.size();
        newCompressed += compressed(repo, o);
      }
    }
    REPORT.append("| ").append(scenario).append(" | | *changed files* | | | ").append(newBytes).append(" | ")
        .append(newCompressed).append(" | |\n");

    for (Grouping grouping : Grouping.values()) {
      List<Component> k1 = ComponentFinder.find(repo, c1, o1, grouping);
      List<Component> k2 = ComponentFinder.find(repo, c2, o2, grouping);
      LayerPlan ours1 = Chunker.plan(k1, o1, Chunker.DEFAULT_MAX_LAYERS);
      LayerPlan upstream1 = upstream(k1, o1);
      Measure oursPrior = measure(repo, ours1, o1, Chunker.plan(k2, o2, 64, ours1.annotations()), o2);
      Measure oursFresh = measure(repo, ours1, o1, Chunker.plan(k2, o2, 64), o2);
      Measure upPrior = measure(repo, upstream1, o1, Chunker.plan(k2, o2, 64, upstream1.annotations()), o2);
      Measure upFresh = measure(repo, upstream1, o1, upstream(k2, o2), o2);
      String g = label(grouping);
      row(scenario, g, "ours", "with prior", oursPrior);
      row(scenario, g, "ours", "fresh", oursFresh);
      row(scenario, g, "upstream model", "with prior", upPrior);
      row(scenario, g, "upstream model", "fresh", upFresh);

      assertTrue(oursPrior.bytes <= upPrior.bytes,
          scenario + ", " + g + ": ours " + oursPrior.bytes + " > upstream " + upPrior.bytes);
      assertTrue(oursPrior.layers <= changedPackages + 1, scenario + ": " + oursPrior.layers + " layers changed");
      assertTrue(oursPrior.bytes <= oursFresh.bytes, scenario + ": the prior build must not cost more");
    }
  }

  private static String label(Grouping g) {
    switch (g) {
      case PACKAGE:
        return "per package";
      case SOURCE:
        return "per source";
      default:
        return "per package, packed by source";
    }
  }

  /** The upstream model's packing of the same components, as a plan. */
  private static LayerPlan upstream(List<Component> components, Map<Checksum, ChunkObject> objects) {
    List<UpstreamPackingModel.Sized> sized = new ArrayList<>();
    for (Component c : components) {
      sized.add(new UpstreamPackingModel.Sized(c.name(), c.size(), 1));
    }
    // upstream packs components one by one; it has no notion of groups
    List<String> annotations = new ArrayList<>();
    for (List<String> bin : PackingCost.binsOf(UpstreamPackingModel.pack(sized, 64))) {
      annotations.add(String.join(",", bin.stream().sorted().toList()));
    }
    LayerPlan plan = Chunker.plan(components, objects, 64, annotations);
    List<String> nonEmpty = new ArrayList<>(annotations.subList(0, annotations.size() - 1));
    nonEmpty.removeIf(String::isEmpty);
    nonEmpty.add(annotations.get(annotations.size() - 1));
    assertEquals(nonEmpty, plan.annotations(), "the model's bins are kept as they are");
    return plan;
  }

  private record Measure(int layers, long bytes, long compressed, long layer0, long layer0Compressed,
      List<String> names) {}

  private static Measure measure(OstreeRepo repo, LayerPlan before, Map<Checksum, ChunkObject> o1,
      LayerPlan after, Map<Checksum, ChunkObject> o2) throws IOException {
    Set<List<String>> old = new HashSet<>();
    for (PlannedLayer l : before.layers()) {
      old.add(content(l.objects(), o1));
    }
    int layers = 0;
    List<String> names = new ArrayList<>();
    long bytes = 0;
    long compressed = 0;
    for (PlannedLayer l : after.layers()) {
      if (!old.contains(content(l.objects(), o2))) {
        layers++;
        names.add(l.name());
        for (Checksum o : l.objects()) {
          bytes += o2.get(o).size();
          compressed += compressed(repo, o2.get(o));
        }
      }
    }
    long layer0 = 0;
    long layer0Compressed = 0;
    for (Checksum o : after.remainder()) {
      layer0 += o2.get(o).size();
      layer0Compressed += compressed(repo, o2.get(o));
    }
    return new Measure(layers, bytes, compressed, layer0, layer0Compressed, names);
  }

  /** What a layer tar holds: each object (sorted) followed by its paths. */
  private static List<String> content(Set<Checksum> objects, Map<Checksum, ChunkObject> all) {
    List<String> out = new ArrayList<>();
    for (Checksum o : objects) {
      out.add(o.hex());
      out.addAll(all.get(o).paths());
    }
    return out;
  }

  private static void row(String scenario, String grouping, String packing, String plan, Measure m) {
    REPORT.append("| ").append(scenario).append(" | ").append(grouping).append(" | ").append(packing)
        .append(" | ").append(plan).append(" | ").append(m.layers).append(" | ").append(m.bytes)
        .append(" | ").append(m.compressed).append(" | ").append(m.layer0).append(" (gzip ")
        .append(m.layer0Compressed).append(") |\n");
    System.out.println(scenario + " / " + grouping + " / " + packing + " / " + plan + ": " + m.names);
  }

  /** The gzip (level 6) size of an object's content. */
  private static long compressed(OstreeRepo repo, ChunkObject o) throws IOException {
    Long cached = COMPRESSED.get(o.checksum());
    if (cached != null) {
      return cached;
    }
    long n;
    if (o.size() == 0) {
      n = 0;
    } else {
      CountingSink sink = new CountingSink();
      try (ContentObject c = repo.openContent(o.checksum());
          InputStream in = c.payload();
          DeflaterOutputStream out = new DeflaterOutputStream(sink, new Deflater(6, true), 65536)) {
        in.transferTo(out);
      }
      n = sink.count;
    }
    COMPRESSED.put(o.checksum(), n);
    return n;
  }

  private static final class CountingSink extends OutputStream {
    long count;

    @Override
    public void write(int b) {
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      count += len;
    }
  }
}
