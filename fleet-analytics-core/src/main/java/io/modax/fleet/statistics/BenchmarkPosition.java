package io.modax.fleet.statistics;

/**
 * Where one value (a location's) stands against the reference values and the fleet's percentile
 * bands.
 *
 * @param value the value classified
 * @param reference the reference values used
 * @param referenceClass its class against the reference values, read in the metric's direction
 * @param bands the fleet's percentile bands
 * @param fleetBand the band the value falls in (by value, not by direction)
 * @param percentileRank share of fleet values below the value, ties counting half, in [0, 1]
 * @param method how the classification was made
 */
public record BenchmarkPosition(
    double value,
    BenchmarkReference reference,
    ReferenceClass referenceClass,
    PercentileBands bands,
    FleetBand fleetBand,
    double percentileRank,
    StatisticalMethod method) {

  /** A value against the reference values, in the metric's direction. */
  public enum ReferenceClass {
    /** At least as good as world-class. */
    WORLD_CLASS,
    /** Better than the typical range's good end, short of world-class. */
    ABOVE_TYPICAL,
    /** Within the typical range. */
    TYPICAL,
    /** Worse than the typical range's bad end. */
    BELOW_TYPICAL
  }

  /**
   * The fleet band a value falls in, by value: {@code BELOW_P10} means a value lower than the
   * fleet's 10th percentile (which is bad for OEE and good for MTTR). A value equal to a boundary
   * falls in the band above it.
   */
  public enum FleetBand {
    /** Below P10. */
    BELOW_P10,
    /** From P10 to below P25. */
    P10_TO_P25,
    /** From P25 to below P50. */
    P25_TO_P50,
    /** From P50 to below P75. */
    P50_TO_P75,
    /** From P75 to below P90. */
    P75_TO_P90,
    /** P90 and above. */
    P90_AND_ABOVE
  }
}
