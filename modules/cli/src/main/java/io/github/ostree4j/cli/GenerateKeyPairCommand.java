package io.github.ostree4j.cli;

import io.github.ostree4j.transport.CosignKeys;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ostree4j generate-key-pair}: {@code cosign.key} (encrypted, mode 0600) and {@code
 * cosign.pub} in the current directory, as {@code cosign generate-key-pair} writes them.
 */
@Command(name = "generate-key-pair",
    description = "Generate an ECDSA P-256 key pair for signing images, in cosign's formats"
        + " (cosign.key encrypted with the password from COSIGN_PASSWORD or asked, cosign.pub).")
final class GenerateKeyPairCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--output-key-prefix", paramLabel = "PREFIX", defaultValue = "cosign",
      description = "Write PREFIX.key and PREFIX.pub (default: cosign).")
  String prefix;

  @Override
  public Integer call() throws Exception {
    Path key = Path.of(prefix + ".key").toAbsolutePath();
    Path pub = Path.of(prefix + ".pub").toAbsolutePath();
    for (Path p : new Path[] {key, pub}) {
      if (Files.exists(p)) {
        throw new FileAlreadyExistsException(p.toString(), null,
            "refusing to overwrite an existing key file");
      }
    }
    char[] password = Passwords.cosign(null, true);
    KeyPair kp = CosignKeys.generate();
    write(key, CosignKeys.encodePrivateKey(kp.getPrivate(), password), "rw-------");
    write(pub, CosignKeys.encodePublicKey(kp.getPublic()), "rw-r--r--");
    PrintWriter out = spec.commandLine().getOut();
    out.println("Private key written to " + prefix + ".key");
    out.println("Public key written to " + prefix + ".pub");
    out.flush();
    return 0;
  }

  private static void write(Path p, byte[] bytes, String mode) throws IOException {
    Files.createFile(p, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode)));
    Files.write(p, bytes, StandardOpenOption.TRUNCATE_EXISTING);
  }
}
