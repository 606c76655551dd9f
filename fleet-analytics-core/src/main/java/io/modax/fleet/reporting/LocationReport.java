package io.modax.fleet.reporting;

import io.modax.fleet.analytics.AggregationMode;
import io.modax.fleet.analytics.FailureTrend;
import io.modax.fleet.analytics.FleetHealth;
import io.modax.fleet.analytics.LocationBenchmark;
import io.modax.fleet.analytics.LocationMarker;
import io.modax.fleet.analytics.LocationPerformance;
import io.modax.fleet.analytics.MaintenanceCosts;
import java.time.Instant;
import java.util.List;

/**
 * One location's report for one period of the organization's calendar, with the depth of the
 * executive summary: its key metrics against the previous period, its health band, its rank and
 * benchmark against the rest of the fleet, its trends and costs, findings and recommendations.
 *
 * @param organizationId the organization
 * @param organizationName its display name
 * @param currency ISO 4217 code of every cost
 * @param window the period reported on, in the organization's time zone
 * @param complete false when the period had not ended at {@code generatedAt}
 * @param generatedAt the library clock's now when the report was made
 * @param mode how the figures were aggregated
 * @param location the location's marker: name, coordinates, OEE over the period, devices, alerts
 * @param timezone the location's IANA zone (its trend buckets are its local days)
 * @param keyMetrics the location's key figures, one per {@link KeyMetric.Kind}, in that order
 * @param status the band the location's OEE over the period falls in
 * @param thresholds the bands' limits
 * @param performance the location's row of the comparison over the period
 * @param oeeRank the location's place by OEE among the locations with an OEE (1 = best), or 0
 *     when it has none
 * @param rankedLocations how many locations have an OEE in the period
 * @param benchmark the location against the rest of the fleet over the period
 * @param failureTrends its failures and MTBF over the history, in period order
 * @param costs its maintenance and downtime cost over the history, in period order
 * @param periodCost its cost over the period itself
 * @param allLocations every location's marker (for the map), by location id
 * @param findings what the analyses found about it, most severe first
 * @param recommendations the actions that follow, most urgent first
 */
public record LocationReport(
    String organizationId,
    String organizationName,
    String currency,
    ReportWindow window,
    boolean complete,
    Instant generatedAt,
    AggregationMode mode,
    LocationMarker location,
    String timezone,
    List<KeyMetric> keyMetrics,
    FleetHealth.Status status,
    FleetHealth.Thresholds thresholds,
    LocationPerformance performance,
    int oeeRank,
    int rankedLocations,
    LocationBenchmark benchmark,
    List<FailureTrend> failureTrends,
    List<MaintenanceCosts.LocationPeriod> costs,
    PeriodCost periodCost,
    List<LocationMarker> allLocations,
    List<Finding> findings,
    List<Recommendation> recommendations) {

  /** Copies the lists. */
  public LocationReport {
    keyMetrics = List.copyOf(keyMetrics);
    failureTrends = List.copyOf(failureTrends);
    costs = List.copyOf(costs);
    allLocations = List.copyOf(allLocations);
    findings = List.copyOf(findings);
    recommendations = List.copyOf(recommendations);
  }

  /** The key metric of one kind. */
  public KeyMetric keyMetric(KeyMetric.Kind kind) {
    return keyMetrics.stream().filter(k -> k.kind() == kind).findFirst()
        .orElseThrow(() -> new IllegalArgumentException(kind + " is not in the report"));
  }
}
