package io.github.ostree4j.cli;

import io.github.ostree4j.oci.Digest;
import io.github.ostree4j.transport.ImageReference;
import io.github.ostree4j.transport.ImageSource;
import io.github.ostree4j.transport.ImageTransports;
import io.github.ostree4j.transport.SigstoreSigner;
import io.github.ostree4j.transport.TransportOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ostree4j sign --key cosign.key IMAGE@DIGEST}: a cosign signature stored next to the image
 * as cosign stores it (the {@code sha256-<hex>.sig} tag).
 */
@Command(name = "sign",
    description = "Sign an image with a cosign key; the signature is stored next to it as cosign"
        + " stores it (tag sha256-<digest>.sig).")
final class SignCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin RegistryOptions registry;

  @Option(names = "--key", required = true, paramLabel = "FILE",
      description = "The private key (cosign.key; password from COSIGN_PASSWORD or asked).")
  Path key;

  @Option(names = "--sign-container-identity", paramLabel = "REF",
      description = "The identity to sign (default: the image's repository, as cosign signs it;"
          + " required for oci: images).")
  String identity;

  @Parameters(index = "0", paramLabel = "IMAGE",
      description = "docker://HOST/REPO@sha256:… (or :TAG, resolved to its digest now) or oci:DIR[:TAG].")
  String image;

  @Override
  public Integer call() throws Exception {
    ImageReference ref = ImageAccess.parse(image);
    if (!ref.isRegistry() && ref.transport() != ImageReference.Transport.OCI) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "signatures can be stored for docker:// and oci: images only, not " + ref);
    }
    if (identity == null && !ref.hasDockerName()) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "an oci: image has no registry name to sign; give --sign-container-identity");
    }
    TransportOptions options = registry.options();
    PrivateKey pk;
    try {
      pk = Passwords.cosignKey(key, null);
    } catch (IOException e) {
      throw ActionFailedException.during("signing " + image, e);
    }
    PrintWriter out = spec.commandLine().getOut();
    Digest digest;
    try {
      digest = resolve(ref, options);
    } catch (IOException e) {
      throw ActionFailedException.during("reading the manifest of " + ref, e);
    }
    String id = identity != null ? identity : SigstoreSigner.identityOf(ref);
    SigstoreSigner.Signed s;
    try {
      s = SigstoreSigner.of(pk).sign(ref, digest, id, options);
    } catch (IOException e) {
      throw ActionFailedException.during("storing the signature of " + ref, e);
    }
    String where = ref.isRegistry() ? ref.registry() + "/" + ref.repository() + ":"
        : "oci:" + ref.path() + ":";
    out.println("Pushing signature to: " + where + s.attachmentTag());
    out.flush();
    return 0;
  }

  /** The digest the reference names; a tag is resolved, with a warning as cosign gives it. */
  private Digest resolve(ImageReference ref, TransportOptions options) throws IOException {
    try (ImageSource src = ImageTransports.openSource(ref, options)) {
      Digest d = src.manifest().digest();
      if (ref.digest().isPresent()) {
        return d;
      }
      spec.commandLine().getErr().println("WARNING: Image reference " + ref + " uses a tag, not a"
          + " digest, to identify the image to sign; signing the manifest it names now, " + d);
      return d;
    }
  }
}
