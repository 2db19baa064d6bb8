package io.github.ostree4j.transport.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.cloud.tools.jib.hash.Digests;
import com.google.cloud.tools.jib.json.JsonTemplateMapper;
import io.github.ostree4j.oci.Digest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RawManifestTemplateTest {

  @Test
  void jibSerializesTheBytesVerbatim() throws Exception {
    String[] docs = {
      "{\"schemaVersion\":2}",
      "{ \"b\" : 1,\n\t\"a\" : [ ] }\n",
      "{\"escaped\":\"\\u0041\\/\\n\",\"unicode\":\"caf\u00e9 \u2603 \ud83d\ude00\",\"sep\":\"\u2028\"}",
      "  {\"trailing\": true}   \r\n",
    };
    for (String doc : docs) {
      byte[] bytes = doc.getBytes(StandardCharsets.UTF_8);
      RawManifestTemplate t = new RawManifestTemplate(bytes, "application/x-test");
      assertArrayEquals(bytes, JsonTemplateMapper.toByteArray(t), doc);
      assertEquals(Digest.sha256(bytes).toString(), Digests.computeJsonDigest(t).toString());
      assertEquals("application/x-test", t.getManifestMediaType());
    }
  }

  @Test
  void rejectsBytesThatAreNotUtf8() {
    assertThrows(IllegalArgumentException.class,
        () -> new RawManifestTemplate(new byte[] {'{', (byte) 0xc3, '}'}, "x"));
  }
}
