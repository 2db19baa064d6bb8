package io.github.ostree4j.cli;

import io.github.ostree4j.container.Encapsulator;
import io.github.ostree4j.container.InvalidContainerImageException;
import io.github.ostree4j.oci.Compression;
import io.github.ostree4j.oci.Descriptor;
import io.github.ostree4j.oci.Platform;
import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.ostree.OstreeRepo;
import io.github.ostree4j.transport.ImageDestination;
import io.github.ostree4j.transport.ImageReference;
import io.github.ostree4j.transport.ImageTransports;
import io.github.ostree4j.container.ContainerStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ostree4j container encapsulate --repo=R REV IMAGE}: a commit as a chunked OCI image. */
@Command(name = "encapsulate", description = "Write an ostree commit as a (chunked) container image.")
final class ContainerEncapsulateCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin RepoOption repo;
  @Mixin RegistryOptions registry;

  @Parameters(index = "0", paramLabel = "REV", description = "Commit or ref to export.")
  String rev;

  @Parameters(index = "1", paramLabel = "IMAGE", description = "Destination: oci:DIR[:TAG], oci-archive:FILE[:TAG], docker-archive:FILE or docker://HOST/REPO:TAG.")
  String image;

  @Option(names = "--max-layers", paramLabel = "N", defaultValue = "64",
      description = "Most component layers (default 64; 0 writes a single layer).")
  int maxLayers;

  @Option(names = "--compression", paramLabel = "FORMAT", defaultValue = "gzip",
      description = "Layer compression: gzip (default) or zstd.")
  String compression;

  @Option(names = "--compression-level", paramLabel = "N", description = "Compression level (gzip 1-9, zstd 1-22).")
  Integer level;

  @Option(names = "--compression-fast", description = "gzip level 1 (as ostree-ext).")
  boolean fast;

  @Option(names = "--prior-build", paramLabel = "IMAGE",
      description = "The previous release: components keep their layers from it.")
  String priorBuild;

  @Option(names = {"--label", "-l"}, paramLabel = "KEY=VALUE", description = "Add a label.")
  List<String> labels = new ArrayList<>();

  @Option(names = "--cmd", paramLabel = "ARG", split = ",", description = "Image command (default: commit metadata ostree.container-cmd).")
  List<String> cmd;

  @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]", description = "Image platform (default: this machine's).")
  String platform;

  @Option(names = "--digestfile", paramLabel = "FILE", description = "Write the manifest digest to FILE.")
  Path digestFile;

  @Override
  public Integer call() throws Exception {
    CommandLine cl = spec.commandLine();
    Compression c;
    try {
      c = Compression.parse(compression);
      if (c == Compression.NONE) {
        throw new IllegalArgumentException("--compression must be gzip or zstd");
      }
      if (maxLayers != 0 && maxLayers < 4) {
        throw new IllegalArgumentException("--max-layers must be 0 or at least 4");
      }
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cl, e.getMessage());
    }
    int lvl = level != null ? level : fast && c == Compression.GZIP ? 1 : Integer.MIN_VALUE;
    OstreeRepo r = repo.open();
    Checksum commit = r.resolveRev(rev);
    ImageReference dst = ImageAccess.parse(image);
    Encapsulator.Builder b = Encapsulator.builder(r, commit).maxLayers(maxLayers).compression(c, lvl);
    for (String l : labels) {
      int eq = l.indexOf('=');
      if (eq <= 0) {
        throw new CommandLine.ParameterException(cl, "invalid --label '" + l + "' (expected KEY=VALUE)");
      }
      b.label(l.substring(0, eq), l.substring(eq + 1));
    }
    if (cmd != null) {
      b.cmd(cmd);
    }
    if (platform != null) {
      b.platform(Platform.parse(platform));
    }
    if (priorBuild != null) {
      try {
        b.priorLayers(priorComponents(ContainerImages.parse(priorBuild)));
      } catch (java.io.IOException e) {
        throw ActionFailedException.during("reading --prior-build " + priorBuild, e);
      }
    }
    Encapsulator.Result result;
    try (ImageDestination d = ImageTransports.openDestination(dst, registry.options())) {
      result = b.build().encapsulate(d);
      d.commit();
    } catch (java.io.IOException e) {
      throw ActionFailedException.during("encapsulating " + commit.hex() + " as " + dst, e);
    }
    if (digestFile != null) {
      Files.write(digestFile, result.manifestDigest().toString().getBytes(StandardCharsets.UTF_8));
    }
    cl.getOut().println(result.manifestDigest());
    return 0;
  }

  /** The ostree.components annotations of the prior image's layers 1..N. */
  private List<String> priorComponents(ImageReference prior) throws Exception {
    ContainerStore.FetchedImage img = ContainerStore.fetchManifest(prior, registry.options());
    List<Descriptor> layers = img.manifest().layers();
    List<String> out = new ArrayList<>();
    for (int i = 1; i < layers.size(); i++) {
      Map<String, String> a = layers.get(i).annotations();
      String v = a.get(Encapsulator.ANNOTATION_COMPONENTS);
      if (v == null) {
        if (img.layers().derivedLayers().contains(layers.get(i))) {
          break;
        }
        throw new InvalidContainerImageException("--prior-build " + prior + ": layer " + i + " ("
            + layers.get(i).digest() + ") has no " + Encapsulator.ANNOTATION_COMPONENTS
            + " annotation");
      }
      out.add(v);
    }
    return out;
  }

}
