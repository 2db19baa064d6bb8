package io.github.ostree4j.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.github.ostree4j.transport.internal.sigstore.SecretBoxTest;
import org.junit.jupiter.api.Test;

/** The tests' own secretbox agrees with NaCl's published vector, so it can stand in for cosign's. */
class TestSecretBoxTest {

  @Test
  void independentSecretboxMatchesTheNaclVector() {
    assertArrayEquals(SecretBoxTest.BOX,
        TestSecretBox.seal(SecretBoxTest.KEY, SecretBoxTest.NONCE, SecretBoxTest.MESSAGE));
  }
}
