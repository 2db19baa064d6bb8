package io.github.ostree4j.transport.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.ostree4j.oci.Json;
import io.github.ostree4j.oci.MediaTypes;
import java.io.IOException;
import java.util.Locale;

/** Media types of manifests whose transport does not say, or says something generic. */
public final class Manifests {

  private Manifests() {}

  /**
   * The media type of a manifest: {@code declared} unless it is missing or generic, else the
   * document's {@code mediaType}, else guessed from its fields.
   *
   * @param declared a Content-Type or descriptor media type, or null
   * @param body the manifest bytes
   * @return the media type
   */
  public static String mediaType(String declared, byte[] body) {
    String ct = declared == null ? "" : declared;
    int semi = ct.indexOf(';');
    if (semi >= 0) {
      ct = ct.substring(0, semi);
    }
    ct = ct.strip().toLowerCase(Locale.ROOT);
    boolean generic = ct.isEmpty() || ct.equals("application/json") || ct.equals("text/plain")
        || ct.equals("application/octet-stream");
    if (!generic) {
      return ct;
    }
    try {
      JsonNode n = Json.MAPPER.readTree(body);
      if (n != null && n.isObject()) {
        JsonNode mt = n.get("mediaType");
        if (mt != null && mt.isTextual() && !mt.asText().isEmpty()) {
          return mt.asText();
        }
        if (n.has("manifests")) {
          return MediaTypes.OCI_INDEX;
        }
        if (n.has("config")) {
          return MediaTypes.OCI_MANIFEST;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not JSON: keep the generic type
    }
    return ct.isEmpty() ? "application/octet-stream" : ct;
  }
}
