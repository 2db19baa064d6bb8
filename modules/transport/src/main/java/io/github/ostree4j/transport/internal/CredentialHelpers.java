package io.github.ostree4j.transport.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.ostree4j.oci.Json;
import io.github.ostree4j.transport.CredentialException;
import io.github.ostree4j.transport.Credentials;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs docker credential helpers: {@code docker-credential-NAME get} with the server name on
 * standard input, answering {@code {"ServerURL": …, "Username": …, "Secret": …}} on standard
 * output. A user name of {@code <token>} means the secret is an identity token.
 */
public final class CredentialHelpers {

  private static final long TIMEOUT_SECONDS = 60;
  private static final int MAX_OUTPUT = 1 << 20;

  private final Map<String, String> env;

  /**
   * Creates a runner.
   *
   * @param env the environment: {@code PATH} is searched for helpers and the helper gets it
   */
  public CredentialHelpers(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  /**
   * Asks a helper for credentials.
   *
   * @param name the helper name ({@code docker-credential-} is prepended)
   * @param server the server name to ask for
   * @param required whether a missing helper program is an error (for {@code credHelpers}
   *     entries) rather than "no credentials" (for a {@code credsStore} on a machine without it)
   * @return the credentials, or empty when the helper has none for the server
   * @throws CredentialException when the helper fails or answers something unreadable
   */
  public Optional<Credentials> get(String name, String server, boolean required)
      throws CredentialException {
    if (name.indexOf('/') >= 0 || name.isEmpty()) {
      throw new CredentialException("running credential helper '" + name + "' for " + server
          + ": invalid helper name");
    }
    String program = "docker-credential-" + name;
    Optional<Path> exe = find(program);
    if (exe.isEmpty()) {
      if (required) {
        throw new CredentialException("running " + program + " for " + server
            + ": program not found on PATH");
      }
      return Optional.empty();
    }
    ProcessBuilder pb = new ProcessBuilder(exe.get().toString(), "get");
    pb.environment().clear();
    pb.environment().putAll(env);
    pb.redirectErrorStream(true);
    byte[] out;
    int exit;
    Process p = null;
    try {
      p = pb.start();
      try (OutputStream in = p.getOutputStream()) {
        in.write(server.getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        // the helper may exit without reading its input; its output says why
      }
      out = readBounded(p.getInputStream());
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new CredentialException("running " + program + " for " + server
            + ": no answer within " + TIMEOUT_SECONDS + " s");
      }
      exit = p.exitValue();
    } catch (IOException e) {
      if (p != null) {
        p.destroyForcibly();
      }
      throw new CredentialException("running " + program + " for " + server + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new CredentialException("running " + program + " for " + server + ": interrupted", e);
    }
    String text = new String(out, StandardCharsets.UTF_8).trim();
    if (exit != 0) {
      if (text.toLowerCase(java.util.Locale.ROOT).contains("credentials not found")) {
        return Optional.empty();
      }
      throw new CredentialException("running " + program + " for " + server + ": exit status "
          + exit + (text.isEmpty() ? "" : ": " + firstLine(text)));
    }
    JsonNode n;
    try {
      n = Json.MAPPER.readTree(text);
    } catch (IOException e) {
      throw new CredentialException("running " + program + " for " + server
          + ": answer is not JSON", e);
    }
    if (n == null || !n.isObject()) {
      throw new CredentialException("running " + program + " for " + server
          + ": answer is not a JSON object");
    }
    String user = n.path("Username").asText("");
    String secret = n.path("Secret").asText("");
    if (secret.isEmpty()) {
      return Optional.empty();
    }
    if (user.equals("<token>")) {
      return Optional.of(Credentials.identityToken("", secret));
    }
    if (user.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(Credentials.of(user, secret));
  }

  private Optional<Path> find(String program) {
    String path = env.get("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static byte[] readBounded(InputStream in) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    byte[] chunk = new byte[8192];
    int n;
    while ((n = in.read(chunk)) >= 0) {
      if (buf.size() + n > MAX_OUTPUT) {
        throw new IOException("answer longer than " + MAX_OUTPUT + " bytes");
      }
      buf.write(chunk, 0, n);
    }
    return buf.toByteArray();
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
