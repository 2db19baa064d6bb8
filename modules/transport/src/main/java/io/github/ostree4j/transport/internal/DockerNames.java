package io.github.ostree4j.transport.internal;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The grammar of Docker image names ({@code [DOMAIN/]PATH[:TAG][@DIGEST]}) and the normalization
 * containers-image applies to them: a first component without {@code .} or {@code :} (and not
 * {@code localhost}) is not a domain, so the image is on {@code docker.io}; {@code
 * index.docker.io} means {@code docker.io}; single-component names on {@code docker.io} live
 * under {@code library/}.
 *
 * <p>Only the syntax lives here; {@code ImageReference.parse} is the one entry point that uses it.
 */
public final class DockerNames {

  /** The registry Docker Hub images are named under. */
  public static final String DOCKER_HUB = "docker.io";

  /** The host that serves Docker Hub's registry API. */
  public static final String DOCKER_HUB_API = "registry-1.docker.io";

  private static final String ALNUM = "[a-z0-9]+";
  private static final String SEPARATOR = "(?:[._]|__|[-]+)";
  private static final String PATH_COMPONENT = ALNUM + "(?:" + SEPARATOR + ALNUM + ")*";
  private static final String DOMAIN_COMPONENT =
      "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
  private static final String HOST =
      "(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*|\\[[a-fA-F0-9:]+\\])";
  private static final String DOMAIN = HOST + "(?::[0-9]+)?";
  private static final String PATH = PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*";
  private static final String TAG = "[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}";
  private static final String DIGEST =
      "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";

  private static final Pattern DOMAIN_PATTERN = Pattern.compile(DOMAIN);
  private static final Pattern PATH_PATTERN = Pattern.compile(PATH);
  private static final Pattern TAG_PATTERN = Pattern.compile(TAG);
  private static final Pattern DIGEST_PATTERN = Pattern.compile(DIGEST);
  private static final Pattern NAME_AND_REST =
      Pattern.compile("^([^:@]*)(?::([^@]*))?(?:@(.*))?$");
  private static final Pattern HEX64 = Pattern.compile("[a-f0-9]{64}");

  /** Longest allowed {@code DOMAIN/PATH}. */
  public static final int MAX_NAME_LENGTH = 255;

  private DockerNames() {}

  /**
   * A normalized Docker name.
   *
   * @param domain the registry, {@code HOST[:PORT]}, e.g. {@code docker.io}
   * @param path the repository, e.g. {@code library/fedora}
   * @param tag the tag, or null
   * @param digest the digest text, or null
   */
  public record Name(String domain, String path, String tag, String digest) {}

  /**
   * Parses and normalizes a Docker name as containers-image does.
   *
   * @param s the name, e.g. {@code fedora}, {@code quay.io/fedora/fedora-coreos:stable}
   * @return the normalized parts
   * @throws IllegalArgumentException with a short reason when the name is invalid
   */
  public static Name parseNormalized(String s) {
    if (s.isEmpty()) {
      throw new IllegalArgumentException("empty image name");
    }
    if (HEX64.matcher(s).matches()) {
      throw new IllegalArgumentException("a 64-hex-digit image ID is not a repository name");
    }
    String domain;
    String remainder;
    int slash = s.indexOf('/');
    String first = slash < 0 ? "" : s.substring(0, slash);
    if (slash < 0
        || (first.indexOf('.') < 0
            && first.indexOf(':') < 0
            && !first.equals("localhost")
            && first.toLowerCase(Locale.ROOT).equals(first))) {
      domain = DOCKER_HUB;
      remainder = s;
    } else {
      domain = first;
      remainder = s.substring(slash + 1);
    }
    if (domain.equals("index.docker.io")) {
      domain = DOCKER_HUB;
    }
    Matcher m = NAME_AND_REST.matcher(remainder);
    if (!m.matches()) {
      throw new IllegalArgumentException("invalid reference format");
    }
    String path = m.group(1);
    String tag = m.group(2);
    String digest = m.group(3);
    if (domain.equals(DOCKER_HUB) && path.indexOf('/') < 0 && !path.isEmpty()) {
      path = "library/" + path;
    }
    if (!DOMAIN_PATTERN.matcher(domain).matches()) {
      throw new IllegalArgumentException("invalid registry host '" + domain + "'");
    }
    if (path.isEmpty()) {
      throw new IllegalArgumentException("missing repository name");
    }
    if (!path.toLowerCase(Locale.ROOT).equals(path)) {
      throw new IllegalArgumentException("repository name '" + path + "' must be lowercase");
    }
    if (!PATH_PATTERN.matcher(path).matches()) {
      throw new IllegalArgumentException("invalid repository name '" + path + "'");
    }
    if (domain.length() + 1 + path.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException(
          "repository name is longer than " + MAX_NAME_LENGTH + " characters");
    }
    if (tag != null && !TAG_PATTERN.matcher(tag).matches()) {
      throw new IllegalArgumentException("invalid tag '" + tag + "'");
    }
    if (digest != null && !DIGEST_PATTERN.matcher(digest).matches()) {
      throw new IllegalArgumentException("invalid digest '" + digest + "'");
    }
    return new Name(domain, path, tag, digest);
  }

  /**
   * Whether {@code tag} is a valid Docker tag.
   *
   * @param tag the text
   * @return true when it matches {@code [\w][\w.-]{0,127}}
   */
  public static boolean isValidTag(String tag) {
    return TAG_PATTERN.matcher(tag).matches();
  }

  /**
   * The host that serves the registry API for a registry name ({@code docker.io} is served by
   * {@code registry-1.docker.io}).
   *
   * @param registry {@code HOST[:PORT]}
   * @return the host to connect to
   */
  public static String apiHost(String registry) {
    return registry.equals(DOCKER_HUB) || registry.equals("index.docker.io")
        ? DOCKER_HUB_API
        : registry;
  }
}
