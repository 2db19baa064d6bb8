package io.github.ostree4j.transport;

import java.util.List;

/**
 * One requirement of containers-policy.json(5). An image is accepted when every requirement of
 * the list that applies to it accepts it.
 */
public sealed interface PolicyRequirement {

  /**
   * The policy's name of this requirement.
   *
   * @return e.g. {@code sigstoreSigned}
   */
  String type();

  /** {@code insecureAcceptAnything}: accepts every image, signed or not. */
  record InsecureAcceptAnything() implements PolicyRequirement {
    @Override
    public String type() {
      return "insecureAcceptAnything";
    }
  }

  /** {@code reject}: accepts no image. */
  record Reject() implements PolicyRequirement {
    @Override
    public String type() {
      return "reject";
    }
  }

  /**
   * A requirement this library parses but cannot evaluate: {@code signedBy} (GPG simple signing),
   * or {@code sigstoreSigned} with Fulcio certificates, a PKI or Rekor. Policies using it load;
   * an image under it is refused with a reason naming the feature.
   *
   * @param type the requirement type
   * @param feature what is not supported, e.g. {@code sigstoreSigned with fulcio}
   */
  record Unsupported(String type, String feature) implements PolicyRequirement {
  }

  /**
   * {@code sigstoreSigned} with public keys: at least one cosign signature of the image's manifest
   * digest, made by one of the keys, whose signed identity the {@code signedIdentity} rule
   * accepts. Keys are read when an image is checked, so that a missing key file only affects the
   * images of its scope.
   *
   * @param keyPaths {@code keyPath} / {@code keyPaths}: PEM files
   * @param keyData {@code keyData} / {@code keyDatas}: PEM contents (already base64-decoded)
   * @param signedIdentity the identity rule; {@code matchRepoDigestOrExact} when not given
   */
  record SigstoreSigned(List<String> keyPaths, List<byte[]> keyData,
      SignedIdentity signedIdentity) implements PolicyRequirement {
    /**
     * Copies the lists.
     *
     * @param keyPaths the key files
     * @param keyData the key contents
     * @param signedIdentity the identity rule
     */
    public SigstoreSigned {
      keyPaths = List.copyOf(keyPaths);
      keyData = List.copyOf(keyData);
    }

    @Override
    public String type() {
      return "sigstoreSigned";
    }
  }
}
