package io.modax.fleet.statistics;

import io.modax.fleet.InvalidRequestException;

/**
 * Configurable reference values for one metric: what "world-class" and "typical" mean. A host can
 * replace the defaults with its industry's figures.
 *
 * @param metric the metric's name, for people, e.g. {@code "OEE"}
 * @param worldClass the world-class value: at least this good is world-class
 * @param typicalLow the typical range's bad end (for higher-is-better metrics its lower end)
 * @param typicalHigh the typical range's good end (for higher-is-better metrics its upper end)
 * @param higherIsBetter the metric's direction
 * @param source where the values come from, in a sentence
 */
public record BenchmarkReference(
    String metric,
    double worldClass,
    double typicalLow,
    double typicalHigh,
    boolean higherIsBetter,
    String source) {

  /** World-class availability (Nakajima): 0.90. */
  public static final double WORLD_CLASS_AVAILABILITY = 0.90;

  /** World-class performance (Nakajima): 0.95. */
  public static final double WORLD_CLASS_PERFORMANCE = 0.95;

  /** World-class quality (Nakajima): 0.999. */
  public static final double WORLD_CLASS_QUALITY = 0.999;

  /** World-class OEE: 0.90 × 0.95 × 0.999 = 0.854, quoted as 0.85. */
  public static final double WORLD_CLASS_OEE = 0.85;

  /** Typical OEE range of plants: 0.40 to 0.60. */
  public static final double TYPICAL_OEE_LOW = 0.40;

  /** Upper end of the typical OEE range. */
  public static final double TYPICAL_OEE_HIGH = 0.60;

  /**
   * Checks the values: all finite, and ordered in the metric's direction (typical bad end, typical
   * good end, world-class).
   *
   * @throws InvalidRequestException when a value is not finite or the order is wrong
   */
  public BenchmarkReference {
    if (!Double.isFinite(worldClass) || !Double.isFinite(typicalLow)
        || !Double.isFinite(typicalHigh)) {
      throw new InvalidRequestException("benchmark reference values must be finite numbers");
    }
    boolean ordered =
        higherIsBetter
            ? typicalLow <= typicalHigh && typicalHigh <= worldClass
            : typicalLow >= typicalHigh && typicalHigh >= worldClass;
    if (!ordered) {
      throw new InvalidRequestException(
          "benchmark reference for "
              + metric
              + " is out of order: need typical bad end "
              + typicalLow
              + ", typical good end "
              + typicalHigh
              + " and world-class "
              + worldClass
              + " to improve in the metric's direction ("
              + (higherIsBetter ? "higher" : "lower")
              + " is better)");
    }
  }

  /**
   * OEE: world-class 0.85 (Nakajima's 90% availability × 95% performance × 99.9% quality),
   * typical plants 0.40–0.60.
   */
  public static BenchmarkReference oee() {
    return new BenchmarkReference(
        "OEE",
        WORLD_CLASS_OEE,
        TYPICAL_OEE_LOW,
        TYPICAL_OEE_HIGH,
        true,
        "Nakajima (TPM): world-class OEE 85% = 90% availability x 95% performance x 99.9%"
            + " quality; typical plants run 40-60%");
  }
}
