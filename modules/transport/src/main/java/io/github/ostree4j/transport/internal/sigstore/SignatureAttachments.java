package io.github.ostree4j.transport.internal.sigstore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ostree4j.oci.Descriptor;
import io.github.ostree4j.oci.Digest;
import io.github.ostree4j.oci.ImageManifest;
import io.github.ostree4j.oci.Json;
import io.github.ostree4j.oci.MediaTypes;
import io.github.ostree4j.oci.OciFormatException;
import io.github.ostree4j.oci.VerifyingInputStream;
import io.github.ostree4j.transport.ImageDestination;
import io.github.ostree4j.transport.ImageSource;
import io.github.ostree4j.transport.ManifestResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Signatures stored the way cosign stores them: for a manifest with digest {@code sha256:HEX}, an
 * OCI image manifest tagged {@code sha256-HEX.sig} in the same repository (or OCI layout) whose
 * layers are the payloads ({@value SimpleSigningPayload#MEDIA_TYPE}), each with the base64
 * signature in the {@value #SIGNATURE_ANNOTATION} annotation, and whose config lists the payload
 * digests as diff IDs. Another signature of the same image is appended as one more layer.
 */
public final class SignatureAttachments {

  /** The layer annotation holding the base64 signature. */
  public static final String SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";
  /** Upper bound of one payload, as containers-image bounds signatures (4 MiB). */
  public static final int MAX_PAYLOAD_SIZE = 4 << 20;
  /** Upper bound of the layers of one attachment that are read. */
  public static final int MAX_LAYERS = 128;

  /** The {@code created} value cosign writes in the history entry of an attachment config. */
  private static final String ZERO_TIME = "0001-01-01T00:00:00Z";

  /**
   * One layer of an attachment.
   *
   * @param mediaType the layer media type
   * @param payload the payload bytes (verified against the layer digest), or null for layers of
   *     another media type, which are not fetched
   * @param annotations the layer annotations
   */
  public record Layer(String mediaType, byte[] payload, Map<String, String> annotations) {}

  /**
   * An attachment as read.
   *
   * @param manifest the attachment manifest
   * @param layers its layers in order
   */
  public record Attachment(ManifestResponse manifest, List<Layer> layers) {}

  private SignatureAttachments() {}

  /**
   * The tag of the signature attachment of a manifest.
   *
   * @param manifestDigest the signed manifest's digest
   * @return {@code ALGORITHM-HEX.sig}
   */
  public static String tag(Digest manifestDigest) {
    return manifestDigest.algorithm() + "-" + manifestDigest.hex() + ".sig";
  }

  /**
   * Reads the signature attachment of a manifest.
   *
   * @param src where the image lives
   * @param manifestDigest the signed manifest's digest
   * @return the attachment, or empty when there is none
   * @throws IOException when it cannot be read or is malformed
   */
  public static Optional<Attachment> read(ImageSource src, Digest manifestDigest)
      throws IOException {
    String tag = tag(manifestDigest);
    Optional<ManifestResponse> m = src.taggedManifest(tag);
    if (m.isEmpty()) {
      return Optional.empty();
    }
    ImageManifest parsed = parse(m.get(), tag);
    if (parsed.layers().size() > MAX_LAYERS) {
      throw new IOException("signature attachment " + tag + " has " + parsed.layers().size()
          + " layers, more than " + MAX_LAYERS);
    }
    List<Layer> layers = new ArrayList<>();
    for (Descriptor d : parsed.layers()) {
      byte[] payload = null;
      if (SimpleSigningPayload.MEDIA_TYPE.equals(d.mediaType())) {
        payload = readBlob(src, d, tag);
      }
      layers.add(new Layer(d.mediaType(), payload, d.annotations()));
    }
    return Optional.of(new Attachment(m.get(), List.copyOf(layers)));
  }

  private static ImageManifest parse(ManifestResponse m, String tag) throws IOException {
    try {
      return ImageManifest.parse(m.bytes(), m.mediaType());
    } catch (OciFormatException e) {
      throw new IOException("signature attachment " + tag + ": " + e.getMessage(), e);
    }
  }

  private static byte[] readBlob(ImageSource src, Descriptor d, String tag) throws IOException {
    if (d.size() > MAX_PAYLOAD_SIZE) {
      throw new IOException("signature attachment " + tag + ": layer " + d.digest() + " is "
          + d.size() + " bytes, more than " + MAX_PAYLOAD_SIZE);
    }
    try (InputStream raw = src.openBlob(d);
        VerifyingInputStream in = new VerifyingInputStream(raw, d)) {
      byte[] b = in.readNBytes((int) d.size() + 1);
      in.verify();
      return b;
    }
  }

  /**
   * Adds a signature to the attachment of a manifest, creating the attachment if there is none:
   * writes the payload and the new config as blobs, then the attachment manifest under its tag.
   *
   * @param existing reads the current attachment (the same repository or layout as {@code dest})
   * @param dest where to write
   * @param manifestDigest the signed manifest's digest
   * @param payload the payload
   * @param annotations the layer annotations (at least {@value #SIGNATURE_ANNOTATION})
   * @param created the {@code created} time of a new attachment config (RFC 3339)
   * @return the digest of the attachment manifest written
   * @throws IOException when reading or writing fails
   */
  public static Digest append(ImageSource existing, ImageDestination dest, Digest manifestDigest,
      byte[] payload, Map<String, String> annotations, String created) throws IOException {
    String tag = tag(manifestDigest);
    Optional<ManifestResponse> current = existing.taggedManifest(tag);
    Digest payloadDigest = Digest.sha256(payload);
    ObjectNode config;
    ObjectNode manifest;
    if (current.isPresent()) {
      ImageManifest parsed = parse(current.get(), tag);
      manifest = parsed.json().deepCopy();
      byte[] cfg = readConfig(existing, parsed.config(), tag);
      config = Json.parseObject(cfg, "signature attachment " + tag + " config");
    } else {
      manifest = Json.object();
      manifest.put("schemaVersion", 2);
      manifest.put("mediaType", MediaTypes.OCI_MANIFEST);
      manifest.putObject("config");
      manifest.putArray("layers");
      config = Json.object();
      config.put("architecture", "");
      config.put("created", created);
      config.putArray("history").addObject().put("created", ZERO_TIME);
      config.put("os", "");
      config.putObject("rootfs").put("type", "layers").putArray("diff_ids");
      config.putObject("config");
    }
    JsonNode rootfs = config.get("rootfs");
    if (rootfs == null || !rootfs.isObject()) {
      rootfs = config.putObject("rootfs").put("type", "layers");
    }
    JsonNode ids = rootfs.get("diff_ids");
    ArrayNode diffIds = ids != null && ids.isArray() ? (ArrayNode) ids
        : ((ObjectNode) rootfs).putArray("diff_ids");
    diffIds.add(payloadDigest.toString());
    byte[] configBytes = Json.toBytes(config);
    Digest configDigest = Digest.sha256(configBytes);

    dest.putBlob(payloadDigest, payload.length, () -> new ByteArrayInputStream(payload), n -> { });
    dest.putBlob(configDigest, configBytes.length, () -> new ByteArrayInputStream(configBytes),
        n -> { });

    ObjectNode cd = Json.object();
    cd.put("mediaType", MediaTypes.OCI_CONFIG);
    cd.put("size", configBytes.length);
    cd.put("digest", configDigest.toString());
    manifest.set("config", cd);
    JsonNode ls = manifest.get("layers");
    ArrayNode layers = ls != null && ls.isArray() ? (ArrayNode) ls : manifest.putArray("layers");
    ObjectNode layer = layers.addObject();
    layer.put("mediaType", SimpleSigningPayload.MEDIA_TYPE);
    layer.put("size", payload.length);
    layer.put("digest", payloadDigest.toString());
    ObjectNode a = layer.putObject("annotations");
    new LinkedHashMap<>(annotations).forEach(a::put);
    byte[] manifestBytes = Json.toBytes(manifest);
    return dest.putTaggedManifest(manifestBytes, MediaTypes.OCI_MANIFEST, tag);
  }

  private static byte[] readConfig(ImageSource src, Descriptor d, String tag) throws IOException {
    if (d.size() > MAX_PAYLOAD_SIZE) {
      throw new IOException("signature attachment " + tag + ": config is larger than "
          + MAX_PAYLOAD_SIZE + " bytes");
    }
    return readBlob(src, d, tag);
  }
}
