package io.github.ostree4j.cli;

import io.github.ostree4j.oci.Compression;
import io.github.ostree4j.oci.Digest;
import io.github.ostree4j.transport.ImageCopier;
import io.github.ostree4j.transport.ImageReference;
import io.github.ostree4j.transport.TransportOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ostree4j copy SRC DST}: copy an image between transports, like {@code skopeo copy}. */
@Command(name = "copy", description = "Copy an image from one location to another.")
final class CopyCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "SOURCE-IMAGE",
      description = "docker://HOST/REPO[:TAG|@DIGEST], oci:DIR[:TAG], oci-archive:FILE[:TAG] or docker-archive:FILE[:NAME:TAG]")
  String source;

  @Parameters(index = "1", paramLabel = "DESTINATION-IMAGE", description = "Where to copy to (same forms).")
  String destination;

  @Option(names = {"-a", "--all"}, description = "Copy all images of an index, not just the one for this platform.")
  boolean all;

  @Option(names = "--authfile", paramLabel = "FILE", description = "Credentials file for both sides.")
  Path authFile;

  @Option(names = "--src-authfile", paramLabel = "FILE", description = "Credentials file for the source.")
  Path srcAuthFile;

  @Option(names = "--dest-authfile", paramLabel = "FILE", description = "Credentials file for the destination.")
  Path destAuthFile;

  @Option(names = "--src-creds", paramLabel = "USER[:PASS]", description = "Credentials for the source registry.")
  String srcCreds;

  @Option(names = "--dest-creds", paramLabel = "USER[:PASS]", description = "Credentials for the destination registry.")
  String destCreds;

  @Option(names = "--src-tls-verify", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
      description = "Require HTTPS and verify certificates for the source (default true).")
  boolean srcTlsVerify = true;

  @Option(names = "--dest-tls-verify", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
      description = "Require HTTPS and verify certificates for the destination (default true).")
  boolean destTlsVerify = true;

  @Option(names = "--dest-compress-format", paramLabel = "FORMAT", description = "Recompress layers: gzip or zstd.")
  String compressFormat;

  @Option(names = "--dest-compress-level", paramLabel = "N", description = "Compression level for --dest-compress-format.")
  Integer compressLevel;

  @Option(names = "--digestfile", paramLabel = "FILE", description = "Write the digest of the copied manifest to FILE.")
  Path digestFile;

  @Option(names = {"-q", "--quiet"}, description = "Suppress output.")
  boolean quiet;

  @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto",
      description = "auto, tty, json (JSON lines on stderr) or none.")
  String progress;

  @Option(names = {"--sign-by-sigstore-key", "--sign-by-sigstore-private-key"}, paramLabel = "FILE",
      description = "Sign the copied image with this cosign key; the signature is stored at the destination as cosign stores it.")
  Path sigstoreKey;

  @Option(names = "--sign-passphrase-file", paramLabel = "FILE",
      description = "Read the key's password from FILE (default: COSIGN_PASSWORD, else asked).")
  Path passphraseFile;

  @Option(names = "--sign-identity", paramLabel = "REF",
      description = "The identity to sign (default: the destination with its tag, as skopeo signs it).")
  String signIdentity;

  @Option(names = "--image-parallel-copies", paramLabel = "N", defaultValue = "3",
      description = "Layers copied at once (default 3).")
  int parallel;

  @Override
  public Integer call() throws Exception {
    CommandLine cl = spec.commandLine();
    CopyProgress.Mode mode;
    Compression compression = null;
    try {
      mode = CopyProgress.mode(progress, quiet);
      if (compressFormat != null) {
        compression = Compression.parse(compressFormat);
        if (compression == Compression.NONE) {
          throw new IllegalArgumentException("--dest-compress-format must be gzip or zstd");
        }
        if (compressLevel != null) {
          int l = compressLevel;
          boolean ok = compression == Compression.GZIP ? l >= 0 && l <= 9
              : l >= -7 && l <= 22 && l != 0;
          if (!ok) {
            throw new IllegalArgumentException("invalid --dest-compress-level " + l + " for "
                + compression.id() + " (gzip: 0-9, zstd: 1-22)");
          }
        }
      } else if (compressLevel != null) {
        throw new IllegalArgumentException("--dest-compress-level needs --dest-compress-format");
      }
      if (parallel < 1) {
        throw new IllegalArgumentException("--image-parallel-copies must be at least 1");
      }
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cl, e.getMessage());
    }
    ImageReference src = ImageAccess.parse(source);
    ImageReference dst = ImageAccess.parse(destination);
    TransportOptions so = ImageAccess.options(srcAuthFile != null ? srcAuthFile : authFile,
        srcCreds, srcTlsVerify);
    TransportOptions dop = ImageAccess.options(destAuthFile != null ? destAuthFile : authFile,
        destCreds, destTlsVerify);
    ImageCopier copier = ImageCopier.builder()
        .allPlatforms(all)
        .parallelism(parallel)
        .compression(compression, compressLevel == null ? Integer.MIN_VALUE : compressLevel)
        .listener(new CopyProgress(mode, cl.getOut(), cl.getErr()))
        .build();
    java.security.PrivateKey signingKey = null;
    if (sigstoreKey != null) {
      if (!dst.isRegistry() && dst.transport() != ImageReference.Transport.OCI) {
        throw new CommandLine.ParameterException(cl,
            "--sign-by-sigstore-key needs a docker:// or oci: destination");
      }
      if (signIdentity == null && !dst.hasDockerName()) {
        throw new CommandLine.ParameterException(cl,
            "an oci: destination has no registry name to sign; give --sign-identity");
      }
      signingKey = Passwords.cosignKey(sigstoreKey, passphraseFile);
    }
    Digest d = copier.copy(src, so, dst, dop);
    if (signingKey != null) {
      String id = signIdentity != null ? signIdentity
          : io.github.ostree4j.transport.SigstoreSigner.referenceOf(dst);
      try {
        io.github.ostree4j.transport.SigstoreSigner.of(signingKey).sign(dst, d, id, dop);
      } catch (java.io.IOException e) {
        throw ActionFailedException.during("storing the signature of " + dst, e);
      }
      if (!quiet) {
        cl.getErr().println("Signed " + dst + " (" + d + ") as " + id);
      }
    }
    if (digestFile != null) {
      Files.write(digestFile, d.toString().getBytes(StandardCharsets.UTF_8));
    }
    return 0;
  }
}
