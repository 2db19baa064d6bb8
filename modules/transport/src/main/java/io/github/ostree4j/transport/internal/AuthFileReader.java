package io.github.ostree4j.transport.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.ostree4j.oci.Json;
import io.github.ostree4j.transport.CredentialException;
import io.github.ostree4j.transport.Credentials;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads one containers-auth.json / docker config.json file and finds the entry for a registry and
 * repository the way containers-image does.
 *
 * <p>Order within a file: {@code credHelpers[REGISTRY]}; then {@code auths} keys that match
 * exactly, most specific first ({@code HOST/A/B}, {@code HOST/A}, {@code HOST}); then keys that
 * match once normalized ({@code https://HOST}, {@code http://HOST/v1/}, and the Docker Hub aliases
 * {@code index.docker.io}, {@code registry-1.docker.io}, {@code docker.io}); then {@code
 * credsStore}. Entries without credentials (the {@code {}} markers docker writes next to a
 * {@code credsStore}) are skipped.
 */
public final class AuthFileReader {

  /** Upper bound on the size of an auth file. */
  private static final long MAX_FILE_SIZE = 4L << 20;

  private final Path path;
  private final boolean legacy;
  private final JsonNode root;

  private AuthFileReader(Path path, boolean legacy, JsonNode root) {
    this.path = path;
    this.legacy = legacy;
    this.root = root;
  }

  /**
   * Reads a file.
   *
   * @param file the file to read (symbolic links already resolved as wanted)
   * @param displayPath the path to name in messages
   * @param legacy whether it is a legacy {@code .dockercfg}
   * @return the reader, or empty when the file does not exist
   * @throws CredentialException when the file cannot be read or is not a JSON object
   */
  public static Optional<AuthFileReader> read(Path file, Path displayPath, boolean legacy)
      throws CredentialException {
    byte[] bytes;
    try {
      if (!Files.exists(file)) {
        return Optional.empty();
      }
      if (Files.size(file) > MAX_FILE_SIZE) {
        throw new CredentialException("reading credentials from " + displayPath
            + ": file is larger than " + MAX_FILE_SIZE + " bytes");
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (CredentialException e) {
      throw e;
    } catch (IOException e) {
      throw new CredentialException("reading credentials from " + displayPath + ": " + e, e);
    }
    String text = new String(bytes, StandardCharsets.UTF_8);
    if (text.isBlank()) {
      return Optional.of(new AuthFileReader(displayPath, legacy, Json.object()));
    }
    JsonNode n;
    try {
      n = Json.MAPPER.readTree(bytes);
    } catch (IOException e) {
      throw new CredentialException("reading credentials from " + displayPath
          + ": not valid JSON: " + firstLine(e.getMessage()), e);
    }
    if (n == null || !n.isObject()) {
      throw new CredentialException("reading credentials from " + displayPath
          + ": not a JSON object");
    }
    return Optional.of(new AuthFileReader(displayPath, legacy, n));
  }

  /**
   * The path of this file.
   *
   * @return the path named in messages
   */
  public Path path() {
    return path;
  }

  /**
   * Finds credentials for a registry and repository.
   *
   * @param registry {@code HOST[:PORT]}, normalized ({@code docker.io} for Docker Hub)
   * @param repository the repository path, or null to match registry-wide entries only
   * @param helpers runs credential helpers
   * @return the credentials, or empty when this file has none for the registry
   * @throws CredentialException when an entry cannot be decoded or a helper fails
   */
  public Optional<Credentials> find(String registry, String repository, CredentialHelpers helpers)
      throws CredentialException {
    if (!legacy) {
      JsonNode helper = root.path("credHelpers").get(registry);
      if (helper != null && helper.isTextual() && !helper.asText().isEmpty()) {
        Optional<Credentials> c = helpers.get(helper.asText(), helperServer(registry), true);
        if (c.isPresent()) {
          return c;
        }
      }
    }
    JsonNode auths = legacy ? root : root.path("auths");
    if (auths.isObject()) {
      List<String> keys = legacy ? List.of(registry) : keysFor(registry, repository);
      for (String key : keys) {
        JsonNode entry = auths.get(key);
        if (entry != null) {
          Optional<Credentials> c = decode(key, entry);
          if (c.isPresent()) {
            return c;
          }
        }
      }
      String normalized = normalizeRegistry(registry);
      for (Iterator<Map.Entry<String, JsonNode>> it = auths.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (normalizeKey(e.getKey(), legacy).equals(normalized)) {
          Optional<Credentials> c = decode(e.getKey(), e.getValue());
          if (c.isPresent()) {
            return c;
          }
        }
      }
    }
    if (!legacy) {
      JsonNode store = root.get("credsStore");
      if (store != null && store.isTextual() && !store.asText().isEmpty()) {
        return helpers.get(store.asText(), helperServer(registry), false);
      }
    }
    return Optional.empty();
  }

  /**
   * The keys tried for exact matches, most specific first: {@code HOST/A/B}, {@code HOST/A},
   * {@code HOST}.
   *
   * @param registry {@code HOST[:PORT]}
   * @param repository the repository path, or null
   * @return the keys
   */
  public static List<String> keysFor(String registry, String repository) {
    List<String> keys = new ArrayList<>();
    if (repository != null && !repository.isEmpty()) {
      String k = registry + "/" + repository;
      while (true) {
        keys.add(k);
        int slash = k.lastIndexOf('/');
        if (slash <= registry.length() - 1) {
          break;
        }
        k = k.substring(0, slash);
        if (k.equals(registry)) {
          break;
        }
      }
    }
    keys.add(registry);
    return keys;
  }

  private Optional<Credentials> decode(String key, JsonNode entry) throws CredentialException {
    if (!entry.isObject()) {
      throw new CredentialException("reading credentials from " + path + ": entry '" + key
          + "' is not an object");
    }
    String user = "";
    String password = "";
    String auth = text(entry, "auth");
    if (!auth.isEmpty()) {
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(auth.trim()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new CredentialException("reading credentials from " + path + ": entry '" + key
            + "': 'auth' is not base64", e);
      }
      int colon = decoded.indexOf(':');
      if (colon < 0) {
        throw new CredentialException("reading credentials from " + path + ": entry '" + key
            + "': 'auth' does not decode to USER:PASSWORD");
      }
      user = decoded.substring(0, colon);
      password = decoded.substring(colon + 1);
    } else {
      user = text(entry, "username");
      password = text(entry, "password");
    }
    String token = text(entry, "identitytoken");
    if (!token.isEmpty()) {
      return Optional.of(Credentials.identityToken(user, token));
    }
    if (user.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(Credentials.of(user, password));
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v != null && v.isTextual() ? v.asText() : "";
  }

  /**
   * The server name given to a credential helper: Docker Hub's historical URL for {@code
   * docker.io}, else the registry itself.
   *
   * @param registry {@code HOST[:PORT]}
   * @return the server name
   */
  static String helperServer(String registry) {
    return normalizeRegistry(registry).equals("index.docker.io")
        ? "https://index.docker.io/v1/"
        : registry;
  }

  static String normalizeRegistry(String registry) {
    switch (registry) {
      case "registry-1.docker.io":
      case "docker.io":
        return "index.docker.io";
      default:
        return registry;
    }
  }

  static String normalizeKey(String key, boolean legacy) {
    String stripped = key;
    if (stripped.startsWith("http://")) {
      stripped = stripped.substring("http://".length());
    } else if (stripped.startsWith("https://")) {
      stripped = stripped.substring("https://".length());
    }
    if (legacy || !stripped.equals(key)) {
      int slash = stripped.indexOf('/');
      if (slash >= 0) {
        stripped = stripped.substring(0, slash);
      }
    }
    return normalizeRegistry(stripped);
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
