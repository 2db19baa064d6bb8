package io.github.ostree4j.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.github.ostree4j.transport.internal.sigstore.PolicyScopes;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The signature storage settings of containers-registries.d(5): every {@code *.yaml} file of a
 * directory, merged. Only {@code use-sigstore-attachments} matters here: whether cosign signatures
 * (the {@code sha256-<hex>.sig} tags) of a registry image are read.
 *
 * <pre>{@code
 * docker:
 *   quay.io/example/os:
 *     use-sigstore-attachments: true
 * }</pre>
 *
 * <p>The setting of the image's most specific {@code docker} namespace that has one wins (the same
 * scopes as {@link SignaturePolicy}), else {@code default-docker}'s, else false. A namespace (or
 * {@code default-docker}) defined in two files is an error, as in containers-image. The older
 * name {@code use-cosign-attachments} is read too.
 */
public final class RegistriesConfig {

  /** The system directory. */
  public static final Path SYSTEM_DIRECTORY = Path.of("/etc/containers/registries.d");

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final Boolean defaultDocker;
  private final Map<String, Boolean> docker;

  private RegistriesConfig(Boolean defaultDocker, Map<String, Boolean> docker) {
    this.defaultDocker = defaultDocker;
    this.docker = docker;
  }

  /**
   * A configuration without settings: no attachments are read.
   *
   * @return the empty configuration
   */
  public static RegistriesConfig empty() {
    return new RegistriesConfig(null, Map.of());
  }

  /**
   * The directory used when none is named: {@code $HOME/.config/containers/registries.d} if it
   * exists, else {@link #SYSTEM_DIRECTORY}, as containers-image chooses.
   *
   * @return the directory
   */
  public static Path defaultDirectory() {
    String home = System.getProperty("user.home");
    if (home != null && !home.isEmpty()) {
      Path user = Path.of(home, ".config", "containers", "registries.d");
      if (Files.isDirectory(user)) {
        return user;
      }
    }
    return SYSTEM_DIRECTORY;
  }

  /**
   * Reads the {@code *.yaml} files of a directory (in name order).
   *
   * @param dir the directory; a missing directory gives the empty configuration
   * @return the merged configuration
   * @throws PolicyFormatException when a file is not valid or a namespace is defined twice
   * @throws IOException when a file cannot be read
   */
  public static RegistriesConfig load(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return empty();
    }
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.yaml")) {
      ds.forEach(files::add);
    }
    files.sort(null);
    Boolean def = null;
    String defFrom = null;
    Map<String, Boolean> docker = new LinkedHashMap<>();
    Map<String, String> from = new LinkedHashMap<>();
    for (Path f : files) {
      String what = "reading registries.d file " + f;
      JsonNode root;
      try {
        root = YAML.readTree(Files.readAllBytes(f));
      } catch (com.fasterxml.jackson.core.JacksonException e) {
        throw new PolicyFormatException(what + ": not valid YAML: "
            + e.getOriginalMessage(), e);
      }
      if (root == null || root.isMissingNode() || root.isNull()) {
        continue;
      }
      if (!root.isObject()) {
        throw new PolicyFormatException(what + ": not a mapping");
      }
      JsonNode d = root.get("default-docker");
      if (d != null && !d.isNull()) {
        if (defFrom != null) {
          throw new PolicyFormatException(what + ": \"default-docker\" is defined both in "
              + defFrom + " and " + f);
        }
        defFrom = f.toString();
        def = attachments(d, what + ": default-docker");
      }
      JsonNode ns = root.get("docker");
      if (ns != null && !ns.isNull()) {
        if (!ns.isObject()) {
          throw new PolicyFormatException(what + ": \"docker\" is not a mapping");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = ns.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          if (from.containsKey(e.getKey())) {
            throw new PolicyFormatException(what + ": docker namespace \"" + e.getKey()
                + "\" is defined both in " + from.get(e.getKey()) + " and " + f);
          }
          from.put(e.getKey(), f.toString());
          docker.put(e.getKey(), attachments(e.getValue(), what + ": docker." + e.getKey()));
        }
      }
    }
    return new RegistriesConfig(def, docker);
  }

  private static Boolean attachments(JsonNode n, String where) throws PolicyFormatException {
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isObject()) {
      throw new PolicyFormatException(where + " is not a mapping");
    }
    JsonNode v = n.has("use-sigstore-attachments") ? n.get("use-sigstore-attachments")
        : n.get("use-cosign-attachments");
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isBoolean()) {
      throw new PolicyFormatException(where + ": use-sigstore-attachments is not true or false");
    }
    return v.asBoolean();
  }

  /**
   * Whether cosign signature attachments are read for an image.
   *
   * @param ref the image; only registry images can have the setting
   * @return the setting of the most specific namespace, else {@code default-docker}'s, else false
   */
  public boolean useSigstoreAttachments(ImageReference ref) {
    return setting(ref).orElse(false);
  }

  private Optional<Boolean> setting(ImageReference ref) {
    if (!ref.isRegistry()) {
      return Optional.empty();
    }
    List<String> candidates = new ArrayList<>();
    candidates.add(PolicyScopes.identity(ref));
    candidates.addAll(PolicyScopes.namespaces(ref));
    for (String c : candidates) {
      Boolean b = docker.get(c);
      if (b != null) {
        return Optional.of(b);
      }
    }
    return Optional.ofNullable(defaultDocker);
  }
}
