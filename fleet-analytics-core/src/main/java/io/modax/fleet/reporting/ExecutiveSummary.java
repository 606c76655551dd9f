package io.modax.fleet.reporting;

import io.modax.fleet.analytics.AggregationMode;
import io.modax.fleet.analytics.FailureTrends;
import io.modax.fleet.analytics.FleetHealth;
import io.modax.fleet.analytics.LocationBenchmark;
import io.modax.fleet.analytics.LocationComparison;
import io.modax.fleet.analytics.LocationMarker;
import io.modax.fleet.analytics.LocationPerformance;
import io.modax.fleet.analytics.MaintenanceCosts;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An organization's executive summary for one period of its calendar: key metrics against the
 * previous period, fleet health, best and worst locations, findings and recommendations, and the
 * data behind each panel of the design's executive dashboard for that period.
 *
 * <p>Everything covers {@link #window()} (the organization's day, week or month) except the trend
 * panels, which show the history before it ({@link ReportWindow#historyStart()} to its end) by each
 * location's local days or weeks.
 *
 * @param organizationId the organization
 * @param organizationName its display name
 * @param currency ISO 4217 code of every cost
 * @param window the period reported on, in the organization's time zone
 * @param complete false when the period had not ended at {@code generatedAt} (a partial report)
 * @param generatedAt the library clock's now when the report was made
 * @param mode how the figures were aggregated
 * @param keyMetrics the fleet's key figures, one per {@link KeyMetric.Kind}, in that order
 * @param health the fleet health gauge over the period, with its bands
 * @param best the location with the highest OEE in the period, or null without any OEE
 * @param worst the location with the lowest OEE, or null with fewer than two locations with an OEE
 * @param locations every location's performance over the period, best OEE first
 * @param map the location map's markers over the period (alerts as defined at {@link
 *     LocationMarker})
 * @param benchmarks each location against the rest of the fleet over the period, by location id
 * @param failureTrends failures and MTBF per location over the history
 * @param costs maintenance and downtime cost per location over the history
 * @param periodCosts each location's cost over the period itself, by location id
 * @param findings what the analyses found, most severe first
 * @param recommendations the actions that follow, most urgent first; empty for a healthy fleet
 */
public record ExecutiveSummary(
    String organizationId,
    String organizationName,
    String currency,
    ReportWindow window,
    boolean complete,
    Instant generatedAt,
    AggregationMode mode,
    List<KeyMetric> keyMetrics,
    FleetHealth health,
    @Nullable LocationPerformance best,
    @Nullable LocationPerformance worst,
    LocationComparison locations,
    List<LocationMarker> map,
    List<LocationBenchmark> benchmarks,
    FailureTrends failureTrends,
    MaintenanceCosts costs,
    List<PeriodCost> periodCosts,
    List<Finding> findings,
    List<Recommendation> recommendations) {

  /** Copies the lists. */
  public ExecutiveSummary {
    keyMetrics = List.copyOf(keyMetrics);
    map = List.copyOf(map);
    benchmarks = List.copyOf(benchmarks);
    periodCosts = List.copyOf(periodCosts);
    findings = List.copyOf(findings);
    recommendations = List.copyOf(recommendations);
  }

  /**
   * The key metric of one kind.
   *
   * @throws IllegalArgumentException never for a summary built by {@link FleetReports}, which has
   *     every kind
   */
  public KeyMetric keyMetric(KeyMetric.Kind kind) {
    return keyMetrics.stream().filter(k -> k.kind() == kind).findFirst()
        .orElseThrow(() -> new IllegalArgumentException(kind + " is not in the summary"));
  }
}
