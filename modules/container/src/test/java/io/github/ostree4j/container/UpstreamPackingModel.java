package io.github.ostree4j.container;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A model of the packing of ostree-ext's {@code basic_packing} without a prior build, written
 * from its documented behaviour, used only to compare update sizes with {@link Chunker}. Details
 * such as how the median of an even number of sizes is taken may differ from upstream.
 */
final class UpstreamPackingModel {

  /** A component as upstream sees it. */
  record Sized(String name, long size, long frequency) {}

  static final long MAX_FREQUENCY = 4294967295L;

  private UpstreamPackingModel() {}

  /** The bins, in image order; the last is empty. */
  static List<List<Sized>> pack(List<Sized> input, int bins) {
    List<Sized> components = new ArrayList<>(input);
    components.sort(Comparator.comparingLong(Sized::size).reversed());
    List<List<Sized>> r = new ArrayList<>();
    if (components.size() < bins) {
      for (Sized c : components) {
        r.add(List.of(c));
      }
      if (!components.isEmpty()) {
        r.add(List.of());
      }
      return r;
    }
    List<Sized> regular = new ArrayList<>();
    List<Sized> maxFrequency = new ArrayList<>();
    for (Sized c : components) {
      (c.frequency() == MAX_FREQUENCY ? maxFrequency : regular).add(c);
    }
    if (!regular.isEmpty()) {
      int lowBins = 1;
      int newBins = 1;
      int maxFrequencyBins = Math.min(1, maxFrequency.size());
      int other = lowBins + newBins + maxFrequencyBins;
      int highBins = (int) Math.floor(0.6 * (bins - other));
      int mediumBins = bins - (highBins + other);
      Map<String, List<Sized>> partitions = partition(regular, highBins, 2.0);
      int lowCount = partitions.getOrDefault("2ls", List.of()).size();
      int perMediumBin = (regular.size() - highBins - lowCount) / mediumBins;
      for (Map.Entry<String, List<Sized>> e : partitions.entrySet()) {
        if (e.getKey().equals("1hs")) {
          for (Sized c : e.getValue()) {
            r.add(List.of(c));
          }
        } else if (e.getKey().equals("2ls")) {
          r.add(new ArrayList<>(e.getValue()));
        } else {
          List<Sized> bin = new ArrayList<>();
          List<Sized> pkgs = e.getValue();
          for (int i = 0; i < pkgs.size(); i++) {
            if (bin.size() < perMediumBin) {
              bin.add(pkgs.get(i));
            } else {
              r.add(new ArrayList<>(bin));
              bin.clear();
              bin.add(pkgs.get(i));
            }
            if (i == pkgs.size() - 1 && !bin.isEmpty()) {
              r.add(new ArrayList<>(bin));
              bin.clear();
            }
          }
        }
      }
      int limit = bins - newBins - maxFrequencyBins;
      while (r.size() > limit) {
        int before = r.size();
        int start = lowBins + highBins;
        List<Integer> idx = new ArrayList<>();
        for (int i = start; i < r.size() - 1; i += 2) {
          idx.add(i);
        }
        for (int k = idx.size() - 1; k >= 0; k--) {
          if (r.size() <= limit) {
            break;
          }
          int i = idx.get(k);
          List<Sized> merged = new ArrayList<>(r.get(i - 1));
          merged.addAll(r.get(i));
          r.remove(i);
          r.remove(i - 1);
          r.add(Math.min(i, r.size()), merged);
        }
        if (r.size() == before) {
          throw new IllegalStateException("model cannot reduce " + before + " bins");
        }
      }
    }
    if (!maxFrequency.isEmpty()) {
      r.add(maxFrequency);
    }
    r.add(List.of());
    return r;
  }

  private static Map<String, List<Sized>> partition(List<Sized> components, int highBins, double t) {
    Map<String, List<Sized>> partitions = new TreeMap<>();
    double[] sizes = components.stream().mapToDouble(Sized::size).toArray();
    double median = median(sizes);
    double[] dev = Arrays.stream(sizes).map(s -> Math.abs(s - median)).toArray();
    double mad = median(dev);
    double lowLimit = 0.5 * Math.abs(median - t * mad);
    double highLimit = median + t * mad;
    List<Sized> high = new ArrayList<>();
    List<Sized> medium = new ArrayList<>();
    for (Sized c : components) {
      if (c.size() >= highLimit) {
        high.add(c);
      } else if (c.size() <= lowLimit) {
        partitions.computeIfAbsent("2ls", k -> new ArrayList<>()).add(c);
      } else {
        medium.add(c);
      }
    }
    List<Sized> remaining = new ArrayList<>();
    if (high.size() > highBins) {
      remaining.addAll(high.subList(highBins, high.size()));
      high = new ArrayList<>(high.subList(0, highBins));
    }
    remaining.addAll(medium);
    partitions.put("1hs", high);
    remaining.sort(Comparator.comparingLong(Sized::frequency));
    double[] ms = remaining.stream().mapToDouble(Sized::size).toArray();
    double[] mf = remaining.stream().mapToDouble(Sized::frequency).toArray();
    double meanF = mean(mf);
    double sdF = stddev(mf);
    double meanS = mean(ms);
    double sdS = stddev(ms);
    for (Sized c : remaining) {
      String s = c.size() >= meanS + t * sdS ? "hs" : c.size() <= 0.5 * Math.abs(meanS - t * sdS) ? "ls" : "ms";
      String f = c.frequency() >= meanF + t * sdF ? "3hf"
          : c.frequency() <= 0.5 * Math.abs(meanF - t * sdF) ? "5lf" : "4mf";
      partitions.computeIfAbsent(f + "_" + s, k -> new ArrayList<>()).add(c);
    }
    return partitions;
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  private static double mean(double[] v) {
    return v.length == 0 ? 0 : Arrays.stream(v).sum() / v.length;
  }

  private static double stddev(double[] v) {
    double m = mean(v);
    return v.length == 0 ? 0 : Math.sqrt(Arrays.stream(v).map(x -> (x - m) * (x - m)).sum() / v.length);
  }
}
