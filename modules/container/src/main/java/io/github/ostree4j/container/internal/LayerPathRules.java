package io.github.ostree4j.container.internal;

import io.github.ostree4j.container.InvalidLayerException;
import io.github.ostree4j.ostree.TarEntryFilter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Where the entries of a derived (non-ostree) container layer go in its layer commit, following
 * ostree-ext's rules for such layers:
 *
 * <ul>
 *   <li>absolute names become relative; empty and {@code .} components are dropped; {@code ..}
 *       is an error;
 *   <li>{@code usr/...} and {@code var/...} are kept; {@code etc/...} moves to {@code usr/etc/...}
 *       (hard link targets too);
 *   <li>{@code run}, {@code tmp}, {@code proc}, {@code sys} and {@code dev} are kept as empty
 *       directories: everything below them is dropped;
 *   <li>any other top-level name ({@code opt}, {@code boot}, {@code bin}...) is dropped, unless
 *       content outside {@code /usr} is allowed (transient roots, non-ostree images);
 *   <li>a regular file under {@code sysroot/ostree/repo/} with a modification time after the
 *       epoch is an ostree object that the build changed in place (ostree exports every entry
 *       with mtime 0). It is not put in the tree, but a hard link to it with a modification time
 *       after the epoch gets its content, so the changed file shows up at the link's path (the
 *       ostree-rs-ext#405 fix). Unchanged repository entries are dropped like any other
 *       top-level name.
 * </ul>
 *
 * <p>Dropped entries are counted per top-level directory. (ostree-ext counts the children of
 * {@code run}, {@code tmp} and the like under the child's first name instead; the per-top-level
 * count is what a warning about dropped content needs.) Hard links to dropped entries are errors.
 */
public final class LayerPathRules implements TarEntryFilter {

  /** Where ostree containers keep their repository. */
  static final List<String> REPO = List.of("sysroot", "ostree", "repo");
  /** Top-level directories that are kept, empty. */
  private static final Set<String> EMPTIED = Set.of("run", "tmp", "proc", "sys", "dev");

  private final boolean allowNonUsr;
  private final Map<String, Long> filtered = new TreeMap<>();

  /** Rules that keep content outside {@code /usr} only if {@code allowNonUsr}. */
  public LayerPathRules(boolean allowNonUsr) {
    this.allowNonUsr = allowNonUsr;
  }

  /** Dropped entries so far, by top-level directory. */
  public Map<String, Long> filtered() {
    return Collections.unmodifiableMap(new TreeMap<>(filtered));
  }

  @Override
  public Placement place(Entry entry) throws InvalidLayerException {
    List<String> parts = components(entry.name(), entry.name(), "name");
    if (entry.type() == Type.REGULAR && entry.mtime() > 0 && inRepo(parts)) {
      return Placement.linkSource(String.join("/", parts));
    }
    String mapped = map(parts);
    if (mapped == null) {
      filtered.merge(parts.get(0), 1L, Long::sum);
      return Placement.skip();
    }
    return Placement.tree(mapped);
  }

  @Override
  public String hardlinkTarget(Entry entry) throws InvalidLayerException {
    List<String> target = components(entry.linkName(), entry.name(), "hardlink target");
    if (entry.mtime() > 0 && inRepo(target)) {
      return String.join("/", target);
    }
    String mapped = map(target);
    if (mapped == null) {
      throw new InvalidLayerException("layer entry '" + entry.name() + "': hardlink to '" + entry.linkName()
          + "', which is not imported (content under '" + target.get(0) + "' is dropped)");
    }
    return mapped;
  }

  /**
   * The layer-commit path of a normalized name, or null if it is dropped.
   */
  String map(List<String> parts) {
    if (parts.isEmpty()) {
      return "";
    }
    String top = parts.get(0);
    String rest = String.join("/", parts);
    switch (top) {
      case "usr":
      case "var":
        return rest;
      case "etc":
        return "usr/" + rest;
      default:
        if (EMPTIED.contains(top)) {
          return parts.size() == 1 ? top : null;
        }
        return allowNonUsr ? rest : null;
    }
  }

  /**
   * Splits a name into components: leading {@code /}, empty and {@code .} components are
   * dropped.
   *
   * @throws InvalidLayerException if a component is {@code ..}
   */
  static List<String> components(String path, String entryName, String what) throws InvalidLayerException {
    List<String> parts = new ArrayList<>();
    for (String p : path.split("/")) {
      if (p.isEmpty() || p.equals(".")) {
        continue;
      }
      if (p.equals("..")) {
        throw new InvalidLayerException("layer entry '" + entryName + "': " + what + " '" + path
            + "' contains '..'");
      }
      parts.add(p);
    }
    return parts;
  }

  private static boolean inRepo(List<String> parts) {
    return parts.size() > REPO.size() && parts.subList(0, REPO.size()).equals(REPO);
  }
}
