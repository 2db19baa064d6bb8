package io.github.ostree4j.container;

import io.github.ostree4j.ostree.Checksum;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The outcome of importing one derived layer: its layer commit, and how many entries were
 * dropped because they lie outside the content an ostree system keeps.
 *
 * @param commit the layer commit
 * @param filtered number of dropped entries per top-level directory ({@code opt}, {@code boot},
 *     {@code tmp}...), sorted by name; empty if nothing was dropped
 */
public record DerivedLayerResult(Checksum commit, Map<String, Long> filtered) {

  /**
   * Canonical constructor; keeps a sorted, unmodifiable copy of {@code filtered}.
   *
   * @param commit the layer commit, not null
   * @param filtered dropped entries per top-level directory, not null
   */
  public DerivedLayerResult {
    Objects.requireNonNull(commit, "commit");
    filtered = java.util.Collections.unmodifiableMap(new TreeMap<>(filtered));
  }

  /** The number of dropped entries in all. */
  public long filteredTotal() {
    long n = 0;
    for (long v : filtered.values()) {
      n += v;
    }
    return n;
  }
}
