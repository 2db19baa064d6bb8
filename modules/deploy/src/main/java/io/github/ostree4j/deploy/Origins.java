package io.github.ostree4j.deploy;

import io.github.ostree4j.ostree.KeyFile;
import io.github.ostree4j.transport.OstreeImageReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code .origin} key file of a deployment ({@code ostree/deploy/OS/deploy/CSUM.SERIAL.origin}):
 * where the deployment came from, read when it is upgraded.
 *
 * <ul>
 *   <li>{@code [origin] refspec=REMOTE:REF} for a deployment of an ostree ref, as {@code ostree
 *       admin deploy} writes it;
 *   <li>{@code [origin] container-image-reference=ostree-unverified-registry:NAME} (or another
 *       ostree image reference) for a container image, as bootc and rpm-ostree write it;
 *   <li>{@code [etc-merge]} with {@code conflict.N.path} and {@code conflict.N.reason}: the
 *       {@code /etc} conflicts of the merge that made the deployment (ostree ignores this group).
 * </ul>
 */
public final class Origins {

  /** The group libostree reads. */
  public static final String GROUP = "origin";
  /** Key of an ostree refspec origin. */
  public static final String KEY_REFSPEC = "refspec";
  /** Key of a container image origin, as bootc names it. */
  public static final String KEY_CONTAINER_IMAGE_REFERENCE = "container-image-reference";
  /** The group holding the {@code /etc} merge conflicts. */
  public static final String GROUP_ETC_MERGE = "etc-merge";

  private Origins() {}

  /**
   * An origin for an ostree ref.
   *
   * @param refspec e.g. {@code testos:testos/stable}
   * @return the key file
   */
  public static KeyFile forRefspec(String refspec) {
    return new KeyFile().set(GROUP, KEY_REFSPEC, refspec);
  }

  /**
   * An origin for a container image.
   *
   * @param image e.g. {@code ostree-unverified-registry:quay.io/x/os:stable}
   * @return the key file
   */
  public static KeyFile forImage(OstreeImageReference image) {
    return new KeyFile().set(GROUP, KEY_CONTAINER_IMAGE_REFERENCE, image.toString());
  }

  /**
   * The container image reference of an origin.
   *
   * @param origin the key file
   * @return the reference text, if it is an image origin
   */
  public static Optional<String> imageReference(KeyFile origin) {
    return origin.get(GROUP, KEY_CONTAINER_IMAGE_REFERENCE);
  }

  /**
   * The refspec of an origin.
   *
   * @param origin the key file
   * @return the refspec, if it is a ref origin
   */
  public static Optional<String> refspec(KeyFile origin) {
    return origin.get(GROUP, KEY_REFSPEC);
  }

  /**
   * Records {@code /etc} merge conflicts in an origin (replacing any recorded).
   *
   * @param origin the key file, changed
   * @param conflicts the conflicts
   */
  static void setConflicts(KeyFile origin, List<EtcConflict> conflicts) {
    for (String k : origin.keys(GROUP_ETC_MERGE)) {
      origin.remove(GROUP_ETC_MERGE, k);
    }
    for (int i = 0; i < conflicts.size(); i++) {
      origin.set(GROUP_ETC_MERGE, "conflict." + i + ".path", conflicts.get(i).path());
      origin.set(GROUP_ETC_MERGE, "conflict." + i + ".reason", conflicts.get(i).reason());
    }
  }

  /**
   * The {@code /etc} merge conflicts recorded in an origin.
   *
   * @param origin the key file
   * @return the conflicts, in order
   */
  public static List<EtcConflict> conflicts(KeyFile origin) {
    List<EtcConflict> out = new ArrayList<>();
    for (int i = 0; ; i++) {
      Optional<String> p = origin.get(GROUP_ETC_MERGE, "conflict." + i + ".path");
      if (p.isEmpty()) {
        return out;
      }
      out.add(new EtcConflict(p.get(), origin.get(GROUP_ETC_MERGE, "conflict." + i + ".reason")
          .orElse("")));
    }
  }
}
