package io.github.ostree4j.container.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link OptimalPartition} against exhaustive search over every way (contiguous or not) of
 * putting up to 8 items into groups: the dynamic program's cost equals the true optimum.
 */
class OptimalPartitionTest {

  @Test
  void matchesExhaustiveSearchOverAllSetPartitions() {
    Random random = new Random(42);
    for (int round = 0; round < 300; round++) {
      int n = 1 + random.nextInt(8);
      double[] w = new double[n];
      for (int i = 0; i < n; i++) {
        w[i] = random.nextInt(4) == 0 ? random.nextInt(1000) : Math.exp(random.nextDouble() * 12);
      }
      double[] sorted = Arrays.stream(w).map(x -> -x).sorted().map(x -> -x).toArray();
      for (int g = 1; g <= n; g++) {
        int[] bounds = OptimalPartition.split(sorted, g);
        assertEquals(g + 1, bounds.length);
        assertEquals(0, bounds[0]);
        assertEquals(n, bounds[g]);
        for (int k = 0; k < g; k++) {
          assertTrue(bounds[k] < bounds[k + 1], "groups are not empty: " + Arrays.toString(bounds));
        }
        double dp = OptimalPartition.cost(sorted, bounds);
        double best = bruteForce(w, g);
        assertEquals(best, dp, 1e-6 * Math.max(1, best), "weights " + Arrays.toString(w) + ", " + g + " groups");
      }
    }
  }

  @Test
  void singleGroupAndOneGroupPerItem() {
    double[] w = {5, 3, 1};
    assertArrayEquals(new int[] {0, 3}, OptimalPartition.split(w, 1));
    assertArrayEquals(new int[] {0, 1, 2, 3}, OptimalPartition.split(w, 3));
  }

  @Test
  void badArgumentsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> OptimalPartition.split(new double[] {1, 2}, 3));
    assertThrows(IllegalArgumentException.class, () -> OptimalPartition.split(new double[] {1}, 0));
    assertThrows(IllegalArgumentException.class, () -> OptimalPartition.split(new double[] {-1, 2}, 1));
  }

  /** Minimal cost over every assignment of the items to exactly g non-empty groups. */
  private static double bruteForce(double[] w, int g) {
    int n = w.length;
    int[] group = new int[n];
    double[] best = {Double.POSITIVE_INFINITY};
    assign(w, g, group, 0, 0, best);
    return best[0];
  }

  private static void assign(double[] w, int g, int[] group, int i, int used, double[] best) {
    if (i == w.length) {
      if (used == g) {
        double[] sum = new double[g];
        int[] count = new int[g];
        for (int k = 0; k < w.length; k++) {
          sum[group[k]] += w[k];
          count[group[k]]++;
        }
        double c = 0;
        for (int k = 0; k < g; k++) {
          c += count[k] * sum[k];
        }
        best[0] = Math.min(best[0], c);
      }
      return;
    }
    for (int k = 0; k < Math.min(used + 1, g); k++) {
      group[i] = k;
      assign(w, g, group, i + 1, Math.max(used, k + 1), best);
    }
  }
}
