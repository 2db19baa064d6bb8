package io.github.ostree4j.transport.internal.sigstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.ostree4j.oci.Digest;
import io.github.ostree4j.oci.Json;
import io.github.ostree4j.oci.OciLayout;
import io.github.ostree4j.transport.ImageDestination;
import io.github.ostree4j.transport.ImageReference;
import io.github.ostree4j.transport.ImageSource;
import io.github.ostree4j.transport.ImageTransports;
import io.github.ostree4j.transport.TransportOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The payload and attachment bytes against what cosign 1.13.1 itself wrote when signing
 * docker.io/chihjenhuang/cosign1@sha256:4c1c50d0… (a published HTTP trace of {@code cosign sign
 * --key}): payload 252 bytes sha256:b671489e…, config 247 bytes sha256:85ad8e17…, manifest 558
 * bytes sha256:7ebe8964… under the tag {@code sha256-4c1c50d0….sig}.
 */
class CosignLayoutTest {

  static final Digest IMAGE =
      Digest.sha256Hex("4c1c50d0ffc614f90b93b07d778028dc765548e823f676fb027f61d281ac380d");
  static final String SIGNATURE = "MEYCIQCPH7NJAIfrB6BZN91dV0o7l/i11muXrvrAh100jDMMhAIhAPsLH0oXb2OPITXRpWBMUd3vHtz5Ks5pql2Hr6t/IJXw";
  static final String CREATED = "2023-02-17T09:25:33.91047962-08:00";

  @TempDir Path tmp;

  @Test
  void payloadIsByteForByteCosigns() {
    byte[] p = SimpleSigningPayload.cosign("index.docker.io/chihjenhuang/cosign1", IMAGE);
    assertEquals(252, p.length);
    assertEquals("sha256:b671489ededd1a180bd87235bba00fd83354f9c7d13b71d9f8b66a8e52965ebc",
        Digest.sha256(p).toString());
  }

  @Test
  void attachmentTagIsCosigns() {
    assertEquals("sha256-4c1c50d0ffc614f90b93b07d778028dc765548e823f676fb027f61d281ac380d.sig",
        SignatureAttachments.tag(IMAGE));
  }

  @Test
  void newAttachmentIsByteForByteCosigns() throws Exception {
    Path dir = tmp.resolve("layout");
    OciLayout.create(dir);
    ImageReference ref = ImageReference.parse("oci:" + dir);
    byte[] payload = SimpleSigningPayload.cosign("index.docker.io/chihjenhuang/cosign1", IMAGE);
    Digest written;
    try (ImageSource src = ImageTransports.openSource(ref, TransportOptions.defaults());
        ImageDestination dst = ImageTransports.openDestination(ref, TransportOptions.defaults())) {
      written = SignatureAttachments.append(src, dst, IMAGE, payload,
          Map.of(SignatureAttachments.SIGNATURE_ANNOTATION, SIGNATURE), CREATED);
    }
    assertEquals("sha256:7ebe8964225fa4619b53aa35416ef0246c037e36ddf81776b21b15e1dda2262b",
        written.toString());
    OciLayout layout = OciLayout.open(dir);
    assertTrue(layout.hasBlob(Digest.sha256Hex(
        "85ad8e17d3d7c00664855c638832bd99f32d42542c2d587851410a45a7f60b95")));
    assertEquals(written, layout.findManifest(SignatureAttachments.tag(IMAGE)).digest());

    try (ImageSource src = ImageTransports.openSource(ref, TransportOptions.defaults())) {
      SignatureAttachments.Attachment a = SignatureAttachments.read(src, IMAGE).orElseThrow();
      assertEquals(1, a.layers().size());
      assertArrayEquals(payload, a.layers().get(0).payload());
      assertEquals(SIGNATURE,
          a.layers().get(0).annotations().get(SignatureAttachments.SIGNATURE_ANNOTATION));
      assertEquals(Optional.empty(), SignatureAttachments.read(src, Digest.sha256(new byte[1])));
    }
  }

