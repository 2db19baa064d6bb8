package io.github.ostree4j.transport;

import java.io.IOException;

/**
 * An image was refused by signature verification: the policy requires a signature that is missing
 * or not acceptable, rejects the image outright, or cannot be used for a signed reference. The
 * message is one line naming the image, the policy scope that applied and the reason; nothing of
 * the image has been imported when it is thrown.
 */
public class SignatureVerificationException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String image;
  private final String scope;
  private final String reason;

  /**
   * Creates the exception.
   *
   * @param image the image reference as given
   * @param scope the policy scope, e.g. {@code transports.docker["quay.io/example/os"]}
   * @param reason why the image was refused
   */
  public SignatureVerificationException(String image, String scope, String reason) {
    this(image, scope, reason, null);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param image the image reference as given
   * @param scope the policy scope
   * @param reason why the image was refused
   * @param cause the underlying failure, or null
   */
  public SignatureVerificationException(String image, String scope, String reason,
      Throwable cause) {
    this(image, scope, "policy scope " + scope, reason, cause);
  }

  private SignatureVerificationException(String image, String scope, String shownScope,
      String reason, Throwable cause) {
    super("verifying signatures of " + image + ": " + shownScope + ": " + reason, cause);
    this.image = image;
    this.scope = scope;
    this.reason = reason;
  }

  /**
   * An image whose ostree commit is not signed by a key of an ostree remote ({@code
   * ostree-remote-image:REMOTE:…}); its scope is {@code ostree remote "REMOTE"}.
   *
   * @param image the image reference as given
   * @param remote the remote whose keys were used
   * @param reason why the image was refused
   * @return the exception
   */
  public static SignatureVerificationException forRemote(String image, String remote,
      String reason) {
    String scope = "ostree remote \"" + remote + "\"";
    return new SignatureVerificationException(image, scope, scope, reason, null);
  }

  /**
   * The image that was refused.
   *
   * @return the reference as given
   */
  public String image() {
    return image;
  }

  /**
   * The policy scope whose requirements applied.
   *
   * @return e.g. {@code default}
   */
  public String scope() {
    return scope;
  }

  /**
   * Why the image was refused.
   *
   * @return the reason
   */
  public String reason() {
    return reason;
  }
}
