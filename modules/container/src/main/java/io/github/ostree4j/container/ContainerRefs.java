package io.github.ostree4j.container;

import io.github.ostree4j.container.internal.RefEscape;
import io.github.ostree4j.oci.Digest;

/**
 * The ostree refs under which a layered container import keeps its commits, named as ostree-ext
 * names them: one ref per layer ({@code ostree/container/blob/<escaped digest>}) and one per
 * image reference ({@code ostree/container/image/<escaped reference>}, pointing at the merge
 * commit). Arbitrary strings are turned into valid ref names by ostree-ext's escaping: ASCII
 * letters, digits and {@code -} stay, {@code /} stays after a letter or digit unless it is last,
 * {@code _} becomes {@code __} and anything else becomes {@code _XX_} (its code point in
 * upper-case hex), so {@code sha256:ab..} becomes {@code sha256_3A_ab..}.
 */
public final class ContainerRefs {

  /** Prefix of the refs of imported layers. */
  public static final String LAYER_PREFIX = "ostree/container/blob/";
  /** Prefix of the refs of imported images (merge commits). */
  public static final String IMAGE_PREFIX = "ostree/container/image/";
  /** Prefix of refs that protect base images used by locally built derived commits. */
  public static final String BASE_IMAGE_PREFIX = "ostree/container/baseimage/";

  private ContainerRefs() {}

  /**
   * Escapes {@code s} into a string usable as (part of) an ostree ref name.
   *
   * @throws IllegalArgumentException if {@code s} is empty or contains NUL
   */
  public static String escape(String s) {
    return RefEscape.escape(s);
  }

  /**
   * Reverses {@link #escape(String)}.
   *
   * @throws IllegalArgumentException if {@code ref} is not a valid escaped string
   */
  public static String unescape(String ref) throws IllegalArgumentException {
    return RefEscape.unescape(ref);
  }

  /** The ref of an imported layer: {@code ostree/container/blob/} + the escaped digest. */
  public static String layerRef(Digest layerDigest) {
    return LAYER_PREFIX + escape(layerDigest.toString());
  }

  /**
   * The ref of an imported image: {@code ostree/container/image/} + the escaped reference, which
   * is written like {@code docker://quay.io/x:tag} or {@code oci:/path:tag}.
   *
   * @throws IllegalArgumentException if the reference is empty or contains NUL
   */
  public static String imageRef(String imageReference) {
    return IMAGE_PREFIX + escape(imageReference);
  }
}