  @Test
  void secondSignatureIsAppendedAsALayer() throws Exception {
    Path dir = tmp.resolve("layout2");
    OciLayout.create(dir);
    ImageReference ref = ImageReference.parse("oci:" + dir);
    byte[] p1 = SimpleSigningPayload.cosign("example.com/a", IMAGE);
    byte[] p2 = "{\"other\":true}".getBytes(StandardCharsets.UTF_8);
    for (byte[] p : new byte[][] {p1, p2}) {
      try (ImageSource src = ImageTransports.openSource(ref, TransportOptions.defaults());
          ImageDestination dst = ImageTransports.openDestination(ref, TransportOptions.defaults())) {
        SignatureAttachments.append(src, dst, IMAGE, p,
            Map.of(SignatureAttachments.SIGNATURE_ANNOTATION, "c2ln"), CREATED);
      }
    }
    try (ImageSource src = ImageTransports.openSource(ref, TransportOptions.defaults())) {
      SignatureAttachments.Attachment a = SignatureAttachments.read(src, IMAGE).orElseThrow();
      assertEquals(2, a.layers().size());
      assertArrayEquals(p1, a.layers().get(0).payload());
      assertArrayEquals(p2, a.layers().get(1).payload());
      JsonNode m = Json.MAPPER.readTree(a.manifest().bytes());
      JsonNode cfgDesc = m.get("config");
      OciLayout layout = OciLayout.open(dir);
      JsonNode cfg = Json.MAPPER.readTree(layout.readBlobBytes(
          Digest.parse(cfgDesc.get("digest").asText()), 1 << 20));
      assertEquals(Digest.sha256(p1).toString(), cfg.path("rootfs").path("diff_ids").get(0).asText());
      assertEquals(Digest.sha256(p2).toString(), cfg.path("rootfs").path("diff_ids").get(1).asText());
      assertEquals(CREATED, cfg.path("created").asText());
      // one image entry for the attachment: the second write replaced the first under the tag
      assertEquals(1, layout.index().manifests().size());
    }
  }

  @Test
  void strictPayloadParsing() throws Exception {
    SimpleSigningPayload ok = SimpleSigningPayload.parse(
        SimpleSigningPayload.cosign("quay.io/x/os", IMAGE));
    assertEquals("quay.io/x/os", ok.dockerReference());
    assertEquals(IMAGE.toString(), ok.manifestDigest());
    SimpleSigningPayload withOptional = SimpleSigningPayload.parse(utf8(
        "{\"critical\":{\"identity\":{\"docker-reference\":\"quay.io/x/os:1\"},"
            + "\"image\":{\"docker-manifest-digest\":\"sha256:00\"},"
            + "\"type\":\"cosign container image signature\"},"
            + "\"optional\":{\"creator\":\"containers/image 5.24\",\"timestamp\":1700000000,\"x\":1}}"));
    assertEquals(Optional.of("containers/image 5.24"), withOptional.creator());
    assertEquals(Optional.of(1700000000L), withOptional.timestamp());
    for (String bad : new String[] {
        "{\"critical\":{\"identity\":{\"docker-reference\":\"a\"},\"image\":{\"docker-manifest-digest\":\"d\"},"
            + "\"type\":\"atomic container signature\"},\"optional\":null}",
        "{\"critical\":{\"identity\":{\"docker-reference\":\"a\"},\"image\":{\"docker-manifest-digest\":\"d\"},"
            + "\"type\":\"cosign container image signature\",\"extra\":1},\"optional\":null}",
        "{\"critical\":{\"identity\":{\"docker-reference\":\"a\"},\"image\":{\"docker-manifest-digest\":\"d\"},"
            + "\"type\":\"cosign container image signature\"}}",
        "{\"critical\":{\"identity\":{\"docker-reference\":\"a\"},\"image\":{\"docker-manifest-digest\":\"d\"},"
            + "\"type\":\"cosign container image signature\"},\"optional\":{\"timestamp\":1.5}}",
        "{\"critical\":{\"identity\":{\"docker-reference\":\"a\",\"docker-reference\":\"b\"},"
            + "\"image\":{\"docker-manifest-digest\":\"d\"},\"type\":\"cosign container image signature\"},"
            + "\"optional\":null}",
        "[]"}) {
      assertThrows(IOException.class, () -> SimpleSigningPayload.parse(utf8(bad)), bad);
    }
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
