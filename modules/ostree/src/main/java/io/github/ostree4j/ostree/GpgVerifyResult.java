package io.github.ostree4j.ostree;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of checking the OpenPGP signatures of a commit (its {@code ostree.gpgsigs}): one
 * entry per signature, in stored order. The commit counts as verified when at least one
 * signature is {@link Status#GOOD}, as libostree decides.
 *
 * @param signatures the signatures
 */
public record GpgVerifyResult(List<Signature> signatures) {

  /** What checking one signature found. */
  public enum Status {
    /** Made by a trusted key that is neither revoked nor expired, over exactly these bytes. */
    GOOD,
    /** The issuing key is trusted, but the signature does not match the data. */
    BAD,
    /** The issuing key is not in the keyring. */
    KEY_MISSING,
    /** The issuing key is revoked. */
    KEY_REVOKED,
    /** The issuing key had expired when the signature was made. */
    KEY_EXPIRED,
    /** The signature packet cannot be parsed. */
    MALFORMED
  }

  /**
   * One signature.
   *
   * @param keyId the issuer's 64-bit key ID as 16 uppercase hex digits, or empty when unknown
   * @param created when it was made
   * @param status what checking it found
   * @param userId the primary user ID of the issuing key, when the key is known
   */
  public record Signature(String keyId, Optional<Instant> created, Status status,
      Optional<String> userId) {}

  /**
   * Copies the list.
   *
   * @param signatures the signatures
   */
  public GpgVerifyResult {
    signatures = List.copyOf(signatures);
  }

  /**
   * Whether at least one signature is good.
   *
   * @return true when the commit is verified
   */
  public boolean isValid() {
    return signatures.stream().anyMatch(s -> s.status() == Status.GOOD);
  }

  /**
   * A one-line summary for messages, e.g. "1 signature, none good: key 2F8689E299B976AB is not in
   * the keyring".
   *
   * @return the summary
   */
  public String summary() {
    if (signatures.isEmpty()) {
      return "the commit has no GPG signatures";
    }
    StringBuilder sb = new StringBuilder();
    sb.append(signatures.size()).append(signatures.size() == 1 ? " signature" : " signatures");
    long good = signatures.stream().filter(s -> s.status() == Status.GOOD).count();
    sb.append(good == 0 ? ", none good: " : ", " + good + " good: ");
    for (int i = 0; i < signatures.size(); i++) {
      Signature s = signatures.get(i);
      if (i > 0) {
        sb.append("; ");
      }
      String key = s.keyId().isEmpty() ? "unknown key" : "key " + s.keyId();
      switch (s.status()) {
        case GOOD:
          sb.append("good signature from ").append(key)
              .append(s.userId().map(u -> " (" + u + ")").orElse(""));
          break;
        case BAD:
          sb.append("BAD signature from ").append(key);
          break;
        case KEY_MISSING:
          sb.append(key).append(" is not in the keyring");
          break;
        case KEY_REVOKED:
          sb.append(key).append(" is revoked");
          break;
        case KEY_EXPIRED:
          sb.append(key).append(" had expired");
          break;
        default:
          sb.append("malformed signature");
      }
    }
    return sb.toString();
  }
}
