package io.github.ostree4j.transport;

/**
 * How the signature of an image named by an {@link OstreeImageReference} is verified, as in
 * ostree-ext.
 */
public enum SignatureSource {
  /**
   * The ostree commit inside the image is verified with the keys of an ostree remote ({@code
   * ostree-remote-image:REMOTE:…}, {@code ostree-remote-registry:REMOTE:…}).
   */
  OSTREE_REMOTE,
  /**
   * The containers-policy.json decides, and a policy whose default is {@code
   * insecureAcceptAnything} is refused ({@code ostree-image-signed:…}).
   */
  CONTAINER_POLICY,
  /**
   * The containers-policy.json decides, whatever its default ({@code ostree-unverified-image:…},
   * {@code ostree-unverified-registry:…}); usually this means no verification.
   */
  CONTAINER_POLICY_ALLOW_INSECURE
}
