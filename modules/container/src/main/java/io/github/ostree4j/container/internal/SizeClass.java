package io.github.ostree4j.container.internal;

/**
 * Rounds sizes to classes an eighth of an octave wide (about 9 %), so that a plan depends on
 * component sizes only through their classes: a rebuild that changes a package by a few bytes
 * gives the same plan.
 */
public final class SizeClass {

  private static final int PER_OCTAVE = 8;

  private SizeClass() {}

  /**
   * The class of a size: -1 for 0, else floor(8 × log2(size)).
   *
   * @param size a size in bytes, not negative
   * @return the class
   */
  public static int of(long size) {
    if (size <= 0) {
      return -1;
    }
    // Exact integer part from the bit length, fraction from StrictMath for reproducibility.
    int octave = 63 - Long.numberOfLeadingZeros(size);
    double fraction = StrictMath.log((double) size / (double) (1L << octave)) / StrictMath.log(2);
    int step = (int) Math.floor(fraction * PER_OCTAVE);
    return octave * PER_OCTAVE + Math.min(Math.max(step, 0), PER_OCTAVE - 1);
  }

  /**
   * The size that stands for a class: the lower bound of the class, 0 for class -1.
   *
   * @param sizeClass a class from {@link #of}
   * @return the representative size
   */
  public static double representative(int sizeClass) {
    if (sizeClass < 0) {
      return 0;
    }
    return StrictMath.pow(2, (double) sizeClass / PER_OCTAVE);
  }
}
