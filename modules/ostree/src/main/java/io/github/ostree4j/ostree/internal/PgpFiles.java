package io.github.ostree4j.ostree.internal;

import io.github.ostree4j.ostree.GpgException;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.gpg.keybox.KeyBlob;
import org.bouncycastle.gpg.keybox.PublicKeyRingBlob;
import org.bouncycastle.gpg.keybox.bc.BcKeyBox;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;

/**
 * Reads OpenPGP key material as GnuPG leaves it: keybox files ({@code pubring.kbx}), binary
 * keyrings ({@code pubring.gpg}, {@code trustedkeys.gpg}, {@code gpg --export}) and ASCII-armored
 * exports. Trust and other packets between keys are skipped.
 */
public final class PgpFiles {

  /** Upper bound of a key file read whole (64 MiB). */
  public static final int MAX_FILE_SIZE = 64 << 20;

  private PgpFiles() {}

  /**
   * The public key rings of a file.
   *
   * @param file a keybox, binary keyring or armored export
   * @return the rings in file order
   * @throws GpgException when the file is not OpenPGP key material
   * @throws IOException when it cannot be read
   */
  public static List<PGPPublicKeyRing> publicRings(Path file) throws IOException {
    byte[] bytes = read(file);
    String what = "reading OpenPGP keys from " + file;
    List<PGPPublicKeyRing> out = new ArrayList<>();
    if (isKeybox(bytes)) {
      try {
        for (KeyBlob b : new BcKeyBox(bytes).getKeyBlobs()) {
          if (b instanceof PublicKeyRingBlob) {
            out.add(((PublicKeyRingBlob) b).getPGPPublicKeyRing());
          }
        }
      } catch (IOException | RuntimeException e) {
        throw new GpgException(what + ": invalid keybox: " + e.getMessage(), e);
      }
      return out;
    }
    for (Object o : objects(bytes, what)) {
      if (o instanceof PGPPublicKeyRing) {
        out.add((PGPPublicKeyRing) o);
      } else if (o instanceof PGPSecretKeyRing) {
        out.add(((PGPSecretKeyRing) o).toCertificate());
      }
    }
    return out;
  }

  /**
   * The secret key rings of a file ({@code gpg --export-secret-keys}, armored or binary; GnuPG
   * 1's {@code secring.gpg}).
   *
   * @param file the file
   * @return the rings in file order
   * @throws GpgException when the file is not OpenPGP key material
   * @throws IOException when it cannot be read
   */
  public static List<PGPSecretKeyRing> secretRings(Path file) throws IOException {
    byte[] bytes = read(file);
    List<PGPSecretKeyRing> out = new ArrayList<>();
    for (Object o : objects(bytes, "reading OpenPGP secret keys from " + file)) {
      if (o instanceof PGPSecretKeyRing) {
        out.add((PGPSecretKeyRing) o);
      }
    }
    return out;
  }

  /**
   * The OpenPGP objects of a byte sequence, armored or binary; unknown packets are skipped.
   *
   * @param bytes the data
   * @param what what is being read, for messages
   * @return the objects
   * @throws GpgException when the data is not OpenPGP
   */
  public static List<Object> objects(byte[] bytes, String what) throws GpgException {
    List<Object> out = new ArrayList<>();
    try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(bytes))) {
      BcPGPObjectFactory f = new BcPGPObjectFactory(in);
      while (true) {
        Object o;
        try {
          o = f.nextObject();
        } catch (IOException e) {
          if (out.isEmpty()) {
            throw e;
          }
          break; // trailing data GnuPG keeps (trust packets of old formats): stop there
        }
        if (o == null) {
          break;
        }
        out.add(o);
      }
    } catch (IOException | RuntimeException e) {
      throw new GpgException(what + ": not OpenPGP data: " + e.getMessage(), e);
    }
    return out;
  }

  private static boolean isKeybox(byte[] b) {
    return b.length >= 12 && b[4] == 1
        && Arrays.equals(Arrays.copyOfRange(b, 8, 12), "KBXf".getBytes(StandardCharsets.US_ASCII));
  }

  private static byte[] read(Path file) throws IOException {
    if (Files.size(file) > MAX_FILE_SIZE) {
      throw new GpgException("reading OpenPGP keys from " + file + ": larger than "
          + MAX_FILE_SIZE + " bytes");
    }
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
      return in.readAllBytes();
    }
  }

  /**
   * Whether a PGP exception message should be shown: the message, or the class name.
   *
   * @param e the exception
   * @return text for an error message
   */
  public static String reason(Exception e) {
    if (e instanceof PGPException && e.getCause() != null && e.getCause().getMessage() != null) {
      return e.getMessage() + ": " + e.getCause().getMessage();
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
