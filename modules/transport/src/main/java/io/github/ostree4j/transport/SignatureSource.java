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
   * No signature check ({@code ostree-unverified-image:…}, {@code ostree-unverified-registry:…}):
   * ostree-ext hands these to containers-image with an insecure policy.
   */
  CONTAINER_POLICY_ALLOW_INSECURE
}
