package io.github.ostree4j.cli;

import io.github.ostree4j.ostree.GpgSigningKey;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Where GPG signing keys come from: {@code --gpg-homedir} (as ostree has it) or an exported key
 * file ({@code --gpg-key-file}, for key types BouncyCastle cannot read from GnuPG 2's
 * private-keys-v1.d, such as Ed25519), with an optional passphrase file.
 */
final class GpgOptions {

  @Option(names = "--gpg-homedir", paramLabel = "HOMEDIR",
      description = "GnuPG home with the signing key (default: $GNUPGHOME, else ~/.gnupg).")
  Path homedir;

  @Option(names = "--gpg-key-file", paramLabel = "FILE",
      description = "Secret key exported with 'gpg --export-secret-keys' (instead of the GnuPG home).")
  Path keyFile;

  @Option(names = "--gpg-passphrase-file", paramLabel = "FILE",
      description = "Read the passphrase of a protected key from FILE.")
  Path passphraseFile;

  /** The signing keys for key IDs, read before anything is written. */
  List<GpgSigningKey> keys(List<String> keyIds) throws IOException {
    char[] pass = passphraseFile == null ? null : Passwords.firstLine(passphraseFile);
    List<GpgSigningKey> out = new ArrayList<>();
    for (String id : keyIds) {
      out.add(keyFile != null ? GpgSigningKey.fromKeyFile(keyFile, id, pass)
          : GpgSigningKey.fromHomedir(home(), id, pass));
    }
    return out;
  }

  Path home() {
    if (homedir != null) {
      return homedir;
    }
    String env = Passwords.environment.apply("GNUPGHOME");
    if (env != null && !env.isEmpty()) {
      return Path.of(env);
    }
    return Path.of(System.getProperty("user.home"), ".gnupg");
  }
}
