package io.github.ostree4j.transport;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.ostree4j.oci.Json;
import io.github.ostree4j.transport.internal.sigstore.PolicyScopes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A containers-policy.json(5): which images may be used, per transport and scope.
 *
 * <pre>{@code
 * {"default": [{"type": "reject"}],
 *  "transports": {"docker": {
 *     "quay.io/example/os": [{"type": "sigstoreSigned", "keyPath": "/etc/pki/containers/os.pub",
 *                             "signedIdentity": {"type": "matchRepository"}}],
 *     "": [{"type": "insecureAcceptAnything"}]}}}
 * }</pre>
 *
 * <p>The requirements for an image are those of its most specific scope in its transport's
 * section ({@link #scopeFor}); else the transport's {@code ""} scope; else {@code default}.
 * Requirement types: {@code insecureAcceptAnything}, {@code reject}, {@code sigstoreSigned} with
 * {@code keyPath}, {@code keyPaths}, {@code keyData} or {@code keyDatas} (base64 of the PEM) and
 * an optional {@code signedIdentity}; {@code signedBy} and the Fulcio, PKI and Rekor forms of
 * {@code sigstoreSigned} load but refuse images (see {@link PolicyRequirement.Unsupported}).
 * Parsing is strict as in containers-image: unknown fields, empty requirement lists and a missing
 * {@code default} are errors.
 */
public final class SignaturePolicy {

  /** The system policy. */
  public static final Path SYSTEM_PATH = Path.of("/etc/containers/policy.json");

  private final String source;
  private final List<PolicyRequirement> defaults;
  private final Map<String, Map<String, List<PolicyRequirement>>> transports;

  /**
   * The requirements that apply to an image, and where in the policy they come from.
   *
   * @param name e.g. {@code default} or {@code transports.docker["quay.io/example/os"]}
   * @param requirements the requirements, all of which must accept the image
   */
  public record Scope(String name, List<PolicyRequirement> requirements) {

    /**
     * Whether these requirements accept any image: all are {@code insecureAcceptAnything}.
     *
     * @return true when nothing is verified
     */
    public boolean acceptsAnything() {
      return requirements.stream()
          .allMatch(r -> r instanceof PolicyRequirement.InsecureAcceptAnything);
    }
  }

  private SignaturePolicy(String source, List<PolicyRequirement> defaults,
      Map<String, Map<String, List<PolicyRequirement>>> transports) {
    this.source = source;
    this.defaults = defaults;
    this.transports = transports;
  }

  /**
   * The policy file used when none is named: {@code $HOME/.config/containers/policy.json} if it
   * exists, else {@link #SYSTEM_PATH} ({@code /etc/containers/policy.json}), as containers-image
   * chooses.
   *
   * @return the path
   */
  public static Path defaultPath() {
    String home = System.getProperty("user.home");
    if (home != null && !home.isEmpty()) {
      Path user = Path.of(home, ".config", "containers", "policy.json");
      if (Files.isRegularFile(user)) {
        return user;
      }
    }
    return SYSTEM_PATH;
  }

  /**
   * Reads a policy file.
   *
   * @param file the file
   * @return the policy
   * @throws NoSuchFileException when the file does not exist
   * @throws PolicyFormatException when it is not a valid policy
   * @throws IOException when it cannot be read
   */
  public static SignaturePolicy load(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    return parse(bytes, file.toString());
  }

  /**
   * Parses a policy.
   *
   * @param json the JSON text
   * @param source where it came from, for messages
   * @return the policy
   * @throws PolicyFormatException when it is not a valid policy
   */
  public static SignaturePolicy parse(byte[] json, String source) throws PolicyFormatException {
    String what = "reading policy " + source;
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new PolicyFormatException(what + ": not valid JSON: " + firstLine(e.getMessage()), e);
    }
    if (root == null || !root.isObject()) {
      throw new PolicyFormatException(what + ": not a JSON object");
    }
    onlyFields(root, Set.of("default", "transports"), what);
    if (!root.has("default")) {
      throw new PolicyFormatException(what + ": \"default\" is missing");
    }
    List<PolicyRequirement> defaults = requirements(root.get("default"), what + ": default");
    Map<String, Map<String, List<PolicyRequirement>>> transports = new LinkedHashMap<>();
    JsonNode ts = root.get("transports");
    if (ts != null && !ts.isNull()) {
      if (!ts.isObject()) {
        throw new PolicyFormatException(what + ": \"transports\" is not an object");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = ts.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> t = it.next();
        String where = what + ": transports." + t.getKey();
        if (!t.getValue().isObject()) {
          throw new PolicyFormatException(where + " is not an object");
        }
        Map<String, List<PolicyRequirement>> scopes = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> si = t.getValue().fields(); si.hasNext(); ) {
          Map.Entry<String, JsonNode> s = si.next();
          String scopeWhere = where + "[\"" + s.getKey() + "\"]";
          checkScope(t.getKey(), s.getKey(), scopeWhere);
          scopes.put(s.getKey(), requirements(s.getValue(), scopeWhere));
        }
        transports.put(t.getKey(), scopes);
      }
    }
    return new SignaturePolicy(source, defaults, transports);
  }

  private static void checkScope(String transport, String scope, String where)
      throws PolicyFormatException {
    if (scope.contains("://")) {
      throw new PolicyFormatException(where + ": a scope names an image without its transport"
          + " prefix (e.g. quay.io/example/os, not docker://quay.io/example/os)");
    }
    if ((transport.equals("oci") || transport.equals("oci-archive")) && !scope.isEmpty()
        && !scope.startsWith("/")) {
      throw new PolicyFormatException(where + ": scopes of " + transport + " must be absolute"
          + " paths");
    }
  }

  private static List<PolicyRequirement> requirements(JsonNode n, String where)
      throws PolicyFormatException {
    if (n == null || !n.isArray()) {
      throw new PolicyFormatException(where + " is not a list of requirements");
    }
    if (n.isEmpty()) {
      throw new PolicyFormatException(where + ": a list of requirements must not be empty");
    }
    List<PolicyRequirement> out = new ArrayList<>();
    int i = 0;
    for (JsonNode r : n) {
      out.add(requirement(r, where + "[" + i++ + "]"));
    }
    return List.copyOf(out);
  }

  private static PolicyRequirement requirement(JsonNode r, String where)
      throws PolicyFormatException {
    if (!r.isObject()) {
      throw new PolicyFormatException(where + " is not an object");
    }
    JsonNode t = r.get("type");
    if (t == null || !t.isTextual()) {
      throw new PolicyFormatException(where + " has no \"type\"");
    }
    switch (t.asText()) {
      case "insecureAcceptAnything":
        onlyFields(r, Set.of("type"), where);
        return new PolicyRequirement.InsecureAcceptAnything();
      case "reject":
        onlyFields(r, Set.of("type"), where);
        return new PolicyRequirement.Reject();
      case "signedBy":
        onlyFields(r, Set.of("type", "keyType", "keyPath", "keyPaths", "keyData",
            "signedIdentity"), where);
        return new PolicyRequirement.Unsupported("signedBy",
            "signedBy (GPG simple signing)");
      case "sigstoreSigned":
        return sigstore(r, where);
      default:
        throw new PolicyFormatException(where + ": unknown requirement type \"" + t.asText()
            + "\" (expected insecureAcceptAnything, reject, signedBy or sigstoreSigned)");
    }
  }

  private static PolicyRequirement sigstore(JsonNode r, String where)
      throws PolicyFormatException {
    onlyFields(r, Set.of("type", "keyPath", "keyPaths", "keyData", "keyDatas", "fulcio", "pki",
        "rekorPublicKeyPath", "rekorPublicKeyPaths", "rekorPublicKeyData", "rekorPublicKeyDatas",
        "signedIdentity"), where);
    int sources = 0;
    for (String f : List.of("keyPath", "keyPaths", "keyData", "keyDatas", "fulcio", "pki")) {
      if (r.has(f)) {
        sources++;
      }
    }
    if (sources != 1) {
      throw new PolicyFormatException(where + ": exactly one of keyPath, keyPaths, keyData,"
          + " keyDatas, fulcio and pki must be specified");
    }
    SignedIdentity identity = r.has("signedIdentity")
        ? signedIdentity(r.get("signedIdentity"), where + ".signedIdentity")
        : new SignedIdentity.MatchRepoDigestOrExact();
    if (r.has("fulcio")) {
      return new PolicyRequirement.Unsupported("sigstoreSigned", "sigstoreSigned with fulcio");
    }
    if (r.has("pki")) {
      return new PolicyRequirement.Unsupported("sigstoreSigned", "sigstoreSigned with pki");
    }
    for (String f : List.of("rekorPublicKeyPath", "rekorPublicKeyPaths", "rekorPublicKeyData",
        "rekorPublicKeyDatas")) {
      if (r.has(f)) {
        return new PolicyRequirement.Unsupported("sigstoreSigned", "sigstoreSigned with " + f);
      }
    }
    List<String> paths = new ArrayList<>();
    List<byte[]> data = new ArrayList<>();
    if (r.has("keyPath")) {
      paths.add(string(r.get("keyPath"), where + ".keyPath"));
    }
    if (r.has("keyPaths")) {
      for (JsonNode p : nonEmptyList(r.get("keyPaths"), where + ".keyPaths")) {
        paths.add(string(p, where + ".keyPaths"));
      }
    }
    if (r.has("keyData")) {
      data.add(base64(r.get("keyData"), where + ".keyData"));
    }
    if (r.has("keyDatas")) {
      for (JsonNode d : nonEmptyList(r.get("keyDatas"), where + ".keyDatas")) {
        data.add(base64(d, where + ".keyDatas"));
      }
    }
    for (String p : paths) {
      if (p.isEmpty()) {
        throw new PolicyFormatException(where + ": an empty key path");
      }
    }
    return new PolicyRequirement.SigstoreSigned(paths, data, identity);
  }

  private static SignedIdentity signedIdentity(JsonNode n, String where)
      throws PolicyFormatException {
    if (!n.isObject()) {
      throw new PolicyFormatException(where + " is not an object");
    }
    String type = string(n.get("type"), where + ".type");
    switch (type) {
      case "matchExact":
        onlyFields(n, Set.of("type"), where);
        return new SignedIdentity.MatchExact();
      case "matchRepoDigestOrExact":
        onlyFields(n, Set.of("type"), where);
        return new SignedIdentity.MatchRepoDigestOrExact();
      case "matchRepository":
        onlyFields(n, Set.of("type"), where);
        return new SignedIdentity.MatchRepository();
      case "exactReference":
        onlyFields(n, Set.of("type", "dockerReference"), where);
        return new SignedIdentity.ExactReference(
            string(n.get("dockerReference"), where + ".dockerReference"));
      case "exactRepository":
        onlyFields(n, Set.of("type", "dockerRepository"), where);
        return new SignedIdentity.ExactRepository(
            string(n.get("dockerRepository"), where + ".dockerRepository"));
      case "remapIdentity":
        onlyFields(n, Set.of("type", "prefix", "signedPrefix"), where);
        return new SignedIdentity.RemapIdentity(string(n.get("prefix"), where + ".prefix"),
            string(n.get("signedPrefix"), where + ".signedPrefix"));
      default:
        throw new PolicyFormatException(where + ": unknown signedIdentity type \"" + type + "\"");
    }
  }

  private static JsonNode nonEmptyList(JsonNode n, String where) throws PolicyFormatException {
    if (!n.isArray() || n.isEmpty()) {
      throw new PolicyFormatException(where + " is not a non-empty list");
    }
    return n;
  }

  private static String string(JsonNode n, String where) throws PolicyFormatException {
    if (n == null || !n.isTextual()) {
      throw new PolicyFormatException(where + " is missing or not a string");
    }
    return n.asText();
  }

  private static byte[] base64(JsonNode n, String where) throws PolicyFormatException {
    try {
      return Base64.getDecoder().decode(string(n, where));
    } catch (IllegalArgumentException e) {
      throw new PolicyFormatException(where + " is not base64 (the PEM file, base64-encoded)");
    }
  }

  private static void onlyFields(JsonNode n, Set<String> allowed, String where)
      throws PolicyFormatException {
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!allowed.contains(f)) {
        throw new PolicyFormatException(where + ": unknown field \"" + f + "\"");
      }
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /**
   * Where the policy came from.
   *
   * @return the file name or description given when parsing
   */
  public String source() {
    return source;
  }

  /**
   * The {@code default} requirements.
   *
   * @return the default scope
   */
  public Scope defaultScope() {
    return new Scope("default", defaults);
  }

  /**
   * The requirements that apply to an image: its own scope, else its enclosing namespaces (most
   * specific first), else the transport's {@code ""} scope, else {@code default}.
   *
   * @param ref the image
   * @return the scope and its requirements
   */
  public Scope scopeFor(ImageReference ref) {
    String transport = ref.transport().transportName();
    Map<String, List<PolicyRequirement>> scopes = transports.get(transport);
    if (scopes != null) {
      String identity = PolicyScopes.identity(ref);
      List<String> candidates = new ArrayList<>();
      if (!identity.isEmpty()) {
        candidates.add(identity);
      }
      candidates.addAll(PolicyScopes.namespaces(ref));
      candidates.add("");
      for (String c : candidates) {
        List<PolicyRequirement> r = scopes.get(c);
        if (r != null) {
          return new Scope("transports." + transport + "[\"" + c + "\"]", r);
        }
      }
    }
    return defaultScope();
  }

  @Override
  public String toString() {
    return "SignaturePolicy[" + source + "]";
  }
}
