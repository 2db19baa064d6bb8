package io.github.ostree4j.container;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Update-size measures of a packing, for comparisons: what a client re-downloads when components
 * change, given that a changed component makes its whole layer change.
 */
final class PackingCost {

  private PackingCost() {}

  /** The bins of a plan, as lists of component names. */
  static List<List<String>> bins(LayerPlan plan) {
    List<List<String>> out = new ArrayList<>();
    for (PlannedLayer l : plan.layers()) {
      out.add(l.components());
    }
    return out;
  }

  /** The bins of the upstream model, as lists of component names. */
  static List<List<String>> binsOf(List<List<UpstreamPackingModel.Sized>> packing) {
    List<List<String>> out = new ArrayList<>();
    for (List<UpstreamPackingModel.Sized> b : packing) {
      out.add(b.stream().map(UpstreamPackingModel.Sized::name).toList());
    }
    return out;
  }

  /** Expected bytes re-downloaded when one component, any of them alike, changes. */
  static double singleChange(List<List<String>> bins, Map<String, Long> size) {
    double total = 0;
    int n = 0;
    for (List<String> b : bins) {
      long s = b.stream().mapToLong(size::get).sum();
      total += (double) b.size() * s;
      n += b.size();
    }
    return total / n;
  }

  /**
   * Expected bytes re-downloaded when one component changes, picked with probability
   * proportional to its change frequency (components that change in every build left out: they
   * are re-downloaded by every update whatever the packing).
   */
  static double singleChangeByFrequency(List<List<String>> bins, Map<String, Long> size, Map<String, Long> frequency) {
    double total = 0;
    double weight = 0;
    for (List<String> b : bins) {
      long s = b.stream().mapToLong(size::get).sum();
      for (String c : b) {
        long f = frequency.get(c);
        if (f != UpstreamPackingModel.MAX_FREQUENCY) {
          total += (double) f * s;
          weight += f;
        }
      }
    }
    return total / weight;
  }

  /**
   * Expected bytes re-downloaded by a weekly update when component i changes in a given week
   * with probability {@code min(1, frequency_i / 52)} (frequency: changes per year).
   */
  static double weekly(List<List<String>> bins, Map<String, Long> size, Map<String, Long> frequency) {
    double total = 0;
    for (List<String> b : bins) {
      double unchanged = 1;
      long s = 0;
      for (String c : b) {
        unchanged *= 1 - Math.min(1.0, frequency.get(c) / 52.0);
        s += size.get(c);
      }
      total += s * (1 - unchanged);
    }
    return total;
  }
}
