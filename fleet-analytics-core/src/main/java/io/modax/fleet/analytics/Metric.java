package io.modax.fleet.analytics;

import io.modax.fleet.internal.ComponentSums;
import org.jspecify.annotations.Nullable;

/**
 * The design's metrics, by the names its SQL and JSON use. A caller chooses a metric from this
 * enum; its name never reaches SQL.
 *
 * <p>Definitions (exposure-weighted; see {@code docs/metrics.md}):
 *
 * <ul>
 *   <li>{@link #OEE}: fully productive hours / planned production hours (fraction);
 *   <li>{@link #UPTIME}: run hours / (run + downtime hours) (fraction);
 *   <li>{@link #EFFICIENCY}: efficiency weighted by production hours (fraction);
 *   <li>{@link #ENERGY_CONSUMPTION}: kWh / production hours;
 *   <li>{@link #MTBF}: production hours / failures (hours; undefined without failures);
 *   <li>{@link #MTTR}: repair hours / failures (hours);
 *   <li>{@link #TOTAL_FAILURES}: failures (count).
 * </ul>
 */
public enum Metric {
  /** Overall equipment effectiveness, a fraction; higher is better. */
  OEE("oee", "fraction", true),
  /** Uptime (availability), a fraction; higher is better. */
  UPTIME("avg_uptime", "fraction", true),
  /** Efficiency (performance), a fraction; higher is better. */
  EFFICIENCY("avg_efficiency", "fraction", true),
  /** Energy intensity, kWh per production hour; lower is better. */
  ENERGY_CONSUMPTION("avg_energy_consumption", "kWh/h", false),
  /** Mean time between failures, hours; higher is better. */
  MTBF("mtbf", "h", true),
  /** Mean time to repair, hours; lower is better. */
  MTTR("mttr", "h", false),
  /** Number of failures; lower is better. */
  TOTAL_FAILURES("total_failures", "count", false);

  private final String fieldName;
  private final String unit;
  private final boolean higherIsBetter;

  Metric(String fieldName, String unit, boolean higherIsBetter) {
    this.fieldName = fieldName;
    this.unit = unit;
    this.higherIsBetter = higherIsBetter;
  }

  /** The design's column and JSON field name, e.g. {@code avg_uptime}. */
  public String fieldName() {
    return fieldName;
  }

  /** The unit: {@code fraction}, {@code h}, {@code kWh/h} or {@code count}. */
  public String unit() {
    return unit;
  }

  /** True when a higher value is better (OEE, uptime, efficiency, MTBF). */
  public boolean higherIsBetter() {
    return higherIsBetter;
  }

  /**
   * The metric's value over the rows whose components are given, or null when it is undefined
   * there (no exposure; MTBF without failures).
   */
  @Nullable Double valueOf(ComponentSums s, AggregationMode mode) {
    boolean seed = mode == AggregationMode.SEED_COMPATIBLE;
    return switch (this) {
      case OEE -> seed ? s.seedOee() : s.oee();
      case UPTIME -> seed ? s.seedUptime() : s.uptime();
      case EFFICIENCY -> seed ? s.seedEfficiency() : s.efficiency();
      case ENERGY_CONSUMPTION -> seed ? s.seedEnergy() : s.energyPerProductionHour();
      case MTBF -> seed ? s.seedMtbf() : s.mtbf();
      case MTTR -> seed ? s.seedMttr() : s.mttr();
      case TOTAL_FAILURES -> (double) s.failures();
    };
  }
}
