package io.github.ostree4j.cli;

import io.github.ostree4j.container.ContainerStore;
import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.ostree.OstreeRepo;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ostree4j container unencapsulate --repo=R IMAGE}: the ostree commit inside an image. */
@Command(name = "unencapsulate", aliases = "import",
    description = "Import the ostree commit of an image that has no derived layers.")
final class ContainerUnencapsulateCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin RepoOption repo;
  @Mixin RegistryOptions registry;

  @Parameters(index = "0", paramLabel = "IMAGE", description = "The image, e.g. ostree-unverified-registry:quay.io/x:tag, ostree-image-signed:docker://quay.io/x:tag, ostree-remote-image:REMOTE:docker://quay.io/x:tag or oci:DIR:TAG.")
  String image;

  @Option(names = "--write-ref", paramLabel = "REF", description = "Point REF at the imported commit.")
  String writeRef;

  @Option(names = {"-q", "--quiet"}, description = "Print nothing but the commit.")
  boolean quiet;

  @Override
  public Integer call() throws Exception {
    OstreeRepo r = repo.open();
    Checksum c;
    try {
      ContainerStore store = new ContainerStore(r);
      if (!quiet) {
        store.messages(spec.commandLine().getOut()::println);
      }
      c = ContainerImages.target(image).unencapsulate(store, registry.nodeOptions());
    } catch (java.io.IOException e) {
      throw ActionFailedException.during("importing " + image, e);
    }
    if (writeRef != null) {
      r.refs().set(writeRef, c);
    }
    spec.commandLine().getOut().println(quiet ? c.hex() : "Imported: " + c.hex());
    return 0;
  }
}
