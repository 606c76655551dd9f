package io.modax.fleet.statistics;

import io.modax.fleet.InvalidRequestException;

/**
 * A two-sided confidence or prediction interval {@code [lower, upper]} (both ends included).
 *
 * @param lower lower end, in the unit of the estimate it belongs to
 * @param upper upper end, not below {@code lower}
 * @param level nominal coverage in (0, 1), e.g. 0.95
 */
public record Interval(double lower, double upper, double level) {

  /**
   * Checks the interval.
   *
   * @throws InvalidRequestException when an end is NaN, {@code lower > upper} or the level is
   *     outside (0, 1)
   */
  public Interval {
    if (Double.isNaN(lower) || Double.isNaN(upper) || lower > upper) {
      throw new InvalidRequestException(
          "interval [" + lower + ", " + upper + "] is not an interval: need lower <= upper");
    }
    if (!(level > 0 && level < 1)) {
      throw new InvalidRequestException("interval level " + level + " is outside (0, 1)");
    }
  }

  /** True when {@code lower <= value <= upper}. */
  public boolean contains(double value) {
    return value >= lower && value <= upper;
  }

  /** True when the whole interval lies above {@code value}. */
  public boolean isAbove(double value) {
    return lower > value;
  }

  /** True when the whole interval lies below {@code value}. */
  public boolean isBelow(double value) {
    return upper < value;
  }
}
