package io.github.ostree4j.cli;

import io.github.ostree4j.container.ContainerStore;
import io.github.ostree4j.oci.Descriptor;
import io.github.ostree4j.ostree.OstreeRepo;
import io.github.ostree4j.transport.ImageReference;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ostree4j container image …}: the container image store of a repository. */
@Command(name = "image", description = "Pull, list, remove and prune images stored in a repository.",
    subcommands = {
      ContainerImageCommand.Pull.class,
      ContainerImageCommand.ListImages.class,
      ContainerImageCommand.Remove.class,
      ContainerImageCommand.Prune.class,
      ContainerImageCommand.History.class
    })
final class ContainerImageCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(),
        "missing subcommand; see 'ostree4j container image --help'");
  }

  /** {@code pull}: layered import with a merge commit. */
  @Command(name = "pull", description = "Pull an image into the repository (layered import).")
  static final class Pull implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin RepoOption repo;
    @Mixin RegistryOptions registry;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "e.g. ostree-unverified-registry:quay.io/x:tag, ostree-image-signed:docker://HOST/REPO:TAG, ostree-remote-image:REMOTE:docker://HOST/REPO:TAG, docker://HOST/REPO:TAG (checked against the policy), oci:DIR:TAG")
    String image;

    @Option(names = "--check", paramLabel = "FILE",
        description = "Only fetch the manifest; write 'update available' or 'up to date' and the digest to FILE (- for stdout).")
    String check;

    @Option(names = {"-q", "--quiet"}, description = "Print only the merge commit.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
      OstreeRepo r = repo.open();
      ContainerImages.Target target = ContainerImages.target(image);
      ImageReference ref = target.image();
      PrintWriter out = spec.commandLine().getOut();
      ContainerStore store = new ContainerStore(r);
      if (check != null) {
        ContainerStore.FetchedImage img;
        try {
          img = ContainerStore.fetchManifest(ref, registry.nodeOptions());
        } catch (java.io.IOException e) {
          throw ActionFailedException.during("checking " + ref, e);
        }
        Optional<ContainerStore.StoredImage> stored = store.query(ref.toString());
        boolean same = stored.isPresent()
            && stored.get().manifestDigest().equals(img.manifestResponse().digest());
        String text = (same ? "up to date " : "update available ") + img.manifestResponse().digest() + "\n";
        if (check.equals("-")) {
          out.print(text);
        } else {
          Files.write(Path.of(check), text.getBytes(StandardCharsets.UTF_8));
        }
        out.flush();
        return 0;
      }
      if (!quiet) {
        store.messages(out::println);
      }
      ContainerStore.PullResult res;
      try {
        res = target.pull(store, registry.nodeOptions());
      } catch (java.io.IOException e) {
        throw ActionFailedException.during("pulling " + target, e);
      }
      if (quiet) {
        out.println(res.mergeCommit().hex());
      } else {
        if (!res.alreadyPresent()) {
          out.println("Fetched " + res.layersFetched() + " layers ("
              + io.github.ostree4j.oci.ByteSizes.human(res.bytesFetched()) + ")");
        }
        res.baseCommit().ifPresent(b -> out.println("Base commit: " + b.hex()));
        out.println("Merge commit: " + res.mergeCommit().hex());
        out.println("Image: " + ref + " (" + res.manifestDigest() + ")");
      }
      return 0;
    }
  }

  /** {@code list}: stored images. */
  @Command(name = "list", description = "List the images stored in the repository.")
  static final class ListImages implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin RepoOption repo;

    @Override
    public Integer call() throws Exception {
      for (String s : new ContainerStore(repo.open()).list()) {
        spec.commandLine().getOut().println(s);
      }
      return 0;
    }
  }

  /** {@code remove}: drop image refs. */
  @Command(name = "remove", description = "Remove images from the repository (layers stay until 'prune').")
  static final class Remove implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin RepoOption repo;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Image references as listed.")
    List<String> images;

    @Override
    public Integer call() throws Exception {
      ContainerStore store = new ContainerStore(repo.open());
      int rc = 0;
      for (String i : images) {
        if (!store.remove(i)) {
          spec.commandLine().getErr().println("error: image " + i + " is not stored");
          rc = 1;
        }
      }
      return rc;
    }
  }

  /** {@code prune}: drop unused layer refs. */
  @Command(name = "prune", description = "Remove layer refs no stored image uses (then 'prune' the repository).")
  static final class Prune implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin RepoOption repo;

    @Override
    public Integer call() throws Exception {
      List<String> gone = new ContainerStore(repo.open()).pruneLayers();
      spec.commandLine().getOut().println("Removed layers: " + gone.size());
      return 0;
    }
  }

  /** {@code history}: an image's layers and what made them. */
  @Command(name = "history", description = "Show the history of a stored image.")
  static final class History implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin RepoOption repo;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "Image reference as listed.")
    String image;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      List<ContainerStore.HistoryEntry> entries = new ContainerStore(repo.open()).history(image);
      out.printf("%-12s %-10s %-20s %s%n", "ID", "SIZE", "CREATED", "CREATED BY");
      for (ContainerStore.HistoryEntry e : entries) {
        String id = e.layer().map(d -> d.digest().hex().substring(0, 12)).orElse("<missing>");
        String size = e.layer().map(Descriptor::size).map(s -> Long.toString(s)).orElse("0");
        out.printf("%-12s %-10s %-20s %s%n", id, size, e.created(), e.createdBy());
      }
      return 0;
    }
  }
}
