package io.github.ostree4j.transport.internal.sigstore;

import io.github.ostree4j.transport.SignedIdentity;
import java.util.Optional;

/** Applies a {@link SignedIdentity} rule to an image and the identity a signature names. */
public final class IdentityMatcher {

  private IdentityMatcher() {}

  /**
   * Whether the signed identity is acceptable for the image.
   *
   * @param rule the policy's rule
   * @param image the image's Docker reference, empty for images without one (OCI layouts)
   * @param signed the signature's {@code docker-reference}
   * @return true when accepted
   */
  public static boolean matches(SignedIdentity rule, Optional<DockerRef> image, String signed) {
    Optional<DockerRef> s = DockerRef.parse(signed);
    if (s.isEmpty()) {
      return false;
    }
    DockerRef sig = s.get();
    if (rule instanceof SignedIdentity.ExactReference) {
      Optional<DockerRef> want =
          DockerRef.parse(((SignedIdentity.ExactReference) rule).dockerReference());
      return want.isPresent() && !want.get().isNameOnly() && !sig.isNameOnly()
          && want.get().toString().equals(sig.toString());
    }
    if (rule instanceof SignedIdentity.ExactRepository) {
      Optional<DockerRef> want =
          DockerRef.parse(((SignedIdentity.ExactRepository) rule).dockerRepository());
      return want.isPresent() && want.get().name().equals(sig.name());
    }
    if (image.isEmpty()) {
      return false;
    }
    DockerRef img = image.get();
    if (rule instanceof SignedIdentity.MatchExact) {
      return !img.isNameOnly() && !sig.isNameOnly() && img.toString().equals(sig.toString());
    }
    if (rule instanceof SignedIdentity.MatchRepository) {
      return img.name().equals(sig.name());
    }
    if (rule instanceof SignedIdentity.RemapIdentity) {
      SignedIdentity.RemapIdentity r = (SignedIdentity.RemapIdentity) rule;
      img = remap(img, r.prefix(), r.signedPrefix());
    }
    return repoDigestOrExact(img, sig);
  }

  private static boolean repoDigestOrExact(DockerRef img, DockerRef sig) {
    if (sig.isNameOnly()) {
      return false;
    }
    if (img.tag() != null) {
      return img.toString().equals(sig.toString());
    }
    if (img.digest() != null) {
      return img.name().equals(sig.name());
    }
    return false;
  }

  /** Replaces {@code prefix} at the start of the image name, on a component boundary. */
  static DockerRef remap(DockerRef img, String prefix, String signedPrefix) {
    String name = img.name();
    if (!name.equals(prefix) && !name.startsWith(prefix + "/")) {
      return img;
    }
    return new DockerRef(signedPrefix + name.substring(prefix.length()), img.tag(), img.digest());
  }
}
