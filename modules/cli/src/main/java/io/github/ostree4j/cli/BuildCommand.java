package io.github.ostree4j.cli;

import io.github.ostree4j.build.BuildException;
import io.github.ostree4j.build.BuildOptions;
import io.github.ostree4j.build.BuildResult;
import io.github.ostree4j.build.ContainerfileException;
import io.github.ostree4j.build.ImageBuilder;
import io.github.ostree4j.oci.Compression;
import io.github.ostree4j.transport.ImageReference;
import io.github.ostree4j.transport.InvalidReferenceException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ostree4j build}: a Containerfile build without a daemon, as {@code podman build} /
 * {@code buildah bud}. Step lines and RUN output go to stdout; the last line is the manifest
 * digest. A failed build prints one error line ({@code error: building IMAGE: FILE:LINE: ...}),
 * for a failed RUN followed by the last lines of its output, and writes no image.
 */
@Command(name = "build", description = "Build an image from a Containerfile (no daemon needed).")
final class BuildCommand implements Callable<Integer> {

  private static final List<String> TRANSPORTS =
      List.of("docker://", "oci:", "oci-archive:", "docker-archive:");

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin RegistryOptions registry;

  @Parameters(index = "0", arity = "0..1", paramLabel = "CONTEXT", defaultValue = ".",
      description = "The build context directory (default: the current directory).")
  Path context;

  @Option(names = {"-f", "--file"}, paramLabel = "FILE",
      description = "The Containerfile (default: Containerfile, then Dockerfile, in the context).")
  Path file;

  @Option(names = {"-t", "--tag"}, paramLabel = "IMAGE",
      description = "Where to write the image: docker://, oci:, oci-archive:, docker-archive:;"
          + " a name without transport is a tag in the storage root's OCI layout ROOT/images."
          + " May be repeated.")
  List<String> tags = new ArrayList<>();

  @Option(names = "--build-arg", paramLabel = "NAME[=VALUE]",
      description = "A build argument; NAME alone takes the value from the environment.")
  List<String> buildArgs = new ArrayList<>();

  @Option(names = "--target", paramLabel = "STAGE", description = "The stage to build (name or index).")
  String target;

  @Option(names = "--timestamp", paramLabel = "SECONDS",
      description = "Created time of the image and its history, and the latest modification time"
          + " of files in new layers (default: SOURCE_DATE_EPOCH if set, else now).")
  Long timestamp;

  @Option(names = "--layers", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
      description = "Cache each step's layer and reuse cached ones (default false).")
  boolean layers;

  @Option(names = "--no-cache", description = "Do not reuse cached layers (they are still stored with --layers).")
  boolean noCache;

  @Option(names = "--squash", description = "Put all new content of the image into one layer.")
  boolean squash;

  @Option(names = "--compression", paramLabel = "FORMAT", defaultValue = "gzip",
      description = "Compression of new layers: gzip (default) or zstd.")
  String compression;

  @Option(names = "--root", paramLabel = "DIR",
      description = "Storage root (default /var/lib/ostree4j/build as root, else"
          + " $XDG_DATA_HOME/ostree4j/build or ~/.local/share/ostree4j/build).")
  Path root;

  @Option(names = "--secret", paramLabel = "id=ID,src=FILE",
      description = "A secret for RUN --mount=type=secret,id=ID. May be repeated.")
  List<String> secrets = new ArrayList<>();

  @Option(names = "--lint", description = "Run 'container lint' on the final root filesystem; errors fail the build.")
  boolean lint;

  @Option(names = {"-q", "--quiet"}, description = "Print only the manifest digest.")
  boolean quiet;

  @Option(names = {"--sign-key", "--sign-by-sigstore-key"}, paramLabel = "FILE",
      description = "Sign the built image with this cosign key at every docker:// or oci: destination, as cosign stores signatures.")
  Path signKey;

  @Option(names = "--sign-passphrase-file", paramLabel = "FILE",
      description = "Read the key's password from FILE (default: COSIGN_PASSWORD, else a prompt).")
  Path signPassphraseFile;

