package io.github.ostree4j.oci;

/**
 * OCI/AUFS whiteout names in layer tars. A file {@code dir/.wh.NAME} in a layer deletes
 * {@code dir/NAME} of the layers below; a file {@code dir/.wh..wh..opq} makes {@code dir} opaque
 * (hides everything the lower layers have in it). Other names starting with {@code .wh..wh.} are
 * AUFS bookkeeping and are neither files nor whiteouts.
 *
 * <p>The methods take tar entry names or paths ({@code usr/share/.wh.doc}, {@code ./etc/.wh..wh..opq})
 * and look at the last component; a trailing {@code /} is ignored.
 */
public final class Whiteouts {

  /** The whiteout prefix {@code .wh.}. */
  public static final String PREFIX = ".wh.";
  /** The opaque-directory marker {@code .wh..wh..opq}. */
  public static final String OPAQUE = ".wh..wh..opq";
  /** The prefix of AUFS metadata names, {@code .wh..wh.}. */
  public static final String META_PREFIX = ".wh..wh.";

  private Whiteouts() {}

  /** Whether the last component is a whiteout for a deleted name (not the opaque marker, not AUFS metadata). */
  public static boolean isWhiteout(String path) {
    String base = baseName(path);
    return base.startsWith(PREFIX) && !base.startsWith(META_PREFIX);
  }

  /** Whether the last component is the opaque marker {@code .wh..wh..opq}. */
  public static boolean isOpaque(String path) {
    return baseName(path).equals(OPAQUE);
  }

  /** Whether the last component is AUFS metadata ({@code .wh..wh.} but not the opaque marker). */
  public static boolean isMeta(String path) {
    String base = baseName(path);
    return base.startsWith(META_PREFIX) && !base.equals(OPAQUE);
  }

  /**
   * The path a whiteout deletes: {@code a/b/.wh.c} gives {@code a/b/c}.
   *
   * @throws IllegalArgumentException if {@code path} is not a whiteout ({@link #isWhiteout})
   * @throws OciFormatException if the deleted name would be empty, {@code .} or {@code ..}
   */
  public static String whitedOut(String path) throws OciFormatException {
    if (!isWhiteout(path)) {
      throw new IllegalArgumentException("not a whiteout: " + path);
    }
    String p = stripSlash(path);
    int slash = p.lastIndexOf('/');
    String target = p.substring(slash + 1 + PREFIX.length());
    if (target.isEmpty() || target.equals(".") || target.equals("..")) {
      throw new OciFormatException("invalid whiteout '" + path + "': it names '" + target + "'");
    }
    return p.substring(0, slash + 1) + target;
  }

  /**
   * The whiteout entry that deletes {@code path}: {@code a/b/c} gives {@code a/b/.wh.c}.
   *
   * @throws IllegalArgumentException if the last component is empty, {@code .} or {@code ..}
   */
  public static String whiteoutFor(String path) {
    String p = stripSlash(path);
    int slash = p.lastIndexOf('/');
    String base = p.substring(slash + 1);
    if (base.isEmpty() || base.equals(".") || base.equals("..")) {
      throw new IllegalArgumentException("cannot white out '" + path + "'");
    }
    return p.substring(0, slash + 1) + PREFIX + base;
  }

  /** The opaque marker entry for directory {@code dir}: {@code a/b} gives {@code a/b/.wh..wh..opq}. */
  public static String opaqueFor(String dir) {
    String p = stripSlash(dir);
    return p.isEmpty() || p.equals(".") ? OPAQUE : p + "/" + OPAQUE;
  }

  private static String baseName(String path) {
    String p = stripSlash(path);
    return p.substring(p.lastIndexOf('/') + 1);
  }

  private static String stripSlash(String path) {
    String p = path;
    while (p.endsWith("/") && p.length() > 1) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }
}
