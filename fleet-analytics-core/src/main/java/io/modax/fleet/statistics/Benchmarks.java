package io.modax.fleet.statistics;

import io.modax.fleet.InvalidRequestException;
import java.util.Arrays;

/**
 * Benchmark calibration: fleet percentile bands and the position of a value against configurable
 * reference values ({@link BenchmarkReference#oee()} for the field's OEE figures) and the bands.
 * Static, pure and thread-safe.
 */
public final class Benchmarks {

  /** Fewest fleet values for bands: 1; fewer than {@value #FEW_VALUES} earns a caveat. */
  public static final int FEW_VALUES = 10;

  private Benchmarks() {}

  /**
   * Percentile bands P10, P25, P50, P75, P90 of the fleet's values (Hyndman–Fan type 7).
   *
   * @param fleetValues one value per location (at least 1, finite)
   * @throws InvalidRequestException for an empty array or a non-finite value
   */
  public static PercentileBands bands(double[] fleetValues) {
    double[] v = Inputs.finiteCopy("fleetValues", fleetValues, 1);
    Arrays.sort(v);
    Inputs.Method method =
        new Inputs.Method("Empirical percentiles (Hyndman–Fan type 7, linear interpolation)")
            .param("values", v.length)
            .assume("The values given are the fleet to calibrate against, one per location.")
            .assume(
                "Each value is comparable with the others: same metric, same window, same"
                    + " definition.")
            .caveat(
                "The fleet mixes unlike locations (different device types or shift patterns):"
                    + " calibrate within a peer group instead.");
    if (v.length < FEW_VALUES) {
      method.caveat(
          "Only " + v.length + " values: P10 and P90 are interpolated from the extremes and move a"
              + " lot when one location changes.");
    }
    return new PercentileBands(
        quantile(v, 0.10),
        quantile(v, 0.25),
        quantile(v, 0.50),
        quantile(v, 0.75),
        quantile(v, 0.90),
        Significance.mean(v),
        v.length,
        method.build());
  }

  /**
   * Classifies a value against reference values and the fleet's bands.
   *
   * @param value the location's value (finite)
   * @param fleetValues the fleet's values, one per location (at least 1, finite); may include the
   *     location's own value, which then counts in the bands and the percentile rank
   * @param reference reference values for the metric, e.g. {@link BenchmarkReference#oee()}
   * @throws InvalidRequestException for a non-finite value or bad fleet values
   */
  public static BenchmarkPosition position(
      double value, double[] fleetValues, BenchmarkReference reference) {
    if (!Double.isFinite(value)) {
      throw new InvalidRequestException("value " + value + " must be a finite number");
    }
    if (reference == null) {
      throw new InvalidRequestException("reference must not be null");
    }
    PercentileBands bands = bands(fleetValues);
    double[] v = fleetValues.clone();
    int below = 0;
    int equal = 0;
    for (double x : v) {
      if (x < value) {
        below++;
      } else if (x == value) {
        equal++;
      }
    }
    double rank = (below + equal / 2.0) / v.length;
    BenchmarkPosition.FleetBand band;
    if (value < bands.p10()) {
      band = BenchmarkPosition.FleetBand.BELOW_P10;
    } else if (value < bands.p25()) {
      band = BenchmarkPosition.FleetBand.P10_TO_P25;
    } else if (value < bands.p50()) {
      band = BenchmarkPosition.FleetBand.P25_TO_P50;
    } else if (value < bands.p75()) {
      band = BenchmarkPosition.FleetBand.P50_TO_P75;
    } else if (value < bands.p90()) {
      band = BenchmarkPosition.FleetBand.P75_TO_P90;
    } else {
      band = BenchmarkPosition.FleetBand.P90_AND_ABOVE;
    }
    // Orient so that "at least as good as" is ">=" whatever the direction.
    double s = reference.higherIsBetter() ? 1 : -1;
    BenchmarkPosition.ReferenceClass cls;
    if (s * value >= s * reference.worldClass()) {
      cls = BenchmarkPosition.ReferenceClass.WORLD_CLASS;
    } else if (s * value > s * reference.typicalHigh()) {
      cls = BenchmarkPosition.ReferenceClass.ABOVE_TYPICAL;
    } else if (s * value >= s * reference.typicalLow()) {
      cls = BenchmarkPosition.ReferenceClass.TYPICAL;
    } else {
      cls = BenchmarkPosition.ReferenceClass.BELOW_TYPICAL;
    }
    StatisticalMethod method =
        new Inputs.Method("Benchmark calibration against reference values and fleet percentiles")
            .param("metric", reference.metric())
            .param("world-class", reference.worldClass())
            .param("typical range", Inputs.fmt(reference.typicalLow()) + " to "
                + Inputs.fmt(reference.typicalHigh()))
            .param("reference source", reference.source())
            .param("fleet values", bands.count())
            .assume(
                "The reference values apply to this kind of plant; world-class figures are"
                    + " industry rules of thumb, not laws.")
            .assume("The value and the fleet values are measured the same way over the same window.")
            .caveat(
                "The value rests on little production time (a new or mostly idle location): its"
                    + " class can change with a few hours of data.")
            .build();
    return new BenchmarkPosition(value, reference, cls, bands, band, rank, method);
  }

  /** Hyndman–Fan type 7 quantile of sorted values. */
  static double quantile(double[] sorted, double p) {
    int n = sorted.length;
    if (n == 1) {
      return sorted[0];
    }
    double h = (n - 1) * p;
    int lo = (int) Math.floor(h);
    int hi = Math.min(lo + 1, n - 1);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  }
}