  @Option(names = "--sign-identity", paramLabel = "REF",
      description = "The identity to sign (default: each destination's name with its tag; needed for oci: destinations).")
  String signIdentity;

  @Override
  public Integer call() throws Exception {
    CommandLine cl = spec.commandLine();
    PrintWriter out = cl.getOut();
    BuildOptions.Builder b = BuildOptions.builder(context);
    if (file != null) {
      b.containerfile(file);
    }
    Path storage = root != null ? root : BuildOptions.defaultStorageRoot(System.getenv());
    b.storageRoot(storage);
    List<String> where = new ArrayList<>();
    for (String t : tags) {
      ImageReference ref = destination(cl, t, storage);
      b.destination(ref);
      where.add(ref.toString());
    }
    for (String a : buildArgs) {
      int eq = a.indexOf('=');
      if (eq == 0) {
        throw new CommandLine.ParameterException(cl, "invalid --build-arg '" + a + "' (expected NAME=VALUE or NAME)");
      }
      b.buildArg(eq < 0 ? a : a.substring(0, eq), eq < 0 ? null : a.substring(eq + 1));
    }
    if (target != null) {
      b.target(target);
    }
    try {
      if (timestamp != null) {
        b.timestamp(timestamp);
      }
      Compression c = Compression.parse(compression);
      if (c == Compression.NONE) {
        throw new IllegalArgumentException("--compression must be gzip or zstd");
      }
      b.compression(c);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cl, e.getMessage());
    }
    for (String s : secrets) {
      parseSecret(cl, s, b);
    }
    b.layers(layers).noCache(noCache).squash(squash).lint(lint)
        .transportOptions(registry.options());
    OutputStream sink = quiet ? OutputStream.nullOutputStream() : new WriterStream(out);
    b.output(sink);
    String image = tags.isEmpty() ? context.toString() : tags.get(0);
    BuildOptions options;
    try {
      options = b.build();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cl, e.getMessage());
    }
    java.security.PrivateKey signingKey = signingKey(cl);
    BuildResult r;
    try {
      r = ImageBuilder.of(options).build();
    } catch (BuildException e) {
      out.flush();
      PrintWriter err = cl.getErr();
      err.println("error: building " + image + ": " + e.summary());
      if (!e.outputTail().isEmpty()) {
        err.println(e.outputTail());
      }
      err.flush();
      return 1;
    } catch (ContainerfileException e) {
      out.flush();
      cl.getErr().println("error: building " + image + ": " + e.getMessage().replace('\n', ' '));
      cl.getErr().flush();
      return 1;
    } catch (IOException e) {
      out.flush();
      throw ActionFailedException.during("building " + image, e);
    }
    if (!quiet && where.isEmpty()) {
      out.println("Image written to " + r.destinations().get(0) + " (untagged)");
    } else if (!quiet) {
      for (ImageReference d : r.destinations()) {
        out.println("Image written to " + d);
      }
    }
    if (signingKey != null) {
      sign(cl, signingKey, r);
    }
    out.println(r.manifestDigest());
    out.flush();
    return 0;
  }

  /** The cosign key of {@code --sign-key}, read before anything is built; null without it. */
  private java.security.PrivateKey signingKey(CommandLine cl) throws IOException {
    if (signKey == null) {
      return null;
    }
    for (String t : tags) {
      ImageReference ref = destination(cl, t, root != null ? root
          : BuildOptions.defaultStorageRoot(System.getenv()));
      if (!ref.isRegistry() && ref.transport() != ImageReference.Transport.OCI) {
        throw new CommandLine.ParameterException(cl,
            "--sign-key needs docker:// or oci: destinations, not " + ref);
      }
      if (signIdentity == null && !ref.hasDockerName()) {
        throw new CommandLine.ParameterException(cl,
            "the oci: destination " + ref + " has no registry name to sign; give --sign-identity");
      }
    }
    if (tags.isEmpty()) {
      throw new CommandLine.ParameterException(cl, "--sign-key needs a destination (-t)");
    }
    try {
      return Passwords.cosignKey(signKey, signPassphraseFile);
    } catch (IOException e) {
      throw ActionFailedException.during("reading the signing key " + signKey, e);
    }
  }

  /** Stores a cosign signature of the built manifest next to every destination. */
  private void sign(CommandLine cl, java.security.PrivateKey key, BuildResult r)
      throws IOException {
    for (ImageReference d : r.destinations()) {
      String id = signIdentity != null ? signIdentity
          : io.github.ostree4j.transport.SigstoreSigner.referenceOf(d);
      try {
        io.github.ostree4j.transport.SigstoreSigner.of(key).sign(d, r.manifestDigest(), id,
            registry.options());
      } catch (IOException e) {
        throw ActionFailedException.during("storing the signature of " + d, e);
      }
      if (!quiet) {
        cl.getOut().println("Signed " + d + " (" + r.manifestDigest() + ") as " + id);
      }
    }
  }

  /** {@code -t}: a reference with a transport, or a tag in {@code ROOT/images}. */
  static ImageReference destination(CommandLine cl, String t, Path storage) {
    String text = t;
    boolean transport = false;
    for (String p : TRANSPORTS) {
      transport |= t.startsWith(p);
    }
    if (!transport) {
      String name = t.contains(":") && t.lastIndexOf(':') > t.lastIndexOf('/') ? t : t + ":latest";
      text = "oci:" + storage.toAbsolutePath().resolve("images") + ":" + name;
    }
    try {
      return ImageAccess.parse(text);
    } catch (InvalidReferenceException e) {
      throw new CommandLine.ParameterException(cl, "invalid -t '" + t + "': " + Errors.message(e));
    }
  }

  private static void parseSecret(CommandLine cl, String s, BuildOptions.Builder b) {
    String id = null;
    String src = null;
    for (String part : s.split(",")) {
      int eq = part.indexOf('=');
      String k = eq < 0 ? part : part.substring(0, eq);
      String v = eq < 0 ? "" : part.substring(eq + 1);
      switch (k) {
        case "id":
          id = v;
          break;
        case "src":
        case "source":
          src = v;
          break;
        case "type":
          if (!v.equals("file")) {
            throw new CommandLine.ParameterException(cl, "--secret " + s + ": only type=file is supported");
          }
          break;
        default:
          throw new CommandLine.ParameterException(cl, "invalid --secret '" + s + "' (expected id=ID,src=FILE)");
      }
    }
    if (id == null || id.isEmpty() || src == null || src.isEmpty()) {
      throw new CommandLine.ParameterException(cl, "invalid --secret '" + s + "' (expected id=ID,src=FILE)");
    }
    b.secret(id, Path.of(src));
  }

  /** Passes build output to the command's stdout writer. */
  private static final class WriterStream extends OutputStream {
    private final PrintWriter w;
    private final java.nio.charset.CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(java.nio.charset.CodingErrorAction.REPLACE)
        .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPLACE);
    private final java.nio.ByteBuffer pending = java.nio.ByteBuffer.allocate(8192);
    private final java.nio.CharBuffer chars = java.nio.CharBuffer.allocate(8192);

    WriterStream(PrintWriter w) {
      this.w = w;
    }

    @Override
    public synchronized void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      int i = off;
      int end = off + len;
      while (i < end) {
        int n = Math.min(pending.remaining(), end - i);
        pending.put(b, i, n);
        i += n;
        drain(false);
      }
    }

    private void drain(boolean endOfInput) {
      pending.flip();
      while (true) {
        java.nio.charset.CoderResult r = decoder.decode(pending, chars, endOfInput);
        chars.flip();
        w.append(chars);
        chars.clear();
        if (!r.isOverflow()) {
          break;
        }
      }
      pending.compact();
    }

    @Override
    public synchronized void flush() {
      w.flush();
    }
  }
}
