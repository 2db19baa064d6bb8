package io.github.ostree4j.transport;

import io.github.ostree4j.oci.Digest;
import io.github.ostree4j.transport.internal.sigstore.SignatureAttachments;
import io.github.ostree4j.transport.internal.sigstore.SimpleSigningPayload;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;

/**
 * Signs images the way {@code cosign sign --key} does: a simple-signing payload naming the
 * manifest digest and the image's repository, signed with SHA-256 and the private key (ECDSA
 * signatures in DER), stored as one more layer of the image's {@code sha256-<hex>.sig} attachment
 * in the same registry repository or OCI layout, with the base64 signature in the {@code
 * dev.cosignproject.cosign/signature} annotation.
 *
 * <pre>{@code
 * PrivateKey key = CosignKeys.readPrivateKey(Path.of("cosign.key"), password);
 * SigstoreSigner.of(key).sign(ImageReference.parse("docker://quay.io/x/os@sha256:…"),
 *     digest, SigstoreSigner.identityOf(ref), TransportOptions.defaults());
 * }</pre>
 */
public final class SigstoreSigner {

  private final PrivateKey key;
  private Instant created;

  /**
   * The outcome of signing.
   *
   * @param attachmentTag the tag the signature is stored under, {@code sha256-<hex>.sig}
   * @param attachmentDigest the digest of the attachment manifest now under that tag
   * @param payload the signed payload
   * @param signature the base64 signature
   */
  public record Signed(String attachmentTag, Digest attachmentDigest, byte[] payload,
      String signature) {}

  private SigstoreSigner(PrivateKey key) {
    this.key = key;
  }

  /**
   * A signer for a key.
   *
   * @param key an EC, RSA or Ed25519 private key
   * @return the signer
   */
  public static SigstoreSigner of(PrivateKey key) {
    CosignKeys.signatureAlgorithm(Objects.requireNonNull(key, "key"));
    return new SigstoreSigner(key);
  }

  /**
   * The {@code created} time written into a new attachment's config; default {@code
   * SOURCE_DATE_EPOCH} when set, else now.
   *
   * @param t the time
   * @return this
   */
  public SigstoreSigner created(Instant t) {
    this.created = t;
    return this;
  }

  /**
   * The identity cosign signs for a registry image: its repository without tag or digest, with
   * Docker Hub named {@code index.docker.io} as cosign names it.
   *
   * @param ref a registry reference
   * @return e.g. {@code quay.io/example/os}
   * @throws IllegalArgumentException for references without a registry name
   */
  public static String identityOf(ImageReference ref) {
    if (!ref.hasDockerName()) {
      throw new IllegalArgumentException(ref + " has no registry name to sign as");
    }
    String registry = ref.registry().equals("docker.io") ? "index.docker.io" : ref.registry();
    return registry + "/" + ref.repository();
  }

  /**
   * The identity skopeo and podman sign when they sign while copying ({@code
   * --sign-by-sigstore-private-key}): the destination's full name with its tag (or digest).
   *
   * @param ref a registry reference
   * @return e.g. {@code quay.io/example/os:stable}
   * @throws IllegalArgumentException for references without a registry name
   */
  public static String referenceOf(ImageReference ref) {
    if (!ref.hasDockerName()) {
      throw new IllegalArgumentException(ref + " has no registry name to sign as");
    }
    String name = ref.registry() + "/" + ref.repository();
    return ref.digest().map(d -> name + "@" + d).orElse(name + ":" + ref.tag().orElse("latest"));
  }

  /**
   * Signs a payload.
   *
   * @param payload the bytes
   * @return the base64 signature
   */
  public String signPayload(byte[] payload) {
    try {
      Signature s = Signature.getInstance(CosignKeys.signatureAlgorithm(key));
      s.initSign(key);
      s.update(payload);
      return Base64.getEncoder().encodeToString(s.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("signing with a " + key.getAlgorithm() + " key failed", e);
    }
  }

  /**
   * Signs an image's manifest and stores the signature next to it.
   *
   * @param image where the image lives ({@code docker://} or {@code oci:}); its tag or digest does
   *     not matter, the signature is for {@code manifestDigest}
   * @param manifestDigest the digest of the manifest (or index) to sign
   * @param identity the {@code docker-reference} to sign, e.g. {@link #identityOf}
   * @param options how to reach the image
   * @return where the signature went
   * @throws IOException when the attachment cannot be read or written
   */
  public Signed sign(ImageReference image, Digest manifestDigest, String identity,
      TransportOptions options) throws IOException {
    byte[] payload = SimpleSigningPayload.cosign(identity, manifestDigest);
    String sig = signPayload(payload);
    String tag = SignatureAttachments.tag(manifestDigest);
    try (ImageSource existing = ImageTransports.openSource(image, options);
        ImageDestination dest = ImageTransports.openDestination(image, options)) {
      Digest d = SignatureAttachments.append(existing, dest, manifestDigest, payload,
          Map.of(SignatureAttachments.SIGNATURE_ANNOTATION, sig), createdText());
      dest.commit();
      return new Signed(tag, d, payload, sig);
    }
  }

  private String createdText() {
    Instant t = created;
    if (t == null) {
      String sde = System.getenv("SOURCE_DATE_EPOCH");
      t = Instant.now();
      if (sde != null && sde.matches("[0-9]{1,12}")) {
        t = Instant.ofEpochSecond(Long.parseLong(sde));
      }
    }
    return DateTimeFormatter.ISO_INSTANT.format(t);
  }
}
