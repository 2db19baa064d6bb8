package io.github.ostree4j.container.internal;

import io.github.ostree4j.oci.Descriptor;
import io.github.ostree4j.oci.Digest;
import io.github.ostree4j.ostree.Checksum;
import io.github.ostree4j.ostree.CommitSignatures;
import io.github.ostree4j.ostree.GpgException;
import io.github.ostree4j.ostree.GpgKeyring;
import io.github.ostree4j.ostree.GpgVerifyResult;
import io.github.ostree4j.ostree.OstreeRepo;
import io.github.ostree4j.transport.ImageSource;
import io.github.ostree4j.transport.ManifestResponse;
import io.github.ostree4j.transport.PolicyVerifier;
import io.github.ostree4j.transport.SignatureSource;
import io.github.ostree4j.transport.SignatureVerificationException;
import io.github.ostree4j.transport.TransportOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The signature checks made before an image is imported, by how the image was named:
 *
 * <ul>
 *   <li>a plain reference ({@code docker://…}, {@code oci:…}): the containers-policy.json decides,
 *       as in containers-image (no policy file: not checked);
 *   <li>{@code ostree-image-signed:}: the policy must enforce signatures for the image, then
 *       decides;
 *   <li>{@code ostree-unverified-image:}, {@code ostree-unverified-registry:}: not checked, as
 *       ostree-ext passes them to skopeo with an insecure policy;
 *   <li>{@code ostree-remote-image:REMOTE:}: the commit in the commit layer must carry a good
 *       signature by a key of the ostree remote ({@link #verifyRemoteCommit}).
 * </ul>
 */
public final class SignatureChecks {

  private SignatureChecks() {}

  /**
   * The policy check.
   *
   * @param mode how the image was named; null for a plain reference
   * @param src the image source
   * @param top the top-level manifest as fetched
   * @param options where the policy and registries.d are
   * @param shown the reference as given, for messages
   * @param messages where a line about an accepted signature goes
   * @throws SignatureVerificationException when the image is refused
   * @throws IOException when the policy or signatures cannot be read
   */
  public static void policy(SignatureSource mode, ImageSource src, ManifestResponse top,
      TransportOptions options, String shown, Consumer<String> messages) throws IOException {
    if (mode == SignatureSource.CONTAINER_POLICY_ALLOW_INSECURE
        || mode == SignatureSource.OSTREE_REMOTE) {
      return;
    }
    PolicyVerifier v = PolicyVerifier.load(options);
    if (mode == SignatureSource.CONTAINER_POLICY) {
      v.requireEnforcing(src.reference(), shown);
    }
    PolicyVerifier.Result r = v.verify(src, top, shown);
    r.acceptedSignature().ifPresent(id -> messages.accept("Verified signature of " + shown
        + " (" + top.digest() + ", signed as " + id + ", policy scope " + r.scope() + ")"));
  }

  /**
   * Reads the commit and its detached metadata from the head of the commit layer and checks the
   * signatures against the remote's keys. Only the first objects of the layer are read.
   *
   * @param repo the repository whose remote configuration is used
   * @param remote the remote name
   * @param src the image source
   * @param commitLayer the commit layer
   * @param diffId its diff ID
   * @param shown the reference as given, for messages
   * @param messages where a line about the accepted signature goes
   * @return the verified commit; the import must produce exactly this commit
   * @throws SignatureVerificationException when no signature is good
   * @throws IOException when the layer or the keys cannot be read
   */
  public static Checksum verifyRemoteCommit(OstreeRepo repo, String remote, ImageSource src,
      Descriptor commitLayer, Digest diffId, String shown, Consumer<String> messages)
      throws IOException {
    GpgKeyring keys;
    try {
      keys = GpgKeyring.forRemote(repo, remote);
    } catch (GpgException e) {
      throw SignatureVerificationException.forRemote(shown, remote, e.getMessage());
    }
    CommitLayerHead head;
    try (LayerStream ls = new LayerStream(src.openBlob(commitLayer), commitLayer, diffId,
        src.layersUncompressed())) {
      head = CommitLayerHead.read(ls.tar());
    }
    if (head.commitMeta() == null) {
      throw SignatureVerificationException.forRemote(shown, remote, "commit " + head.commit()
          + " in layer " + commitLayer.digest() + " carries no signatures (expected a commitmeta"
          + " object after the commit)");
    }
    GpgVerifyResult r = CommitSignatures.verify(head.commitBytes(), head.commitMeta(), keys);
    if (!r.isValid()) {
      String from = keys.isEmpty() ? "no keys found for the remote"
          : "keys from " + keys.sources().stream().map(Path::toString)
              .collect(Collectors.joining(", "));
      throw SignatureVerificationException.forRemote(shown, remote, "commit " + head.commit()
          + ": " + r.summary() + " (" + from + ")");
    }
    GpgVerifyResult.Signature good = r.signatures().stream()
        .filter(s -> s.status() == GpgVerifyResult.Status.GOOD).findFirst().orElseThrow();
    messages.accept("Verified commit " + head.commit() + " of " + shown + ": good signature from"
        + " GPG key " + good.keyId() + good.userId().map(u -> " (" + u + ")").orElse("")
        + " trusted by remote " + remote);
    return head.commit();
  }
}
