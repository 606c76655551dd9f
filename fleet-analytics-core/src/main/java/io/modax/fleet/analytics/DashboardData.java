package io.modax.fleet.analytics;

import java.time.Instant;
import java.util.List;

/**
 * Every panel of the design's executive dashboard ("Fleet Overview"), read in one transaction.
 *
 * @param organizationId the organization
 * @param generatedAt the clock's now when the panels were read
 * @param mode how the figures were aggregated
 * @param fleetHealth panel {@code fleet_health}: the OEE gauge over the last 24 hours
 * @param locationMap panel {@code location_map}: one marker per location, by id
 * @param failureTrends panel {@code failure_trends}: failures and MTBF per location and local day,
 *     last 30 days
 * @param oeeComparison panel {@code oee_comparison}: OEE by location over the last 24 hours, best
 *     first
 * @param costAnalysis panel {@code cost_analysis}: maintenance and downtime cost per location and
 *     local day, last 30 days
 */
public record DashboardData(
    String organizationId,
    Instant generatedAt,
    AggregationMode mode,
    FleetHealth fleetHealth,
    List<LocationMarker> locationMap,
    FailureTrends failureTrends,
    LocationComparison oeeComparison,
    MaintenanceCosts costAnalysis) {

  /** Copies the list. */
  public DashboardData {
    locationMap = List.copyOf(locationMap);
  }
}
