package io.github.ostree4j.transport.internal;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.util.RawValue;
import com.google.cloud.tools.jib.image.json.ManifestTemplate;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A jib manifest template that serializes to exactly the bytes it was given: jib's manifest push
 * writes templates with Jackson, and a {@link JsonValue} of type {@link RawValue} is written
 * verbatim. The bytes must be valid UTF-8 (JSON is), so that decoding and re-encoding them is the
 * identity.
 */
public final class RawManifestTemplate implements ManifestTemplate {

  private final transient String json;
  private final transient String mediaType;

  /**
   * Wraps manifest bytes.
   *
   * @param bytes the manifest, valid UTF-8
   * @param mediaType the Content-Type to push it with
   * @throws IllegalArgumentException when the bytes are not valid UTF-8
   */
  public RawManifestTemplate(byte[] bytes, String mediaType) {
    try {
      this.json = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("manifest is not valid UTF-8", e);
    }
    this.mediaType = mediaType;
  }

  /**
   * The manifest text, written raw by Jackson.
   *
   * @return the raw JSON value
   */
  @JsonValue
  public RawValue rawJson() {
    return new RawValue(json);
  }

  @Override
  public int getSchemaVersion() {
    return 2;
  }

  @Override
  public String getManifestMediaType() {
    return mediaType;
  }
}
