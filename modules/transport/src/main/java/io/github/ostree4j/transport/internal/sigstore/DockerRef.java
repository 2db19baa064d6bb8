package io.github.ostree4j.transport.internal.sigstore;

import io.github.ostree4j.transport.internal.DockerNames;
import java.util.Optional;

/**
 * A normalized Docker reference as containers-image compares them: {@code DOMAIN/PATH} plus an
 * optional tag and digest.
 *
 * @param name {@code DOMAIN/PATH}, e.g. {@code docker.io/library/fedora}
 * @param tag the tag, or null
 * @param digest the digest text, or null
 */
public record DockerRef(String name, String tag, String digest) {

  /**
   * Parses and normalizes ({@code fedora} is {@code docker.io/library/fedora}, {@code
   * index.docker.io} is {@code docker.io}); no default tag is added.
   *
   * @param text the reference
   * @return the reference, or empty when the text is not a valid reference
   */
  public static Optional<DockerRef> parse(String text) {
    try {
      DockerNames.Name n = DockerNames.parseNormalized(text);
      return Optional.of(new DockerRef(n.domain() + "/" + n.path(), n.tag(), n.digest()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * Whether the reference has neither tag nor digest.
   *
   * @return true for a bare repository
   */
  public boolean isNameOnly() {
    return tag == null && digest == null;
  }

  /**
   * The canonical text: {@code NAME[:TAG][@DIGEST]}.
   *
   * @return the text
   */
  @Override
  public String toString() {
    return name + (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
  }
}
