package io.github.ostree4j.container.internal;

/**
 * Splits a sequence of weights into a given number of contiguous groups so that the sum over the
 * groups of (number of items × total weight) is minimal.
 *
 * <p>With the weights being component sizes sorted in decreasing order, that sum is the number
 * of bytes a client downloads, summed over every possible single-component update: when a
 * component changes, its whole group (layer) is fetched again. For this cost an optimal split of
 * the items into groups is always contiguous in size order (swapping a larger item out of a
 * group with more items never hurts), so a dynamic program over split points finds the optimum.
 * The cost of a group is a sum over a square of the (item, item) grid, which makes it a Monge
 * function, so the best split point is monotone and the divide-and-conquer optimisation applies:
 * O(groups × n log n) instead of O(groups × n²).
 */
public final class OptimalPartition {

  private final double[] prefix;
  private final int n;

  private OptimalPartition(double[] weights) {
    this.n = weights.length;
    this.prefix = new double[n + 1];
    for (int i = 0; i < n; i++) {
      if (!(weights[i] >= 0)) {
        throw new IllegalArgumentException("weight " + i + " is negative or NaN: " + weights[i]);
      }
      prefix[i + 1] = prefix[i] + weights[i];
    }
  }

  /**
   * Splits {@code weights} into exactly {@code groups} non-empty contiguous groups of minimal
   * cost. Ties are broken towards the earliest split, so the result is deterministic.
   *
   * @param weights the item weights, in the order to keep
   * @param groups the number of groups, between 1 and the number of items
   * @return the group boundaries: {@code groups + 1} indexes, starting with 0 and ending with
   *     {@code weights.length}; group k holds items [b[k], b[k+1])
   */
  public static int[] split(double[] weights, int groups) {
    int n = weights.length;
    if (groups < 1 || groups > n) {
      throw new IllegalArgumentException("cannot split " + n + " items into " + groups + " groups");
    }
    return new OptimalPartition(weights).run(groups);
  }

  /**
   * The cost of a grouping: sum over groups of item count × total weight.
   *
   * @param weights the item weights
   * @param bounds boundaries as returned by {@link #split}
   * @return the cost
   */
  public static double cost(double[] weights, int[] bounds) {
    OptimalPartition p = new OptimalPartition(weights);
    double total = 0;
    for (int k = 0; k + 1 < bounds.length; k++) {
      total += p.cost(bounds[k], bounds[k + 1]);
    }
    return total;
  }

  private double cost(int i, int j) {
    return (j - i) * (prefix[j] - prefix[i]);
  }

  private int[] run(int groups) {
    double[] prev = new double[n + 1];
    double[] cur = new double[n + 1];
    int[][] from = new int[groups + 1][n + 1];
    for (int j = 1; j <= n; j++) {
      prev[j] = cost(0, j);
    }
    for (int m = 2; m <= groups; m++) {
      java.util.Arrays.fill(cur, Double.POSITIVE_INFINITY);
      fill(m, prev, cur, from[m], m, n, m - 1, n - 1);
      double[] t = prev;
      prev = cur;
      cur = t;
    }
    int[] bounds = new int[groups + 1];
    bounds[groups] = n;
    int j = n;
    for (int m = groups; m >= 2; m--) {
      j = from[m][j];
      bounds[m - 1] = j;
    }
    bounds[0] = 0;
    return bounds;
  }

  /** Computes cur[j] for j in [lo, hi], knowing the best split lies in [optLo, optHi]. */
  private void fill(int m, double[] prev, double[] cur, int[] from, int lo, int hi, int optLo, int optHi) {
    if (lo > hi) {
      return;
    }
    int mid = (lo + hi) >>> 1;
    double best = Double.POSITIVE_INFINITY;
    int bestI = Math.max(optLo, m - 1);
    int last = Math.min(optHi, mid - 1);
    for (int i = Math.max(optLo, m - 1); i <= last; i++) {
      double v = prev[i] + cost(i, mid);
      if (v < best) {
        best = v;
        bestI = i;
      }
    }
    cur[mid] = best;
    from[mid] = bestI;
    fill(m, prev, cur, from, lo, mid - 1, optLo, bestI);
    fill(m, prev, cur, from, mid + 1, hi, bestI, optHi);
  }
}
