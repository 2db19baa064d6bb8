package io.github.ostree4j.oci;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class DigestStreamsTest {

  private static final byte[] DATA = TestImages.utf8("hello blob\n");
  // printf 'hello blob\n' | sha256sum
  private static final Digest DATA_DIGEST = Digest.sha256(DATA);

  @Test
  void digestingInputStreamCountsAndHashes() throws IOException {
    DigestingInputStream in = new DigestingInputStream(new ByteArrayInputStream(DATA));
    assertEquals('h', in.read());
    assertEquals(3, in.skip(3));
    in.readAllBytes();
    assertEquals(new BlobInfo(DATA_DIGEST, DATA.length), in.result());
    assertEquals("sha256:", in.digest().toString().substring(0, 7));
    assertFalse(in.markSupported());
  }

  @Test
  void digestingOutputStreamCountsAndHashes() throws IOException {
    ByteArrayOutputStream bo = new ByteArrayOutputStream();
    try (DigestingOutputStream out = new DigestingOutputStream(bo)) {
      out.write(DATA[0]);
      out.write(DATA, 1, DATA.length - 1);
      assertEquals(DATA_DIGEST, out.digest());
      assertEquals(DATA.length, out.size());
      assertThrows(IllegalStateException.class, () -> out.write(1));
    }
    assertArrayEquals(DATA, bo.toByteArray());
  }

  @Test
  void knownVector() {
    assertEquals("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        new DigestingInputStream(new ByteArrayInputStream(new byte[0])).digest().toString());
  }

  @Test
  void verifyingPassesMatchingContent() throws IOException {
    VerifyingInputStream in = new VerifyingInputStream(new ByteArrayInputStream(DATA), DATA_DIGEST, DATA.length);
    assertArrayEquals(DATA, in.readAllBytes());
    assertTrue(in.isVerified());
    assertEquals(-1, in.read());
    VerifyingInputStream unknownSize = new VerifyingInputStream(new ByteArrayInputStream(DATA), DATA_DIGEST, -1);
    unknownSize.verify();
    assertTrue(unknownSize.isVerified());
  }

  @Test
  void digestMismatchNamesBothDigests() {
    byte[] other = TestImages.utf8("hello blub\n");
    VerifyingInputStream in = new VerifyingInputStream(new ByteArrayInputStream(other), DATA_DIGEST, DATA.length);
    BlobVerificationException e = assertThrows(BlobVerificationException.class, in::readAllBytes);
    assertEquals("blob " + DATA_DIGEST + ": digest mismatch, got " + Digest.sha256(other), e.getMessage());
    assertEquals(DATA_DIGEST, e.expectedDigest());
    assertEquals(Digest.sha256(other), e.actualDigest());
    // the failure sticks
    assertThrows(BlobVerificationException.class, in::read);
  }

  @Test
  void shortContentIsASizeMismatch() {
    InputStream in = new VerifyingInputStream(new ByteArrayInputStream(DATA, 0, 4), DATA_DIGEST, DATA.length);
    BlobVerificationException e = assertThrows(BlobVerificationException.class, in::readAllBytes);
    assertEquals("blob " + DATA_DIGEST + ": size mismatch: expected " + DATA.length + " bytes, got 4", e.getMessage());
    assertNull(e.actualDigest());
    assertEquals(4, e.actualSize());
  }

  @Test
  void longContentFailsAsSoonAsItIsTooLong() throws IOException {
    byte[] big = new byte[1 << 20];
    VerifyingInputStream in = new VerifyingInputStream(new ByteArrayInputStream(big), DATA_DIGEST, 10);
    byte[] buf = new byte[8];
    assertEquals(8, in.read(buf));
    BlobVerificationException e = assertThrows(BlobVerificationException.class, () -> in.read(buf));
    assertEquals("blob " + DATA_DIGEST + ": size mismatch: expected 10 bytes, got at least 16", e.getMessage());
  }

  @Test
  void verifyDrainsTheRest() throws IOException {
    VerifyingInputStream in = new VerifyingInputStream(new ByteArrayInputStream(DATA), DATA_DIGEST, DATA.length);
    in.read(new byte[3]);
    assertFalse(in.isVerified());
    in.verify();
    assertTrue(in.isVerified());
    VerifyingInputStream bad = new VerifyingInputStream(new ByteArrayInputStream(DATA), Digest.sha256(new byte[1]), -1);
    bad.read(new byte[3]);
    assertThrows(BlobVerificationException.class, bad::verify);
  }

  @Test
  void sha512Descriptors() throws Exception {
    java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-512");
    Digest d = Digest.of(md);
    // digest of empty input
    VerifyingInputStream in = new VerifyingInputStream(new ByteArrayInputStream(new byte[0]), d, 0);
    in.verify();
    assertTrue(in.isVerified());
  }
}
