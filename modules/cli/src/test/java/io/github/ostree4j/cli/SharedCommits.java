package io.github.ostree4j.cli;

import io.github.ostree4j.testing.OstreeCli;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Commits made by {@code ostree} and by {@code ostree4j} with the same options, memoised for the
 * whole JVM so that the commit conformance test and the interoperability test share the expensive
 * ones (the Debian tree). There is one repository per (tool, mode, tree); each options variant
 * commits to its own branch {@code <tree>-<variant>}, so no commit has a parent and the order in
 * which tests run does not matter.
 */
final class SharedCommits {

  /** Which program wrote a repository. */
  enum Tool {
    OSTREE,
    OSTREE4J
  }

  /** The commit option sets that are compared. */
  enum Variant {
    /** {@code --owner-uid=0 --owner-gid=0}. */
    ROOT_OWNED("own0"),
    /** Ownership as found on disk (or in the tar). */
    REAL_OWNERS("real");

    final String suffix;

    Variant(String suffix) {
      this.suffix = suffix;
    }
  }

  /** A commit in a repository. */
  record Committed(Tool tool, String mode, Path repo, String branch, String checksum) {}

  /** The fixed commit time of every shared commit. */
  static final String TIMESTAMP = "2020-01-01T00:00:00Z";

  private static final Map<String, Path> REPOS = new HashMap<>();
  private static final Map<String, Committed> COMMITS = new HashMap<>();

  private SharedCommits() {}

  /** The branch a variant of a tree is committed to. */
  static String branch(String treeKey, Variant variant) {
    return treeKey + "-" + variant.suffix;
  }

  /** The options both tools get, including {@code --branch}. */
  static List<String> options(String treeKey, Variant variant) {
    List<String> o = new ArrayList<>();
    o.add("--branch=" + branch(treeKey, variant));
    o.add("--timestamp=" + TIMESTAMP);
    o.add("--subject=Conformance " + treeKey);
    o.add("--body=Tree " + treeKey + ".\n\nVariant " + variant.suffix + ".");
    o.add("--add-metadata-string=version=1.0");
    if (variant == Variant.ROOT_OWNED) {
      o.add("--owner-uid=0");
      o.add("--owner-gid=0");
    }
    return o;
  }

  /**
   * Commits directory {@code tree} with {@link #options} (once per JVM per key) and returns the
   * commit.
   */
  static synchronized Committed commit(Tool tool, String mode, String treeKey, Path tree, Variant variant) {
    return commit(tool, mode, treeKey, variant, options(treeKey, variant), tree);
  }

  /**
   * Commits with explicit options (which must contain {@code --branch=} {@link #branch}) and an
   * optional tree argument; memoised under (tool, mode, treeKey, variant).
   */
  static synchronized Committed commit(Tool tool, String mode, String treeKey, Variant variant,
      List<String> options, Path treeOrNull) {
    String key = tool + "|" + mode + "|" + treeKey + "|" + variant;
    Committed c = COMMITS.get(key);
    if (c != null) {
      return c;
    }
    Path repo = repo(tool, mode, treeKey);
    String checksum = tool == Tool.OSTREE
        ? OstreeCli.commit(repo, options, treeOrNull)
        : Ostree4j.commit(repo, options, treeOrNull);
    c = new Committed(tool, mode, repo, branch(treeKey, variant), checksum);
    COMMITS.put(key, c);
    return c;
  }

  /** The repository of (tool, mode, treeKey), created on first use by the tool itself. */
  static synchronized Path repo(Tool tool, String mode, String treeKey) {
    String key = tool + "|" + mode + "|" + treeKey;
    Path repo = REPOS.get(key);
    if (repo == null) {
      repo = ItFixtures.newDir("repo-" + tool.name().toLowerCase() + "-" + mode + "-" + treeKey).resolve("repo");
      if (tool == Tool.OSTREE) {
        OstreeCli.init(repo, mode);
      } else {
        Ostree4j.init(repo, mode);
      }
      REPOS.put(key, repo);
    }
    return repo;
  }

  /** Deletes the repositories of {@code treeKey} (e.g. the 200 MiB one) and forgets them. */
  static synchronized void forget(String treeKey) {
    COMMITS.keySet().removeIf(k -> k.contains("|" + treeKey + "|"));
    REPOS.entrySet().removeIf(e -> {
      if (e.getKey().endsWith("|" + treeKey)) {
        ItFixtures.deleteQuietly(e.getValue().getParent());
        return true;
      }
      return false;
    });
  }
}
