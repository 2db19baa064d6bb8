package io.github.ostree4j.transport.internal.sigstore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ostree4j.oci.Digest;
import io.github.ostree4j.oci.Json;
import io.github.ostree4j.oci.OciFormatException;
import java.io.IOException;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;

/**
 * The payload a cosign signature signs: which image (manifest digest) under which name (docker
 * reference).
 *
 * <pre>{@code
 * {"critical":{"identity":{"docker-reference":"HOST/REPO"},
 *              "image":{"docker-manifest-digest":"sha256:…"},
 *              "type":"cosign container image signature"},
 *  "optional":null}
 * }</pre>
 *
 * <p>{@link #cosign} writes exactly the bytes cosign writes (keys in this order, no spaces, {@code
 * optional} null). {@link #parse} is as strict as containers-image: {@code critical} and its parts
 * must have exactly these fields; {@code optional} may be null or an object whose {@code creator}
 * and integer {@code timestamp} are read and other fields ignored.
 *
 * @param dockerReference the signed identity, not yet checked against anything
 * @param manifestDigest the signed manifest digest, not yet checked against anything
 * @param creator {@code optional.creator}, if given
 * @param timestamp {@code optional.timestamp} (seconds since the epoch), if given
 */
public record SimpleSigningPayload(String dockerReference, String manifestDigest,
    Optional<String> creator, Optional<Long> timestamp) {

  /** The media type of payload layers in a signature attachment. */
  public static final String MEDIA_TYPE = "application/vnd.dev.cosign.simplesigning.v1+json";
  /** The value of {@code critical.type}. */
  public static final String TYPE = "cosign container image signature";

  /**
   * The payload cosign writes for an image.
   *
   * @param dockerReference e.g. {@code quay.io/example/os} (cosign signs the repository, no tag)
   * @param manifestDigest the manifest digest
   * @return the JSON bytes
   */
  public static byte[] cosign(String dockerReference, Digest manifestDigest) {
    ObjectNode root = Json.object();
    ObjectNode critical = root.putObject("critical");
    critical.putObject("identity").put("docker-reference", dockerReference);
    critical.putObject("image").put("docker-manifest-digest", manifestDigest.toString());
    critical.put("type", TYPE);
    root.putNull("optional");
    return Json.toBytes(root);
  }

  /**
   * Parses a payload strictly.
   *
   * @param bytes the payload
   * @return the untrusted content
   * @throws IOException with the reason when the payload is not a cosign simple-signing payload
   */
  public static SimpleSigningPayload parse(byte[] bytes) throws IOException {
    ObjectNode root;
    try {
      root = Json.parseObject(bytes, "the signature payload");
    } catch (OciFormatException e) {
      throw new IOException(e.getMessage(), e);
    }
    exactFields(root, "payload", Set.of("critical", "optional"));
    JsonNode critical = root.get("critical");
    if (!critical.isObject()) {
      throw new IOException("payload field critical is not an object");
    }
    exactFields(critical, "critical", Set.of("type", "image", "identity"));
    String type = text(critical.get("type"), "critical.type");
    if (!type.equals(TYPE)) {
      throw new IOException("unrecognized signature type '" + type + "'");
    }
    JsonNode image = critical.get("image");
    exactFields(image, "critical.image", Set.of("docker-manifest-digest"));
    String digest = text(image.get("docker-manifest-digest"),
        "critical.image.docker-manifest-digest");
    JsonNode identity = critical.get("identity");
    exactFields(identity, "critical.identity", Set.of("docker-reference"));
    String ref = text(identity.get("docker-reference"), "critical.identity.docker-reference");
    JsonNode optional = root.get("optional");
    Optional<String> creator = Optional.empty();
    Optional<Long> timestamp = Optional.empty();
    if (!optional.isNull()) {
      if (!optional.isObject()) {
        throw new IOException("payload field optional is neither null nor an object");
      }
      if (optional.has("creator")) {
        creator = Optional.of(text(optional.get("creator"), "optional.creator"));
      }
      if (optional.has("timestamp")) {
        JsonNode t = optional.get("timestamp");
        if (!t.isNumber() || t.asDouble() != Math.rint(t.asDouble())) {
          throw new IOException("field optional.timestamp is not an integer");
        }
        timestamp = Optional.of(t.asLong());
      }
    }
    return new SimpleSigningPayload(ref, digest, creator, timestamp);
  }

  private static void exactFields(JsonNode n, String what, Set<String> names) throws IOException {
    if (n == null || !n.isObject()) {
      throw new IOException("payload field " + what + " is not an object");
    }
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!names.contains(f)) {
        throw new IOException("payload field " + what + " has unexpected field '" + f + "'");
      }
    }
    for (String f : names) {
      if (!n.has(f)) {
        throw new IOException("payload field " + what + " lacks field '" + f + "'");
      }
    }
  }

  private static String text(JsonNode n, String what) throws IOException {
    if (n == null || !n.isTextual()) {
      throw new IOException("payload field " + what + " is not a string");
    }
    return n.asText();
  }
}
