package io.github.ostree4j.cli;

import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Function;

/** Passwords of key files: from a file, from the environment, or asked on the terminal. */
final class Passwords {

  /** Where environment variables come from; tests replace it. */
  static Function<String, String> environment = System::getenv;

  private Passwords() {}

  /**
   * A cosign private key: the key file is checked first (a missing key is not worth a password
   * prompt), then the password is read as {@link #cosign} says and the key decrypted.
   *
   * @param key the {@code cosign.key} file
   * @param passwordFile a file holding the password, or null
   * @return the key
   * @throws IOException when the file cannot be read, the password is missing or wrong
   */
  static java.security.PrivateKey cosignKey(Path key, Path passwordFile) throws IOException {
    if (!Files.isRegularFile(key) || !Files.isReadable(key)) {
      throw new IOException("reading the key " + key + ": no such readable file");
    }
    return io.github.ostree4j.transport.CosignKeys.readPrivateKey(key, cosign(passwordFile, false));
  }

  /**
   * The password of a cosign key: {@code file} if given, else {@code COSIGN_PASSWORD} (which may
   * be empty), else asked on the terminal (twice when {@code confirm}).
   *
   * @param file a file holding the password on its first line, or null
   * @param confirm whether to ask twice (for a new key)
   * @return the password
   * @throws IOException when there is no file, variable or terminal, or the two entries differ
   */
  static char[] cosign(Path file, boolean confirm) throws IOException {
    if (file != null) {
      return firstLine(file);
    }
    String env = environment.apply("COSIGN_PASSWORD");
    if (env != null) {
      return env.toCharArray();
    }
    Console c = System.console();
    if (c == null) {
      throw new IOException("reading the key password: no terminal to ask on; set"
          + " COSIGN_PASSWORD (it may be empty)");
    }
    char[] a = c.readPassword("Enter password for private key: ");
    if (a == null) {
      throw new IOException("reading the key password: no input");
    }
    if (confirm) {
      char[] b = c.readPassword("Enter password for private key again: ");
      if (b == null || !Arrays.equals(a, b)) {
        throw new IOException("reading the key password: the passwords do not match");
      }
    }
    return a;
  }

  /**
   * The first line of a file, without its line end.
   *
   * @param file the file
   * @return the text
   * @throws IOException when the file cannot be read
   */
  static char[] firstLine(Path file) throws IOException {
    String s = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    int nl = s.indexOf('\n');
    if (nl >= 0) {
      s = s.substring(0, nl);
    }
    if (s.endsWith("\r")) {
      s = s.substring(0, s.length() - 1);
    }
    return s.toCharArray();
  }
}
