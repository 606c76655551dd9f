package io.modax.fleet.reporting;

import io.modax.fleet.analytics.Metric;
import org.jspecify.annotations.Nullable;

/**
 * One key figure of a report for its period, with the previous period's value and the change.
 *
 * <p>Units by {@link Kind}: fractions in [0, 1] for OEE, uptime and efficiency; hours for MTBF,
 * MTTR and downtime (device-hours); kWh per production hour for energy; a count for failures; the
 * organization's currency for maintenance cost. Ratios over several locations are ratios of sums
 * (see {@code docs/metrics.md}).
 *
 * @param kind what is measured
 * @param value the value over the report's period, or null when undefined there (no data; MTBF or
 *     MTTR without failures)
 * @param previous the value over the previous period of the same length, or null when undefined
 * @param change {@code value - previous} in the kind's unit (for fractions: a difference of
 *     fractions, e.g. 0.02 = 2 percentage points); null when either is null
 * @param changePercent {@code (value - previous) / |previous| x 100}; null when either is null or
 *     previous is 0
 * @param trend how the change reads in the kind's direction
 * @param note why the values are not compared although both exist (e.g. the previous period has
 *     much less data, so its totals are not comparable), or null
 */
public record KeyMetric(
    Kind kind,
    @Nullable Double value,
    @Nullable Double previous,
    @Nullable Double change,
    @Nullable Double changePercent,
    Trend trend,
    @Nullable String note) {

  /**
   * Relative changes smaller than this many percent read as {@link Trend#STEADY}: 1% (the same
   * rule as the benchmark's "on par").
   */
  public static final double STEADY_PERCENT = 1.0;

  /** Computes change and trend from the two values. */
  public static KeyMetric of(Kind kind, @Nullable Double value, @Nullable Double previous) {
    if (value == null || previous == null) {
      return new KeyMetric(kind, value, previous, null, null, Trend.NOT_COMPARABLE, null);
    }
    double change = value - previous;
    Double percent = previous == 0 ? null : change / Math.abs(previous) * 100;
    Trend trend;
    if (percent != null ? Math.abs(percent) < STEADY_PERCENT : change == 0) {
      trend = Trend.STEADY;
    } else {
      trend = (change > 0) == kind.higherIsBetter() ? Trend.IMPROVED : Trend.WORSENED;
    }
    return new KeyMetric(kind, value, previous, change, percent, trend, null);
  }

  /** Both values, not compared, for the reason given. */
  public static KeyMetric notComparable(Kind kind, @Nullable Double value, @Nullable Double previous, String note) {
    return new KeyMetric(kind, value, previous, null, null, Trend.NOT_COMPARABLE, note);
  }

  /** How a value changed against the previous period, in the metric's own direction. */
  public enum Trend {
    /** Better than the previous period by at least {@link #STEADY_PERCENT} percent. */
    IMPROVED,
    /** Worse than the previous period by at least {@link #STEADY_PERCENT} percent. */
    WORSENED,
    /** Within {@link #STEADY_PERCENT} percent (or both 0). */
    STEADY,
    /** One of the two values is undefined. */
    NOT_COMPARABLE
  }

  /** The key figures of a report, in the order reports show them. */
  public enum Kind {
    /** Overall equipment effectiveness (fraction; planned-time weighted). */
    OEE("OEE", "fraction", true, Metric.OEE),
    /** Uptime, availability (fraction). */
    UPTIME("Uptime", "fraction", true, Metric.UPTIME),
    /** Efficiency, performance (fraction). */
    EFFICIENCY("Efficiency", "fraction", true, Metric.EFFICIENCY),
    /** Failures (count). */
    FAILURES("Failures", "count", false, Metric.TOTAL_FAILURES),
    /** Mean time between failures (production hours per failure). */
    MTBF("MTBF", "h", true, Metric.MTBF),
    /** Mean time to repair (hours). */
    MTTR("MTTR", "h", false, Metric.MTTR),
    /** Energy intensity (kWh per production hour). */
    ENERGY("Energy intensity", "kWh/h", false, Metric.ENERGY_CONSUMPTION),
    /** Downtime (device-hours). */
    DOWNTIME_HOURS("Downtime", "h", false, null),
    /**
     * Maintenance cost: planned and unplanned maintenance events' costs plus downtime hours times
     * each location's cost rate (the organization's currency).
     */
    MAINTENANCE_COST("Maintenance cost", "currency", false, null);

    private final String label;
    private final String unit;
    private final boolean higherIsBetter;
    private final @Nullable Metric metric;

    Kind(String label, String unit, boolean higherIsBetter, @Nullable Metric metric) {
      this.label = label;
      this.unit = unit;
      this.higherIsBetter = higherIsBetter;
      this.metric = metric;
    }

    /** The name reports show, e.g. "MTTR". */
    public String label() {
      return label;
    }

    /** {@code fraction}, {@code h}, {@code kWh/h}, {@code count} or {@code currency}. */
    public String unit() {
      return unit;
    }

    /** True when a higher value is better. */
    public boolean higherIsBetter() {
      return higherIsBetter;
    }

    /** True for totals (failures, downtime, cost), which grow with the data a period has. */
    public boolean additive() {
      return this == FAILURES || this == DOWNTIME_HOURS || this == MAINTENANCE_COST;
    }

    /** The analysis metric this figure is, or null (downtime, cost). */
    public @Nullable Metric metric() {
      return metric;
    }
  }
}
