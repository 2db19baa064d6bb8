package io.github.ostree4j.transport;

import io.github.ostree4j.oci.Digest;
import io.github.ostree4j.transport.internal.DockerNames;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An image location in the containers-image syntax {@code TRANSPORT:DETAILS}: an immutable value,
 * parsed only by {@link #parse(String)}.
 *
 * <table>
 *   <caption>Supported forms</caption>
 *   <tr><th>form</th><th>meaning</th></tr>
 *   <tr><td>{@code docker://[HOST[:PORT]/]REPO[:TAG|@DIGEST]}</td>
 *       <td>an image in a registry; {@code registry:NAME} is accepted as a synonym</td></tr>
 *   <tr><td>{@code oci:DIR[:REF]}</td><td>an OCI image layout directory</td></tr>
 *   <tr><td>{@code oci-archive:FILE[:REF]}</td><td>a tar of an OCI image layout</td></tr>
 *   <tr><td>{@code docker-archive:FILE[:NAME[:TAG]]}</td><td>a {@code docker save} tar</td></tr>
 * </table>
 *
 * <p>Registry names are normalized as containers-image does: a first component without {@code .}
 * or {@code :} that is not {@code localhost} is not a registry, so {@code docker://fedora} is
 * {@code docker.io/library/fedora}, and the tag defaults to {@code latest}. A reference with both
 * a tag and a digest is rejected, as skopeo rejects it. For {@code oci:} and {@code oci-archive:}
 * the path ends at the first {@code :}; what follows is the {@code org.opencontainers.image.ref.name}.
 *
 * <p>{@link #toString()} returns exactly the text that was parsed, so it round-trips. {@link
 * #equals(Object)} compares the normalized form {@link #canonical()}: {@code docker://fedora} and
 * {@code docker://docker.io/library/fedora:latest} are equal.
 */
public final class ImageReference {

  /** The transports this library can read and write. */
  public enum Transport {
    /** A registry speaking the distribution API ({@code docker://}). */
    DOCKER("docker://", "docker://quay.io/fedora/fedora-coreos:stable"),
    /** An OCI image layout directory ({@code oci:}). */
    OCI("oci:", "oci:/var/tmp/os-image:latest"),
    /** A tar archive of an OCI image layout ({@code oci-archive:}). */
    OCI_ARCHIVE("oci-archive:", "oci-archive:/var/tmp/os-image.ociarchive:latest"),
    /** A tar archive written by {@code docker save} ({@code docker-archive:}). */
    DOCKER_ARCHIVE("docker-archive:", "docker-archive:/var/tmp/os-image.tar:example/os:latest");

    private final String prefix;
    private final String example;

    Transport(String prefix, String example) {
      this.prefix = prefix;
      this.example = example;
    }

    /**
     * The canonical prefix, e.g. {@code docker://} or {@code oci:}.
     *
     * @return the prefix including its {@code :} (and {@code //} for registries)
     */
    public String prefix() {
      return prefix;
    }

    /**
     * The transport's name as containers-transports(5) and containers-policy.json(5) spell it:
     * {@code docker}, {@code oci}, {@code oci-archive} or {@code docker-archive}.
     *
     * @return the prefix without its {@code :} (and {@code //})
     */
    public String transportName() {
      return prefix.substring(0, prefix.indexOf(':'));
    }

    /**
     * A valid reference of this transport, as shown in error messages.
     *
     * @return an example
     */
    public String example() {
      return example;
    }
  }

  // An OCI layout reference name (org.opencontainers.image.ref.name), as containers-image checks it.
  private static final String OCI_COMPONENT = "[A-Za-z0-9]+(?:(?:[-._:@+]|--)[A-Za-z0-9]+)*";
  private static final Pattern OCI_REF =
      Pattern.compile(OCI_COMPONENT + "(?:/" + OCI_COMPONENT + ")*");

  private final String original;
  private final Transport transport;
  private final String name;
  // DOCKER, and DOCKER_ARCHIVE with a name
  private final String registry;
  private final String repository;
  private final String tag;
  private final Digest digest;
  // file transports
  private final String path;
  private final String canonical;

  private ImageReference(String original, Transport transport, String name, String registry,
      String repository, String tag, Digest digest, String path) {
    this.original = original;
    this.transport = transport;
    this.name = name;
    this.registry = registry;
    this.repository = repository;
    this.tag = tag;
    this.digest = digest;
    this.path = path;
    this.canonical = computeCanonical();
  }

  /**
   * Parses an image reference.
   *
   * @param text e.g. {@code docker://quay.io/fedora/fedora-coreos:stable}, {@code oci:/srv/os:1}
   * @return the reference; its {@link #toString()} is {@code text}
   * @throws InvalidReferenceException when the text is not a valid reference; the message shows a
   *     valid example
   */
  public static ImageReference parse(String text) throws InvalidReferenceException {
    Objects.requireNonNull(text, "text");
    int colon = text.indexOf(':');
    if (colon < 0) {
      throw new InvalidReferenceException(text,
          text.isEmpty() ? "empty reference" : "missing transport (such as docker:// or oci:)",
          Transport.DOCKER.example());
    }
    String scheme = text.substring(0, colon);
    String rest = text.substring(colon + 1);
    switch (scheme) {
      case "docker":
        if (!rest.startsWith("//")) {
          throw new InvalidReferenceException(text, "expected '//' after 'docker:'",
              Transport.DOCKER.example());
        }
        return parseDocker(text, rest.substring(2));
      case "registry":
        return parseDocker(text, rest);
      case "oci":
        return parseLayout(text, Transport.OCI, rest);
      case "oci-archive":
        return parseLayout(text, Transport.OCI_ARCHIVE, rest);
      case "docker-archive":
        return parseDockerArchive(text, rest);
      case "containers-storage":
      case "dir":
      case "docker-daemon":
        throw new InvalidReferenceException(text, "transport '" + scheme + "' is not supported"
            + " (supported: docker://, oci:, oci-archive:, docker-archive:)",
            Transport.DOCKER.example());
      default:
        throw new InvalidReferenceException(text, "unknown transport '" + scheme + "'"
            + " (supported: docker://, oci:, oci-archive:, docker-archive:)",
            Transport.DOCKER.example());
    }
  }

  private static ImageReference parseDocker(String text, String name)
      throws InvalidReferenceException {
    String example = Transport.DOCKER.example();
    if (name.isEmpty()) {
      throw new InvalidReferenceException(text, "missing image name", example);
    }
    DockerNames.Name n;
    try {
      n = DockerNames.parseNormalized(name);
    } catch (IllegalArgumentException e) {
      throw new InvalidReferenceException(text, e.getMessage(), example);
    }
    if (n.tag() != null && n.digest() != null) {
      throw new InvalidReferenceException(text,
          "a reference with both a tag and a digest is not supported", example);
    }
    Digest d = null;
    if (n.digest() != null) {
      d = parseDigest(text, n.digest(), example);
    }
    return new ImageReference(text, Transport.DOCKER, name, n.domain(), n.path(), n.tag(), d,
        null);
  }

  private static Digest parseDigest(String text, String digest, String example)
      throws InvalidReferenceException {
    try {
      return Digest.parse(digest);
    } catch (java.io.IOException e) {
      throw new InvalidReferenceException(text,
          "unsupported digest '" + digest + "' (expected sha256:<64 hex> or sha512:<128 hex>)",
          example);
    }
  }

  private static ImageReference parseLayout(String text, Transport t, String rest)
      throws InvalidReferenceException {
    int colon = rest.indexOf(':');
    String p = colon < 0 ? rest : rest.substring(0, colon);
    String ref = colon < 0 ? null : rest.substring(colon + 1);
    if (p.isEmpty()) {
      throw new InvalidReferenceException(text, "missing path", t.example());
    }
    if (ref != null && ref.isEmpty()) {
      ref = null;
    }
    if (ref != null && !OCI_REF.matcher(ref).matches()) {
      throw new InvalidReferenceException(text, "invalid image reference name '" + ref + "'",
          t.example());
    }
    return new ImageReference(text, t, rest, null, null, ref, null, p);
  }

  private static ImageReference parseDockerArchive(String text, String rest)
      throws InvalidReferenceException {
    String example = Transport.DOCKER_ARCHIVE.example();
    int colon = rest.indexOf(':');
    String p = colon < 0 ? rest : rest.substring(0, colon);
    String ref = colon < 0 ? "" : rest.substring(colon + 1);
    if (p.isEmpty()) {
      throw new InvalidReferenceException(text, "missing path", example);
    }
    if (ref.isEmpty()) {
      return new ImageReference(text, Transport.DOCKER_ARCHIVE, rest, null, null, null, null, p);
    }
    DockerNames.Name n;
    try {
      n = DockerNames.parseNormalized(ref);
    } catch (IllegalArgumentException e) {
      throw new InvalidReferenceException(text, e.getMessage(), example);
    }
    if (n.digest() != null) {
      throw new InvalidReferenceException(text,
          "a docker-archive image name cannot contain a digest", example);
    }
    return new ImageReference(text, Transport.DOCKER_ARCHIVE, rest, n.domain(), n.path(),
        n.tag(), null, p);
  }

  /**
   * A registry reference, built from parts and parsed like any other.
   *
   * @param registry {@code HOST[:PORT]}
   * @param repository the repository path, e.g. {@code fedora/fedora-coreos}
   * @param tagOrDigest a tag, or a digest such as {@code sha256:…}
   * @return {@code docker://REGISTRY/REPOSITORY:TAG} or {@code …@DIGEST}
   * @throws InvalidReferenceException when the parts do not form a valid reference
   */
  public static ImageReference docker(String registry, String repository, String tagOrDigest)
      throws InvalidReferenceException {
    String sep = tagOrDigest.indexOf(':') >= 0 ? "@" : ":";
    return parse("docker://" + registry + "/" + repository + sep + tagOrDigest);
  }

  /**
   * The transport.
   *
   * @return the transport
   */
  public Transport transport() {
    return transport;
  }

  /**
   * The part after the transport prefix, as written: for a registry the image name (e.g. {@code
   * quay.io/fedora/fedora-coreos:stable} or {@code fedora}), for the file transports {@code
   * PATH[:REF]}.
   *
   * @return the text within the transport
   */
  public String name() {
    return name;
  }

  /**
   * Whether this reference names an image in a registry ({@link Transport#DOCKER}).
   *
   * @return true for {@code docker://} (and {@code registry:}) references
   */
  public boolean isRegistry() {
    return transport == Transport.DOCKER;
  }

  /**
   * Whether {@link #registry()} and {@link #repository()} are available: registry references, and
   * {@code docker-archive:} references that name an image.
   *
   * @return true when the reference carries a Docker name
   */
  public boolean hasDockerName() {
    return registry != null;
  }

  /**
   * The normalized registry, {@code HOST[:PORT]}, e.g. {@code docker.io} or {@code quay.io}.
   *
   * @return the registry
   * @throws IllegalStateException when {@link #hasDockerName()} is false
   */
  public String registry() {
    requireDockerName();
    return registry;
  }

  /**
   * The normalized repository, e.g. {@code library/fedora} or {@code fedora/fedora-coreos}.
   *
   * @return the repository path within the registry
   * @throws IllegalStateException when {@link #hasDockerName()} is false
   */
  public String repository() {
    requireDockerName();
    return repository;
  }

  /**
   * The tag as written: for registry and {@code docker-archive:} references the Docker tag, for
   * {@code oci:} and {@code oci-archive:} the reference name after the path.
   *
   * @return the tag, if one was given
   */
  public Optional<String> tag() {
    return Optional.ofNullable(tag);
  }

  /**
   * The digest of a registry reference written as {@code …@sha256:…}.
   *
   * @return the digest, if one was given
   */
  public Optional<Digest> digest() {
    return Optional.ofNullable(digest);
  }

  /**
   * What to ask the registry for: the digest if there is one, else the tag, else {@code latest}.
   *
   * @return a digest string or a tag
   * @throws IllegalStateException when {@link #hasDockerName()} is false
   */
  public String tagOrDigest() {
    requireDockerName();
    return digest != null ? digest.toString() : tag != null ? tag : "latest";
  }

  /**
   * The file or directory of a file transport, as written (relative paths resolve against the
   * current directory).
   *
   * @return the path
   * @throws IllegalStateException for registry references
   */
  public Path path() {
    if (path == null) {
      throw new IllegalStateException(original + " is not a file reference");
    }
    return Path.of(path);
  }

  /**
   * A registry reference to the same repository with a digest instead of a tag.
   *
   * @param d the manifest digest
   * @return {@code docker://REGISTRY/REPOSITORY@DIGEST}
   * @throws IllegalStateException for references that are not registry references
   */
  public ImageReference withDigest(Digest d) {
    if (!isRegistry()) {
      throw new IllegalStateException(original + " is not a registry reference");
    }
    try {
      return parse("docker://" + registry + "/" + repository + "@" + d);
    } catch (InvalidReferenceException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The normalized form used for equality: {@code docker://REGISTRY/REPOSITORY:TAG} (tag
   * defaulting to {@code latest}) or {@code …@DIGEST} for registries; {@code PREFIX PATH[:REF]}
   * for the file transports, with {@code docker-archive:} names normalized like registry names.
   *
   * @return the canonical text
   */
  public String canonical() {
    return canonical;
  }

  private String computeCanonical() {
    switch (transport) {
      case DOCKER:
        return transport.prefix() + registry + "/" + repository
            + (digest != null ? "@" + digest : ":" + (tag != null ? tag : "latest"));
      case DOCKER_ARCHIVE:
        return transport.prefix() + path
            + (registry == null ? ""
                : ":" + registry + "/" + repository + ":" + (tag != null ? tag : "latest"));
      default:
        return transport.prefix() + path + (tag == null ? "" : ":" + tag);
    }
  }

  private void requireDockerName() {
    if (registry == null) {
      throw new IllegalStateException(original + " does not name a registry image");
    }
  }

  /**
   * Equal when the canonical forms are equal.
   *
   * @param o another object
   * @return whether both name the same image
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof ImageReference && ((ImageReference) o).canonical.equals(canonical);
  }

  @Override
  public int hashCode() {
    return canonical.hashCode();
  }

  /**
   * The text this reference was parsed from, unchanged.
   *
   * @return the original text
   */
  @Override
  public String toString() {
    return original;
  }
}
