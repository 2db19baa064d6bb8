package io.github.ostree4j.transport.internal.sigstore;

import io.github.ostree4j.transport.ImageReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How containers-image looks an image up in a policy's {@code transports} section: the transport
 * name, the image's own scope (its "policy configuration identity") and then its enclosing
 * namespaces, most specific first.
 *
 * <ul>
 *   <li>{@code docker}: {@code HOST/REPO:TAG} or {@code HOST/REPO@DIGEST}, then {@code
 *       HOST/REPO}, each parent namespace, {@code HOST}, then {@code *.DOMAIN} wildcards for each
 *       parent domain of the host (port removed);
 *   <li>{@code oci}, {@code oci-archive}: the absolute path with symlinks resolved, plus {@code
 *       :REF} when a reference name is given, then the path and each parent directory (not
 *       {@code /});
 *   <li>{@code docker-archive}: none (only the transport's {@code ""} scope and the default apply).
 * </ul>
 */
public final class PolicyScopes {

  private PolicyScopes() {}

  /**
   * The image's own scope.
   *
   * @param ref the image
   * @return the identity, or empty for transports without one
   */
  public static String identity(ImageReference ref) {
    switch (ref.transport()) {
      case DOCKER:
        return dockerReference(ref).orElseThrow().toString();
      case OCI:
      case OCI_ARCHIVE:
        return resolved(ref.path()) + ref.tag().map(t -> ":" + t).orElse("");
      default:
        return "";
    }
  }

  /**
   * The enclosing scopes, most specific first.
   *
   * @param ref the image
   * @return the namespaces
   */
  public static List<String> namespaces(ImageReference ref) {
    List<String> out = new ArrayList<>();
    switch (ref.transport()) {
      case DOCKER: {
        String name = ref.registry() + "/" + ref.repository();
        while (true) {
          out.add(name);
          int slash = name.lastIndexOf('/');
          if (slash < 0) {
            break;
          }
          name = name.substring(0, slash);
        }
        int colon = name.indexOf(':');
        if (colon >= 0) {
          name = name.substring(0, colon);
        }
        while (true) {
          int dot = name.indexOf('.');
          if (dot < 0) {
            break;
          }
          name = name.substring(dot + 1);
          out.add("*." + name);
        }
        return out;
      }
      case OCI:
      case OCI_ARCHIVE: {
        String p = resolved(ref.path());
        while (!p.equals("/") && !p.isEmpty()) {
          out.add(p);
          int slash = p.lastIndexOf('/');
          p = slash <= 0 ? "/" : p.substring(0, slash);
        }
        return out;
      }
      default:
        return out;
    }
  }

  /**
   * The Docker reference signatures are matched against: the registry name with tag or digest
   * for {@code docker://}, the embedded name of a {@code docker-archive:} file; none for OCI
   * layouts.
   *
   * @param ref the image
   * @return the reference, or empty
   */
  public static Optional<DockerRef> dockerReference(ImageReference ref) {
    if (!ref.hasDockerName()) {
      return Optional.empty();
    }
    String name = ref.registry() + "/" + ref.repository();
    if (ref.digest().isPresent()) {
      return Optional.of(new DockerRef(name, null, ref.digest().get().toString()));
    }
    return Optional.of(new DockerRef(name, ref.tag().orElse("latest"), null));
  }

  private static String resolved(Path p) {
    Path abs = p.toAbsolutePath().normalize();
    try {
      if (Files.exists(abs)) {
        return abs.toRealPath().toString();
      }
      Path parent = abs.getParent();
      if (parent != null && Files.exists(parent)) {
        return parent.toRealPath().resolve(abs.getFileName()).toString();
      }
    } catch (IOException e) {
      // fall back to the lexical form
    }
    return abs.toString();
  }
}
