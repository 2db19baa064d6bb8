package io.github.ostree4j.container.internal;

import io.github.ostree4j.container.InvalidOstreeTarException;
import io.github.ostree4j.ostree.Checksum;
import java.util.List;

/**
 * The xattrs checksum named by the target of an xattrs hard link.
 *
 * <ul>
 *   <li>{@code .file-xattrs-link} (2022 to 2025): {@code ../xx/<62 hex>.file-xattrs}, relative to
 *       the link's own directory, or the full path {@code sysroot/ostree/repo/objects/xx/<62
 *       hex>.file-xattrs};
 *   <li>{@code .file.xattrs} (2021): {@code sysroot/ostree/repo/xattrs/<64 hex>}.
 * </ul>
 */
public final class XattrsLinkTarget {

  private XattrsLinkTarget() {}

  /**
   * Parses the target of a {@code .file-xattrs-link} hard link.
   *
   * @throws InvalidOstreeTarException if it does not name a {@code .file-xattrs} object
   */
  public static Checksum parse(String entry, String target) throws InvalidOstreeTarException {
    List<String> objectParts;
    try {
      if (target.startsWith("../")) {
        objectParts = TarPaths.components(target.substring(3));
      } else {
        List<String> rel = TarPaths.insideRepo(target);
        if (rel == null || rel.size() != 3 || !rel.get(0).equals("objects")) {
          throw bad(entry, target);
        }
        objectParts = rel.subList(1, 3);
      }
      ObjectName on = ObjectName.parse(target, objectParts);
      if (on.kind() != ObjectName.Kind.FILE_XATTRS) {
        throw bad(entry, target);
      }
      return on.checksum();
    } catch (InvalidOstreeTarException e) {
      if (e.entry().orElse("").equals(entry)) {
        throw e;
      }
      throw new InvalidOstreeTarException(entry, "hard link target '" + target + "' is not a .file-xattrs object: "
          + e.reason(), e);
    }
  }

  /**
   * Parses the target of a {@code .file.xattrs} hard link.
   *
   * @throws InvalidOstreeTarException if it does not name {@code xattrs/<sha256>}
   */
  public static Checksum parseV0(String entry, String target) throws InvalidOstreeTarException {
    List<String> rel;
    try {
      rel = TarPaths.insideRepo(target);
    } catch (InvalidOstreeTarException e) {
      throw bad(entry, target);
    }
    if (rel == null || rel.size() != 2 || !rel.get(0).equals("xattrs") || !Checksum.isValid(rel.get(1))) {
      throw new InvalidOstreeTarException(entry, "hard link target '" + target
          + "' is not sysroot/ostree/repo/xattrs/<64 hex digits>");
    }
    return Checksum.parse(rel.get(1));
  }

  private static InvalidOstreeTarException bad(String entry, String target) {
    return new InvalidOstreeTarException(entry, "hard link target '" + target
        + "' is not a .file-xattrs object (../xx/<62 hex>.file-xattrs or sysroot/ostree/repo/objects/...)");
  }
}
