package io.modax.fleet.analytics;

import org.jspecify.annotations.Nullable;

/**
 * One location's performance over a window: a row of the design's location comparison, with the
 * exposures behind its ratios.
 *
 * <p>Ratios are fractions in [0, 1]; hours are device-hours; null means undefined over the window
 * (no snapshots carried the value, or MTBF/MTTR without failures), never NaN or infinity.
 *
 * @param locationId the location
 * @param locationName its display name
 * @param avgUptime uptime
 * @param avgEfficiency efficiency
 * @param avgEnergyConsumption kWh per production hour
 * @param oee OEE
 * @param totalFailures failures
 * @param mtbf hours between failures
 * @param mttr hours to repair
 * @param productionHours production device-hours (the MTBF, efficiency and energy weight)
 * @param downtimeHours downtime device-hours
 * @param plannedHours planned production device-hours (the OEE weight)
 * @param snapshotCount snapshots in the window
 */
public record LocationPerformance(
    String locationId,
    String locationName,
    @Nullable Double avgUptime,
    @Nullable Double avgEfficiency,
    @Nullable Double avgEnergyConsumption,
    @Nullable Double oee,
    long totalFailures,
    @Nullable Double mtbf,
    @Nullable Double mttr,
    double productionHours,
    double downtimeHours,
    double plannedHours,
    long snapshotCount) {

  /** The value of one metric in this row. */
  public @Nullable Double value(Metric metric) {
    return switch (metric) {
      case OEE -> oee;
      case UPTIME -> avgUptime;
      case EFFICIENCY -> avgEfficiency;
      case ENERGY_CONSUMPTION -> avgEnergyConsumption;
      case MTBF -> mtbf;
      case MTTR -> mttr;
      case TOTAL_FAILURES -> (double) totalFailures;
    };
  }

  /** True when the window held snapshots of this location. */
  public boolean hasData() {
    return snapshotCount > 0;
  }
}
