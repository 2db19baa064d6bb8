package io.github.ostree4j.ostree.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reproduces the iteration order of a GLib {@code GHashTable} with {@code g_str_hash} keys
 * (GLib 2.58 and later: open addressing, {@code (hash * 11) % mod}, quadratic probing, in-place
 * resize). libostree builds commit metadata through a {@code GVariantDict} when {@code --bootable}
 * is given, so the order of the stored {@code a{sv}} is this order, and a byte-exact commit needs
 * it.
 */
public final class GHashTableOrder {

  private static final int MIN_SHIFT = 3;
  private static final int[] PRIME_MOD = {
    1, 2, 3, 7, 13, 31, 61, 127, 251, 509, 1021, 2039, 4093, 8191, 16381, 32749, 65521, 131071,
    262139, 524287, 1048573, 2097143, 4194301, 8388593, 16777213, 33554393, 67108859, 134217689,
    268435399, 536870909, 1073741789, 2147483647
  };

  private int size;
  private int mod;
  private int mask;
  private int nnodes;
  private int noccupied;
  private int[] hashes;
  private String[] keys;

  private GHashTableOrder() {
    setShift(MIN_SHIFT);
    hashes = new int[size];
    keys = new String[size];
  }

  /** The order in which a GHashTable iterates keys inserted in the given order (duplicates kept once). */
  public static List<String> order(List<String> insertionOrder) {
    GHashTableOrder t = new GHashTableOrder();
    for (String k : insertionOrder) {
      t.insert(k);
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < t.size; i++) {
      if (Integer.compareUnsigned(t.hashes[i], 2) >= 0) {
        out.add(t.keys[i]);
      }
    }
    return out;
  }

  /** GLib's {@code g_str_hash} (djb2 over signed chars). */
  static int strHash(String key) {
    int h = 5381;
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      h = (h << 5) + h + b; // b is signed, as GLib's "const signed char *"
    }
    return h;
  }

  private void setShift(int shift) {
    size = 1 << shift;
    mod = PRIME_MOD[shift];
    mask = size - 1;
  }

  private int toIndex(int hash) {
    return (int) (((hash & 0xFFFFFFFFL) * 11 & 0xFFFFFFFFL) % mod);
  }

  private void insert(String key) {
    int hash = strHash(key);
    if (Integer.compareUnsigned(hash, 2) < 0) {
      hash = 2;
    }
    int index = toIndex(hash);
    int step = 0;
    while (hashes[index] != 0) {
      if (hashes[index] == hash && keys[index].equals(key)) {
        return; // replacing a value keeps the position
      }
      step++;
      index = (index + step) & mask;
    }
    hashes[index] = hash;
    keys[index] = key;
    nnodes++;
    noccupied++;
    if ((size > nnodes * 4 && size > 1 << MIN_SHIFT) || size <= noccupied + noccupied / 16) {
      resize();
    }
  }

  private void resize() {
    int oldSize = size;
    int target = (int) (nnodes * 1.333);
    int shift = 0;
    for (int n = target; n != 0; n >>= 1) {
      shift++;
    }
    setShift(Math.max(shift, MIN_SHIFT));
    if (size > oldSize) {
      hashes = java.util.Arrays.copyOf(hashes, size);
      keys = java.util.Arrays.copyOf(keys, size);
    }
    boolean[] relocated = new boolean[Math.max(size, oldSize)];
    for (int i = 0; i < oldSize; i++) {
      int nodeHash = hashes[i];
      if (Integer.compareUnsigned(nodeHash, 2) < 0) {
        hashes[i] = 0;
        continue;
      }
      if (relocated[i]) {
        continue;
      }
      hashes[i] = 0;
      String key = keys[i];
      keys[i] = null;
      while (true) {
        int hv = toIndex(nodeHash);
        int step = 0;
        while (relocated[hv]) {
          step++;
          hv = (hv + step) & mask;
        }
        relocated[hv] = true;
        int replacedHash = hashes[hv];
        String replacedKey = keys[hv];
        hashes[hv] = nodeHash;
        keys[hv] = key;
        if (Integer.compareUnsigned(replacedHash, 2) < 0) {
          break;
        }
        nodeHash = replacedHash;
        key = replacedKey;
      }
    }
    if (size < oldSize) {
      hashes = java.util.Arrays.copyOf(hashes, size);
      keys = java.util.Arrays.copyOf(keys, size);
    }
    noccupied = nnodes;
  }
}
