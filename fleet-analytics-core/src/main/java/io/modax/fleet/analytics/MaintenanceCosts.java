package io.modax.fleet.analytics;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The dashboard's maintenance cost by location over time: planned and unplanned maintenance cost
 * and downtime cost per location and local calendar period (stacked in the design's panel).
 *
 * <p>Maintenance costs are the {@code cost} of the location's maintenance and failure events whose
 * {@code occurred_at} falls in the period (in the location's zone): planned events are planned
 * (preventive) maintenance; failures and unplanned maintenance are unplanned. Downtime cost is the
 * period's downtime device-hours times the location's {@code downtime_cost_per_hour}. Amounts are in
 * the organization's currency, to the cent.
 *
 * @param organizationId the organization
 * @param currency ISO 4217 code of every amount
 * @param period the length of each period
 * @param start window start; each location's first period contains it
 * @param end window end; each location's last period contains the instant before it
 * @param rows one row per location and period, ordered by period start, then location id
 */
public record MaintenanceCosts(
    String organizationId,
    String currency,
    TrendPeriod period,
    Instant start,
    Instant end,
    List<LocationPeriod> rows) {

  /** Copies the list. */
  public MaintenanceCosts {
    rows = List.copyOf(rows);
  }

  /**
   * One location's costs in one local period.
   *
   * @param locationId the location
   * @param locationName its display name
   * @param periodStart first local date of the period
   * @param periodEnd first local date after it
   * @param plannedMaintenanceCost cost of planned maintenance events
   * @param unplannedMaintenanceCost cost of failures and unplanned maintenance events
   * @param downtimeHours downtime device-hours from the snapshots
   * @param downtimeCost downtime hours x the location's cost rate, or null when the location has no
   *     rate
   * @param eventsWithoutCost events of the period that carried no cost (counted as 0 above)
   */
  public record LocationPeriod(
      String locationId,
      String locationName,
      LocalDate periodStart,
      LocalDate periodEnd,
      BigDecimal plannedMaintenanceCost,
      BigDecimal unplannedMaintenanceCost,
      double downtimeHours,
      @Nullable BigDecimal downtimeCost,
      long eventsWithoutCost) {

    /** Planned + unplanned + downtime cost (downtime counted as 0 when unknown). */
    public BigDecimal totalCost() {
      BigDecimal total = plannedMaintenanceCost.add(unplannedMaintenanceCost);
      return downtimeCost == null ? total : total.add(downtimeCost);
    }
  }
}
