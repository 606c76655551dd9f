package io.modax.fleet.reporting;

import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/**
 * A location's maintenance cost over a report's period (the exact window, not whole local days):
 * the design's planned and unplanned maintenance cost and downtime cost, in the organization's
 * currency, to the cent.
 *
 * @param locationId the location
 * @param locationName its display name
 * @param plannedMaintenanceCost cost of planned maintenance events in the period
 * @param unplannedMaintenanceCost cost of failures and unplanned maintenance events
 * @param downtimeHours downtime device-hours from the snapshots
 * @param downtimeCost downtime hours x the location's {@code downtime_cost_per_hour}, or null when
 *     the location has no rate
 */
public record PeriodCost(
    String locationId,
    String locationName,
    BigDecimal plannedMaintenanceCost,
    BigDecimal unplannedMaintenanceCost,
    double downtimeHours,
    @Nullable BigDecimal downtimeCost) {

  /** Planned + unplanned + downtime cost (downtime counted as 0 when unknown). */
  public BigDecimal totalCost() {
    BigDecimal total = plannedMaintenanceCost.add(unplannedMaintenanceCost);
    return downtimeCost == null ? total : total.add(downtimeCost);
  }
}
