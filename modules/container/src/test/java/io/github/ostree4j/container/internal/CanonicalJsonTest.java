package io.github.ostree4j.container.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Canonical JSON against the examples of RFC 8785 (JSON Canonicalization Scheme). */
class CanonicalJsonTest {

  private static String canon(String json) throws IOException {
    return CanonicalJson.canonicalize(json.getBytes(StandardCharsets.UTF_8), "test");
  }

  @Test
  void rfc8785StringEscaping() throws Exception {
    // RFC 8785 section 3.2.2.2
    assertEquals("[\"\u20ac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"]",
        canon("[\"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\"]"));
  }

  @Test
  void rfc8785PropertySorting() throws Exception {
    // RFC 8785 section 3.2.3: sorted by UTF-16 code units
    String in = "{\"\\u20ac\":\"Euro Sign\",\"\\r\":\"Carriage Return\",\"\\ufb33\":\"Hebrew Letter Dalet With Dagesh\","
        + "\"1\":\"One\",\"\\ud83d\\ude00\":\"Emoji: Grinning Face\",\"\\u0080\":\"Control\",\"\\u00f6\":\"Latin Small Letter O With Diaeresis\"}";
    String expected = "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\",\"\u00f6\":\"Latin Small Letter O With Diaeresis\","
        + "\"\u20ac\":\"Euro Sign\",\"\ud83d\ude00\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}";
    assertEquals(expected, canon(in));
  }

  @Test
  void rfc8785NumberSerialization() {
    // RFC 8785 appendix B: IEEE 754 bit patterns and their ECMAScript form
    String[][] vectors = {
      {"0000000000000001", "5e-324"},
      {"8000000000000001", "-5e-324"},
      {"7fefffffffffffff", "1.7976931348623157e+308"},
      {"ffefffffffffffff", "-1.7976931348623157e+308"},
      {"4340000000000000", "9007199254740992"},
      {"c340000000000000", "-9007199254740992"},
      {"4430000000000000", "295147905179352830000"},
      {"44b52d02c7e14af5", "9.999999999999997e+22"},
      {"44b52d02c7e14af6", "1e+23"},
      {"44b52d02c7e14af7", "1.0000000000000001e+23"},
      {"444b1ae4d6e2ef4e", "999999999999999700000"},
      {"444b1ae4d6e2ef4f", "999999999999999900000"},
      {"444b1ae4d6e2ef50", "1e+21"},
      {"3eb0c6f7a0b5ed8c", "9.999999999999997e-7"},
      {"3eb0c6f7a0b5ed8d", "0.000001"},
      {"41b3de4355555553", "333333333.3333332"},
      {"41b3de4355555554", "333333333.33333325"},
      {"41b3de4355555555", "333333333.3333333"},
      {"41b3de4355555556", "333333333.3333334"},
      {"41b3de4355555557", "333333333.33333343"},
      {"becbf647612f3696", "-0.0000033333333333333333"},
      {"43143ff3c1cb0959", "1424953923781206.2"},
      {"0000000000000000", "0"},
      {"8000000000000000", "0"},
    };
    for (String[] v : vectors) {
      double d = Double.longBitsToDouble(Long.parseUnsignedLong(v[0], 16));
      assertEquals(v[1], CanonicalJson.ecmaScriptNumber(d), v[0]);
    }
  }

  @Test
  void whitespaceIsDroppedIntegersStayExact() throws Exception {
    assertEquals("{\"a\":[1,true,null,{\"b\":18446744073709551615}],\"z\":\"x\"}",
        canon("{ \"z\" : \"x\",\n  \"a\" : [ 1 , true , null , { \"b\" : 18446744073709551615 } ] }"));
  }

  @Test
  void invalidJsonIsRejected() {
    IOException e = assertThrows(IOException.class, () -> canon("{\"a\":1,\"a\":2}"));
    assertEquals(true, e.getMessage().startsWith("test is not valid JSON"), e.getMessage());
    assertThrows(IOException.class, () -> canon("{\"a\":1} {}"));
    assertThrows(IOException.class, () -> canon("{\"a\":"));
    assertThrows(IOException.class, () -> canon(""));
  }
}
