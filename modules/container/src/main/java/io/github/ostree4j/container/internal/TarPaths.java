package io.github.ostree4j.container.internal;

import io.github.ostree4j.container.InvalidOstreeTarException;
import java.util.ArrayList;
import java.util.List;

/**
 * Entry names of an ostree-ext tar stream as the importer sees them: {@code ./x}, {@code /x} and
 * {@code x} are the same path, empty and {@code .} components are dropped, and {@code ..} is
 * refused wherever it appears.
 */
public final class TarPaths {

  private static final List<String> REPO = List.of("sysroot", "ostree", "repo");

  private TarPaths() {}

  /**
   * The components of an entry name.
   *
   * @throws InvalidOstreeTarException if a component is {@code ..}
   */
  public static List<String> components(String entryName) throws InvalidOstreeTarException {
    List<String> parts = new ArrayList<>();
    for (String p : entryName.split("/", -1)) {
      if (p.isEmpty() || p.equals(".")) {
        continue;
      }
      if (p.equals("..")) {
        throw new InvalidOstreeTarException(entryName, "path contains '..'");
      }
      parts.add(p);
    }
    return parts;
  }

  /**
   * The components below {@code sysroot/ostree/repo/}, or null if the entry is not inside the
   * embedded repository (an empty list for the repository directory itself).
   *
   * @throws InvalidOstreeTarException if a component is {@code ..}
   */
  public static List<String> insideRepo(String entryName) throws InvalidOstreeTarException {
    List<String> parts = components(entryName);
    if (parts.size() < REPO.size() || !parts.subList(0, REPO.size()).equals(REPO)) {
      return null;
    }
    return parts.subList(REPO.size(), parts.size());
  }
}
