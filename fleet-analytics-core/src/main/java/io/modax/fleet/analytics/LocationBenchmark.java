package io.modax.fleet.analytics;

import io.modax.fleet.statistics.BenchmarkPosition;
import io.modax.fleet.statistics.DifferenceVerdict;
import io.modax.fleet.statistics.LocationDifference;
import io.modax.fleet.statistics.PeerGroup;
import io.modax.fleet.statistics.PercentileBands;
import io.modax.fleet.statistics.StatisticalMethod;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A location benchmarked against the fleet on uptime, OEE, MTBF, MTTR and energy intensity: the
 * design's {@code benchmark_location}.
 *
 * <p>By default "the fleet" is the <b>rest of the fleet</b>: every other location of the
 * organization together, its figures ratios of their summed components, so that a large location
 * is not compared with itself. In {@link AggregationMode#SEED_COMPATIBLE} it is the design's
 * {@code fleet_averages}: plain averages over every row of the organization, the location's own
 * rows included. {@link #fleetIncludesLocation()} says which. With a peer-group rule ({@link
 * BenchmarkOptions#peerGroups()}) "the fleet" is the rest of the location's peer group, or the
 * rest of the fleet when the location has no peer ({@link #comparedWith()} says which).
 *
 * <p>Beside the plain comparison each metric carries, by default (not in seed-compatible mode):
 * whether the difference is <b>significant</b> (a test on daily values of whole local days, see
 * {@link MetricBenchmark#significance()}), the percentile bands of the comparison group and, for a
 * metric with reference values, its calibration against them. A status of {@link Status#WORSE}
 * is the test's verdict {@link DifferenceVerdict#SIGNIFICANTLY_WORSE} (seed-compatible mode has no
 * tests and keeps the design's 1% threshold).
 *
 * @param organizationId the organization
 * @param locationId the location benchmarked
 * @param locationName its display name
 * @param start window start (see {@link Window})
 * @param end window end
 * @param mode how the figures were aggregated
 * @param fleetIncludesLocation true when the fleet figures include the location's own rows
 *     (seed-compatible mode), false when they are the rest of the fleet (default)
 * @param comparedWith whom the location was compared with, for a person: {@code "the rest of the
 *     fleet"}, {@code "the rest of peer group shift:3x8-5d"}, or {@code "the whole fleet"} (seed)
 * @param peerGroup the location's peer group under the options' rule; null for {@link
 *     BenchmarkOptions.PeerGroupRule#FLEET}, in seed-compatible mode, or when the location had no
 *     peer and was compared with the rest of the fleet instead
 * @param referenceLocationIds the locations the fleet figures and the tests were computed over,
 *     sorted (the location itself only in seed-compatible mode)
 * @param metrics one entry per benchmarked metric, in the order uptime, OEE, MTBF, MTTR, energy
 */
public record LocationBenchmark(
    String organizationId,
    String locationId,
    String locationName,
    Instant start,
    Instant end,
    AggregationMode mode,
    boolean fleetIncludesLocation,
    String comparedWith,
    @Nullable PeerGroup peerGroup,
    List<String> referenceLocationIds,
    List<MetricBenchmark> metrics) {

  /** The metrics a location is benchmarked on, in order. */
  public static final List<Metric> METRICS =
      List.of(Metric.UPTIME, Metric.OEE, Metric.MTBF, Metric.MTTR, Metric.ENERGY_CONSUMPTION);

  /** Copies the lists. */
  public LocationBenchmark {
    // a view over the fleet's ids shared by every location of a benchmark is kept as it is: a
    // copy per location would make a fleet's benchmark grow with the square of its locations
    referenceLocationIds = referenceLocationIds instanceof AllBut
        ? referenceLocationIds : List.copyOf(referenceLocationIds);
    metrics = List.copyOf(metrics);
  }

  /**
   * The entry for one metric.
   *
   * @throws IllegalArgumentException when the metric is not one of {@link #METRICS}
   */
  public MetricBenchmark metric(Metric metric) {
    return metrics.stream()
        .filter(m -> m.metric() == metric)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException(metric + " is not benchmarked"));
  }

  /**
   * One metric of the benchmark.
   *
   * @param metric the metric (its unit: {@link Metric#unit()})
   * @param locationValue the location's value, or null when undefined in the window (no data; MTBF
   *     or MTTR without failures)
   * @param fleetValue the fleet's value (see {@link LocationBenchmark}), or null when undefined
   * @param differencePercent {@code (location - fleet) / fleet x 100}: positive when the location's
   *     value is higher, whatever the metric's direction; null when either value is null or the
   *     fleet value is 0
   * @param status whether the location does better, worse or the same, in the metric's
   *     direction: where a test is made (the default), the test's verdict ({@code BETTER} and
   *     {@code WORSE} only when significant, {@code ON_PAR} when not, {@code NOT_COMPARABLE}
   *     when the metric could not be tested); in seed-compatible mode, without tests, a plain
   *     threshold of {@link FleetBenchmarking#ON_PAR_PERCENT} percent
   * @param dailyValue the daily quantity the test compared, with its unit, e.g. {@code "OEE per
   *     local day (fraction)"}; for MTBF the failure rate per 1,000 production hours (a day without
   *     failures has no MTBF but a rate of 0); null when there was no test
   * @param significance the test of the location's daily values against the reference locations'
   *     daily values (Welch or Mann–Whitney by {@link
   *     io.modax.fleet.statistics.Significance#compare}'s rule; when every location is tested at
   *     once, with the Benjamini–Hochberg adjusted p-value); its estimate and interval are in the
   *     unit of {@code dailyValue}. Null in seed-compatible mode or when either side has fewer than
   *     2 daily values ({@code notTested} says why)
   * @param bands percentile bands of the metric's values over the comparison group, one
   *     exposure-weighted value per location over the window, the location's own included; null
   *     in seed-compatible mode or when no location has a value
   * @param calibration the location's value against the metric's reference values and those bands;
   *     null when the metric has no reference in the options, the location has no value, or in
   *     seed-compatible mode
   * @param method how the comparison on daily values was made: data, test, p-values, assumptions
   *     and when not to trust it; null when there was no test
   * @param notTested why there is no significance test, for a person; null when there is one
   */
  public record MetricBenchmark(
      Metric metric,
      @Nullable Double locationValue,
      @Nullable Double fleetValue,
      @Nullable Double differencePercent,
      Status status,
      @Nullable String dailyValue,
      @Nullable LocationDifference significance,
      @Nullable PercentileBands bands,
      @Nullable BenchmarkPosition calibration,
      @Nullable StatisticalMethod method,
      @Nullable String notTested) {

    /** The significance verdict in the metric's direction, or null when there was no test. */
    public @Nullable DifferenceVerdict verdict() {
      return significance == null ? null : significance.verdict();
    }

    /** True when the location is worse and the difference is significant. */
    public boolean significantlyWorse() {
      return verdict() == DifferenceVerdict.SIGNIFICANTLY_WORSE;
    }

    /** True when the location is better and the difference is significant. */
    public boolean significantlyBetter() {
      return verdict() == DifferenceVerdict.SIGNIFICANTLY_BETTER;
    }
  }

  /**
   * How a location's value reads against the fleet's, in the metric's own direction: for MTTR and
   * energy intensity a lower value is {@link #BETTER}.
   */
  public enum Status {
    /**
     * Significantly better than the fleet (seed-compatible mode, without tests: better by at least
     * {@link FleetBenchmarking#ON_PAR_PERCENT} percent).
     */
    BETTER,
    /**
     * Significantly worse than the fleet (seed-compatible mode, without tests: worse by at least
     * {@link FleetBenchmarking#ON_PAR_PERCENT} percent).
     */
    WORSE,
    /**
     * No significant difference from the fleet (seed-compatible mode: within {@link
     * FleetBenchmarking#ON_PAR_PERCENT} percent, or both values 0).
     */
    ON_PAR,
    /**
     * One of the values is undefined in the window, or the metric could not be tested (too few
     * days; {@link MetricBenchmark#notTested()} says why): nothing to compare.
     */
    NOT_COMPARABLE
  }
}
