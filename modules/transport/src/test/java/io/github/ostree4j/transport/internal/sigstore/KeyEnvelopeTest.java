package io.github.ostree4j.transport.internal.sigstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.ostree4j.oci.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import org.bouncycastle.crypto.generators.SCrypt;
import org.junit.jupiter.api.Test;

/**
 * The cosign key envelope. Golden data: the envelopes in go-securesystemslib's
 * encrypted/encrypted_test.go (written by that Go implementation, which cosign uses; passphrase
 * "supersecret", plaintext "reallyimportant"), and scrypt's RFC 7914 section 12 vectors.
 */
class KeyEnvelopeTest {

  static final char[] PASSWORD = "supersecret".toCharArray();
  static final byte[] PLAINTEXT = "reallyimportant".getBytes(StandardCharsets.UTF_8);

  static final String DECRYPT_VECTOR = "{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":32768,\"r\":8,\"p\":1},"
      + "\"salt\":\"N9a7x5JFGbrtB2uBR81jPwp0eiLR4A7FV3mjVAQrg1g=\"},\"cipher\":{\"name\":\"nacl/secretbox\","
      + "\"nonce\":\"2h8HxMmgRfuYdpswZBQaU3xJ1nkA/5Ik\"},\"ciphertext\":\"SEW6sUh0jf2wfdjJGPNS9+bkk2uB+Cxamf32zR8XkQ==\"}";
  static final String LEGACY = "{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":32768,\"r\":8,\"p\":1},"
      + "\"salt\":\"WO3mVvyTwJ9vwT5/Tk5OW5WPIBUofMjcpEfrLnfY4uA=\"},\"cipher\":{\"name\":\"nacl/secretbox\","
      + "\"nonce\":\"tCy7HcTFr4uxv4Nrg/DWmncuZ148U1MX\"},\"ciphertext\":\"08n43p5G5yviPEZpO7tPPF4aZQkWiWjkv4taFdhDBA0tamKH4nw=\"}";
  static final String STANDARD = "{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":65536,\"r\":8,\"p\":1},"
      + "\"salt\":\"FhzPOt9/bJG4PTq6lQ6ecG6GzaOuOy/ynG5+yRiFlNs=\"},\"cipher\":{\"name\":\"nacl/secretbox\","
      + "\"nonce\":\"aw1ng1jHaDz/tQ7V2gR9O2+IGQ8xJEuE\"},\"ciphertext\":\"HycvuLZL4sYH0BrYTh4E/H20VtAW6u5zL5Pr+IBjYLYnCPzDkq8=\"}";
  static final String OWASP = "{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":131072,\"r\":8,\"p\":1},"
      + "\"salt\":\"m38E3kouJTtiheLQN22NQ8DTito5hrjpUIskqcd375k=\"},\"cipher\":{\"name\":\"nacl/secretbox\","
      + "\"nonce\":\"Y6PM13yA+o44pE/W1ZBwczeGnTV/m9Zc\"},\"ciphertext\":\"6H8sqj1K6B6yDjtH5AQ6lbFigg/C2yDDJc4rYJ79w9aVPImFIPI=\"}";
  static final String UNSUPPORTED = "{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":99,\"r\":99,\"p\":99},"
      + "\"salt\":\"cZFcQJdwPhPyhU1R4qkl0qVOIjZd4V/7LYYAavq166k=\"},\"cipher\":{\"name\":\"nacl/secretbox\","
      + "\"nonce\":\"7vhRS7j0hEPBWV05skAdgLj81AkGeE7U\"},\"ciphertext\":\"6WYU/YSXVbYzl/NzaeAzmjLyfFhOOjLc0d8/GFV0aBFdJvyCcXc=\"}";

  /**
   * The KDF vectors were written by Marshal, which JSON-encodes the value first: a []byte becomes
   * a quoted base64 string.
   */
  static final byte[] MARSHALLED = ("\"" + java.util.Base64.getEncoder().encodeToString(PLAINTEXT)
      + "\"").getBytes(StandardCharsets.UTF_8);

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void scryptMatchesRfc7914() {
    HexFormat hex = HexFormat.of();
    assertEquals("77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442"
        + "fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906",
        hex.formatHex(SCrypt.generate(new byte[0], new byte[0], 16, 1, 1, 64)));
    assertEquals("7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2"
        + "d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887",
        hex.formatHex(SCrypt.generate(utf8("pleaseletmein"), utf8("SodiumChloride"),
            16384, 8, 1, 64)));
  }

  @Test
  void decryptsEnvelopesWrittenByGoSecuresystemslib() throws Exception {
    assertArrayEquals(PLAINTEXT, KeyEnvelope.decrypt(utf8(DECRYPT_VECTOR), PASSWORD));
    assertArrayEquals(MARSHALLED, KeyEnvelope.decrypt(utf8(LEGACY), PASSWORD));
    assertArrayEquals(MARSHALLED, KeyEnvelope.decrypt(utf8(STANDARD), PASSWORD));
    assertArrayEquals(MARSHALLED, KeyEnvelope.decrypt(utf8(OWASP), PASSWORD));
  }

  @Test
  void unsupportedParametersAreRefusedBeforeDeriving() {
    IOException e = assertThrows(IOException.class,
        () -> KeyEnvelope.decrypt(utf8(UNSUPPORTED), PASSWORD));
    assertTrue(e.getMessage().contains("unsupported scrypt parameters N=99 r=99 p=99"),
        e.getMessage());
  }

  @Test
  void wrongPasswordFails() {
    assertThrows(GeneralSecurityException.class,
        () -> KeyEnvelope.decrypt(utf8(LEGACY), "supersecreT".toCharArray()));
  }

  @Test
  void writesCosignParametersAndRoundTrips() throws Exception {
    byte[] env = KeyEnvelope.encrypt(PLAINTEXT, PASSWORD);
    JsonNode n = Json.MAPPER.readTree(env);
    assertEquals(32768, n.path("kdf").path("params").path("N").asInt());
    assertEquals(8, n.path("kdf").path("params").path("r").asInt());
    assertEquals(1, n.path("kdf").path("params").path("p").asInt());
    assertEquals("nacl/secretbox", n.path("cipher").path("name").asText());
    assertEquals(24, java.util.Base64.getDecoder().decode(n.path("cipher").path("nonce").asText()).length);
    assertEquals(32, java.util.Base64.getDecoder().decode(n.path("kdf").path("salt").asText()).length);
    assertArrayEquals(PLAINTEXT, KeyEnvelope.decrypt(env, PASSWORD));
  }

  @Test
  void fixedSaltAndNonceReproduceTheGoEnvelope() throws Exception {
    // Same salt and nonce as the Legacy vector: the ciphertext must be the one Go wrote.
    JsonNode v = Json.MAPPER.readTree(LEGACY);
    byte[] salt = java.util.Base64.getDecoder().decode(v.path("kdf").path("salt").asText());
    byte[] nonce = java.util.Base64.getDecoder().decode(v.path("cipher").path("nonce").asText());
    byte[] ours = KeyEnvelope.encrypt(MARSHALLED, PASSWORD, salt, nonce);
    assertEquals(LEGACY, new String(ours, StandardCharsets.UTF_8));
  }
}
