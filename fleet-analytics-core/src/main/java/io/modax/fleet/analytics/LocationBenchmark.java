package io.modax.fleet.analytics;

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
 * rows included. {@link #fleetIncludesLocation()} says which.
 *
 * @param organizationId the organization
 * @param locationId the location benchmarked
 * @param locationName its display name
 * @param start window start (see {@link Window})
 * @param end window end
 * @param mode how the figures were aggregated
 * @param fleetIncludesLocation true when the fleet figures include the location's own rows
 *     (seed-compatible mode), false when they are the rest of the fleet (default)
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
    List<MetricBenchmark> metrics) {

  /** The metrics a location is benchmarked on, in order. */
  public static final List<Metric> METRICS =
      List.of(Metric.UPTIME, Metric.OEE, Metric.MTBF, Metric.MTTR, Metric.ENERGY_CONSUMPTION);

  /** Copies the list. */
  public LocationBenchmark {
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
   * @param status whether the location does better, worse or the same, in the metric's direction
   */
  public record MetricBenchmark(
      Metric metric,
      @Nullable Double locationValue,
      @Nullable Double fleetValue,
      @Nullable Double differencePercent,
      Status status) {}

  /**
   * How a location's value reads against the fleet's, in the metric's own direction: for MTTR and
   * energy intensity a lower value is {@link #BETTER}.
   */
  public enum Status {
    /** Better than the fleet by at least {@link FleetBenchmarking#ON_PAR_PERCENT} percent. */
    BETTER,
    /** Worse than the fleet by at least {@link FleetBenchmarking#ON_PAR_PERCENT} percent. */
    WORSE,
    /**
     * Within {@link FleetBenchmarking#ON_PAR_PERCENT} percent of the fleet (or both values 0).
     */
    ON_PAR,
    /** One of the values is undefined in the window, so there is nothing to compare. */
    NOT_COMPARABLE
  }
}
