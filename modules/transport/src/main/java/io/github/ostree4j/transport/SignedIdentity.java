package io.github.ostree4j.transport;

/**
 * Which signed identities (the {@code docker-reference} in a signature payload) a {@code
 * sigstoreSigned} requirement accepts for an image: the {@code signedIdentity} of
 * containers-policy.json(5).
 */
public sealed interface SignedIdentity {

  /**
   * The policy's name of this rule.
   *
   * @return e.g. {@code matchRepository}
   */
  String type();

  /** {@code matchExact}: the signed reference equals the image reference, tag or digest included. */
  record MatchExact() implements SignedIdentity {
    @Override
    public String type() {
      return "matchExact";
    }
  }

  /**
   * {@code matchRepoDigestOrExact} (the default): for an image named by digest the repositories
   * must be equal, for an image named by tag the references must be equal.
   */
  record MatchRepoDigestOrExact() implements SignedIdentity {
    @Override
    public String type() {
      return "matchRepoDigestOrExact";
    }
  }

  /** {@code matchRepository}: the repositories are equal, whatever the tags. */
  record MatchRepository() implements SignedIdentity {
    @Override
    public String type() {
      return "matchRepository";
    }
  }

  /**
   * {@code exactReference}: the signed reference equals a fixed one.
   *
   * @param dockerReference the reference, with tag or digest
   */
  record ExactReference(String dockerReference) implements SignedIdentity {
    @Override
    public String type() {
      return "exactReference";
    }
  }

  /**
   * {@code exactRepository}: the signed repository equals a fixed one.
   *
   * @param dockerRepository the repository
   */
  record ExactRepository(String dockerRepository) implements SignedIdentity {
    @Override
    public String type() {
      return "exactRepository";
    }
  }

  /**
   * {@code remapIdentity}: when the image name starts with {@code prefix}, that part is replaced by
   * {@code signedPrefix} before matching as {@code matchRepoDigestOrExact} does (for mirrors).
   *
   * @param prefix a host, host/namespace or repository
   * @param signedPrefix what signatures name instead
   */
  record RemapIdentity(String prefix, String signedPrefix) implements SignedIdentity {
    @Override
    public String type() {
      return "remapIdentity";
    }
  }
}
